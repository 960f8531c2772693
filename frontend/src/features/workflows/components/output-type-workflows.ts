/**
 * Which workflows an output type can run and which output types run a workflow (pure, tested in
 * output-type-workflows.test.ts). An output type's `workflow_id` null means the built-in
 * workflow of its kind; otherwise it names an order line workflow of its tenant (or a built-in).
 */
import type { OutputType } from "../api/output-types";
import type { Workflow } from "../api/workflows";
import { i18n } from "@/i18n";

/** A choice of the workflow select; `value` "" stands for null (the built-in of the kind). */
export interface WorkflowChoice {
  value: string;
  label: string;
}

const builtinOf = (kind: string, workflows: readonly Workflow[]) => workflows.find((w) => w.builtin && w.output_kind === kind);

/**
 * The built-in of the type's kind first, then the tenant's order line workflows by name. A
 * workflow the type names that is not among them (another built-in, set through the API) is
 * offered too, so the select shows what is stored.
 */
export function workflowChoices(type: Pick<OutputType, "kind" | "tenant_id" | "workflow_id">, workflows: readonly Workflow[]): WorkflowChoice[] {
  const builtin = builtinOf(type.kind, workflows);
  const own = workflows
    .filter((w) => !w.builtin && w.subject === "order_line" && w.tenant_id === type.tenant_id)
    .sort((a, b) => a.name.localeCompare(b.name));
  const choices: WorkflowChoice[] = [
    { value: "", label: builtin ? i18n.t("workflows:outputTypes.builtinName", { name: builtin.name }) : i18n.t("workflows:outputTypes.builtinOfKind") },
    ...own.map((w) => ({ value: w.id, label: i18n.t("workflows:outputTypes.versionOf", { name: w.name, version: w.latest_version }) })),
  ];
  if (type.workflow_id && !choices.some((c) => c.value === type.workflow_id)) {
    const named = workflows.find((w) => w.id === type.workflow_id);
    choices.push({ value: type.workflow_id, label: named ? (named.builtin ? i18n.t("workflows:outputTypes.builtinName", { name: named.name }) : named.name) : i18n.t("workflows:outputTypes.another") });
  }
  return choices;
}

/** The workflow an output type's lines run, when it is in the list. */
export function workflowOf(type: Pick<OutputType, "kind" | "workflow_id">, workflows: readonly Workflow[]): Workflow | undefined {
  return type.workflow_id ? workflows.find((w) => w.id === type.workflow_id) : builtinOf(type.kind, workflows);
}

/** The output types whose lines run `workflow` (a built-in: those of its kind that name none). */
export function usedBy<T extends Pick<OutputType, "kind" | "workflow_id">>(
  workflow: Pick<Workflow, "id" | "builtin" | "output_kind">,
  types: readonly T[],
): T[] {
  return types.filter(
    (t) => t.workflow_id === workflow.id || (workflow.builtin && t.workflow_id === null && t.kind === workflow.output_kind),
  );
}
