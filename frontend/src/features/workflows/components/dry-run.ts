/**
 * The dry run's answer for people (pure, tested in dry-run.test.ts): each node's resolved params
 * (what it would run with; the ones the node sets itself marked) and a one-line verdict.
 */
import type { DryRunResult } from "../api/runs";
import { formatParam } from "./schema-form";
import { i18n } from "@/i18n";

type DryRunNode = DryRunResult["nodes"][number];

export interface ResolvedParam {
  key: string;
  value: string;
  /** The node sets it (else it comes from the output type or the tenant's settings). */
  own: boolean;
}

/** The params a node would run with, by name; unset ones (null) left out. */
export function resolvedParams(node: Pick<DryRunNode, "params" | "resolved_params">): ResolvedParam[] {
  const own = (key: string) => node.params[key] !== undefined && node.params[key] !== null;
  return Object.entries(node.resolved_params)
    .filter(([, value]) => value !== null && value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value: formatParam(value), own: own(key) }));
}

/** "Would run through: 3 nodes on 3 levels." or "Would stop: …" with the first problem. */
export function dryRunVerdict(result: Pick<DryRunResult, "nodes" | "problems">): { ok: boolean; text: string } {
  const levels = new Set(result.nodes.map((n) => n.level)).size;
  const nodes = i18n.t("workflows:dry.levels", { nodes: i18n.t("workflows:dry.nodes", { count: result.nodes.length }), count: levels });
  if (result.problems.length === 0) return { ok: true, text: i18n.t("workflows:dry.through", { what: nodes }) };
  const first = String(result.problems[0]);
  const problem = result.problems.length > 1 ? i18n.t("workflows:dry.more", { problem: first, count: result.problems.length - 1 }) : first;
  return { ok: false, text: i18n.t("workflows:dry.stop", { problem }) };
}
