import type { Workflow } from "../api/workflows";
import { usedBy, workflowChoices, workflowOf } from "./output-type-workflows";

const workflow = (id: string, name: string, extra: Partial<Workflow> = {}): Workflow => ({
  id,
  tenant_id: "t1",
  builtin: false,
  name,
  description: "",
  subject: "order_line",
  output_kind: null,
  latest_version: 1,
  copied_from: null,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
  ...extra,
});

const WORKFLOWS = [
  workflow("b-still", "Still", { tenant_id: null, builtin: true, output_kind: "still" }),
  workflow("b-turn", "Turntable", { tenant_id: null, builtin: true, output_kind: "turntable" }),
  workflow("b-cad", "CAD processing", { tenant_id: null, builtin: true, subject: "cad_file" }),
  workflow("w-side", "Still from the side", { latest_version: 2 }),
  workflow("w-cad", "My CAD processing", { subject: "cad_file" }),
  workflow("w-other", "Another tenant's", { tenant_id: "t2" }),
  workflow("w-a", "A still", {}),
];

describe("the workflows an output type can run", () => {
  it("offers the built-in of its kind, then the tenant's order line workflows by name", () => {
    expect(workflowChoices({ kind: "still", tenant_id: "t1", workflow_id: null }, WORKFLOWS)).toEqual([
      { value: "", label: "Still (built-in)" },
      { value: "w-a", label: "A still · version 1" },
      { value: "w-side", label: "Still from the side · version 2" },
    ]);
  });

  it("keeps a stored choice that is not among them", () => {
    const choices = workflowChoices({ kind: "still", tenant_id: "t1", workflow_id: "b-turn" }, WORKFLOWS);
    expect(choices.at(-1)).toEqual({ value: "b-turn", label: "Turntable (built-in)" });
  });

  it("names the workflow a type runs: its own, or the built-in of its kind", () => {
    expect(workflowOf({ kind: "still", workflow_id: null }, WORKFLOWS)?.id).toBe("b-still");
    expect(workflowOf({ kind: "still", workflow_id: "w-side" }, WORKFLOWS)?.id).toBe("w-side");
  });
});

describe("the output types a workflow runs for", () => {
  const types = [
    { name: "Still 64", kind: "still", workflow_id: "w-side" },
    { name: "Still 2048", kind: "still", workflow_id: null },
    { name: "Turntable", kind: "turntable", workflow_id: null },
  ] as const;

  it("counts the types naming it, and for a built-in those of its kind naming none", () => {
    expect(usedBy(WORKFLOWS[3] as Workflow, types).map((t) => t.name)).toEqual(["Still 64"]);
    expect(usedBy(WORKFLOWS[0] as Workflow, types).map((t) => t.name)).toEqual(["Still 2048"]);
    expect(usedBy(WORKFLOWS[6] as Workflow, types)).toEqual([]);
  });
});
