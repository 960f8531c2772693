/**
 * Which edges the editor lets a user draw, checked while the connection is being dragged (the
 * server checks the same again on save): an edge `a → b` fits when `b` consumes one of the
 * artifacts `a` produces, or consumes `any`; it must not close a cycle, join a node to itself,
 * repeat an edge, or feed a step that takes no input (it can only start a workflow).
 */
import type { Schemas } from "@/lib/api";
import type { GraphEdge } from "./graph";
import { i18n } from "@/i18n";

export type StepInfo = Schemas["StepRead"];

/** What an order line, a CAD file or an import gives a workflow's first node (the server's SUBJECT_PROVIDES). */
export const SUBJECT_PROVIDES: Record<Schemas["Subject"], string> = {
  cad_file: "step_file",
  order_line: "product",
  product_import: "spreadsheet",
};

export const SUBJECT_LABELS: Record<Schemas["Subject"], string> = {
  cad_file: "CAD file",
  order_line: "Order line",
  product_import: "Product import",
};

/** What a workflow runs on, in the UI's language. */
export function subjectLabel(subject: Schemas["Subject"]): string {
  return i18n.t(`workflows:subject.${subject}`, { defaultValue: SUBJECT_LABELS[subject] });
}

const names = (values: readonly string[]) => (values.length ? [...values].sort().join(", ") : i18n.t("workflows:connect.nothing"));

/** Whether `target` takes what `source` makes. */
export function fits(source: Pick<StepInfo, "produces">, target: Pick<StepInfo, "consumes">): boolean {
  return target.consumes.includes("any") || target.consumes.some((artifact) => source.produces.includes(artifact));
}

/** Whether `to` can be reached from `from` along the edges (a node reaches itself). */
export function reaches(edges: readonly GraphEdge[], from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const { source, target } of edges) next.set(source, [...(next.get(source) ?? []), target]);
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length) {
    const node = stack.pop() as string;
    if (node === to) return true;
    for (const target of next.get(node) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        stack.push(target);
      }
    }
  }
  return false;
}

export interface ConnectionContext {
  /** node id → its step name */
  stepOf: (nodeId: string) => string | undefined;
  steps: ReadonlyMap<string, StepInfo>;
  edges: readonly GraphEdge[];
}

/** Why `source → target` cannot be drawn, or null when it can. */
export function connectionProblem(context: ConnectionContext, source: string, target: string): string | null {
  if (source === target) return i18n.t("workflows:connect.self");
  const from = context.steps.get(context.stepOf(source) ?? "");
  const to = context.steps.get(context.stepOf(target) ?? "");
  if (!from || !to) return i18n.t("workflows:connect.unknown");
  if (to.consumes.length === 0) return i18n.t("workflows:connect.noInput", { step: to.label });
  if (context.edges.some((e) => e.source === source && e.target === target)) return i18n.t("workflows:connect.already");
  if (!fits(from, to)) return `${to.label} takes ${names(to.consumes)}, but ${from.label} makes ${names(from.produces)}.`;
  if (reaches(context.edges, target, source)) return i18n.t("workflows:connect.cycle", { target, source });
  return null;
}

/**
 * The node a new `step` most likely follows: of the nodes whose output it takes, the right-most
 * (the end of the chain so far); null when none fits. The palette places a new node beside it.
 */
export function likelyParent(
  nodes: ReadonlyArray<{ id: string; step: string; position: { x: number } }>,
  step: StepInfo,
  steps: ReadonlyMap<string, StepInfo>,
): string | null {
  let best: { id: string; x: number } | null = null;
  for (const node of nodes) {
    const from = steps.get(node.step);
    if (from && fits(from, step) && (!best || node.position.x >= best.x)) best = { id: node.id, x: node.position.x };
  }
  return best?.id ?? null;
}
