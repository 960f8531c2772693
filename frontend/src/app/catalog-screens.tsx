/**
 * The screens where the catalog feature adds to another feature's page (features do not import
 * each other; they are composed here): the Materials page gets the catalog's alias ordering by
 * dragging and "Reset to defaults"; the Output types page gets creating, editing and deactivating
 * output types with their render settings, its workflow choices coming from the workflows feature.
 */
import { ResetDefaults } from "@/features/catalog/components/ResetDefaults";
import { SortableAliases } from "@/features/catalog/components/SortableAliases";
import { NewOutputTypeButton, OutputTypeActions } from "@/features/catalog/components/OutputTypeDialog";
import type { WorkflowChoices } from "@/features/catalog/components/OutputTypeDialog";
import { MaterialsPage } from "@/features/materials/components/MaterialsPage";
import { OutputTypesPage } from "@/features/workflows/components/OutputTypesPage";
import { workflowChoices } from "@/features/workflows/components/output-type-workflows";
import type { Workflow } from "@/features/workflows/api/workflows";

export function MaterialsScreen() {
  return <MaterialsPage aliasActions={<ResetDefaults />} renderAliases={(props) => <SortableAliases {...props} />} />;
}

const choicesFor =
  (workflows: Workflow[], tenantId: string): WorkflowChoices =>
  (kind, workflowId) =>
    workflowChoices({ kind, tenant_id: tenantId, workflow_id: workflowId }, workflows);

/** The tenant of the page's rows: the workflows list is the tenant's (and the built-ins). */
const tenantOf = (workflows: Workflow[]) => workflows.find((w) => !w.builtin)?.tenant_id ?? "";

export function OutputTypesScreen() {
  return (
    <OutputTypesPage
      headerActions={(workflows) => <NewOutputTypeButton workflows={choicesFor(workflows, tenantOf(workflows))} />}
      rowActions={(type, workflows) => <OutputTypeActions type={type} workflows={choicesFor(workflows, type.tenant_id)} />}
    />
  );
}
