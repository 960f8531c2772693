/**
 * /api/workflow-runs: the runs of an order line or CAD file (newest first, with their nodes),
 * retry of a failed node; and the dry run of a workflow. Project managers and above; clients 403.
 */
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { takeRetried } from "../components/run-view";

export type RunNode = Schemas["RunNodeRead"];
/** A run as the API sends it (its schema has `nodes` optional: it always has them). */
export type Run = Omit<Schemas["RunRead"], "nodes"> & { nodes: RunNode[] };

const withNodes = (run: Schemas["RunRead"]): Run => ({ ...run, nodes: run.nodes ?? [] });
export type DryRunRequest = Schemas["DryRunRequest"];
export type DryRunResult = Schemas["DryRunResult"];

export const runsKey = (subjectId: string) => ["workflow-runs", subjectId] as const;

/** The subject's runs, newest first (the live events keep the cached list up to date). */
export const runsQueryOptions = (subjectId: string) =>
  queryOptions({
    queryKey: runsKey(subjectId),
    queryFn: async () =>
      (await unwrap(api.GET("/api/workflow-runs", { params: { query: { subject_id: subjectId } } }))).map(withNodes),
  });

export const useRuns = (subjectId: string) => useQuery(runsQueryOptions(subjectId));

/**
 * Run a failed node again with its descendants (409 `run_not_retryable` with the reason). The
 * answer (the run, its nodes reset) replaces the cached run unless its live events got there first,
 * and the subject's own queries (any key naming its id) are fetched again.
 */
export function useRetryNode(subjectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ runId, nodeId }: { runId: string; nodeId: string }) =>
      withNodes(
        await unwrap(api.POST("/api/workflow-runs/{run_id}/nodes/{node_id}/retry", { params: { path: { run_id: runId, node_id: nodeId } } })),
      ),
    onSuccess: (run) => {
      queryClient.setQueryData<Run[]>(runsKey(subjectId), (runs) => (runs ? takeRetried(runs, run) : runs));
      // The subject was reopened (an order, an import, a CAD file): its own queries are stale.
      void queryClient.invalidateQueries({
        predicate: (query) => query.queryKey[0] !== "workflow-runs" && query.queryKey.includes(subjectId),
      });
    },
  });
}

/** Which nodes the workflow would run on a product (+ output type) or CAD file, nothing run. */
export function useDryRun(workflowId: string) {
  return useMutation({
    mutationFn: (body: DryRunRequest) =>
      unwrap(api.POST("/api/workflows/{workflow_id}/dry-run", { params: { path: { workflow_id: workflowId } }, body })),
  });
}

/** Products to try an order line workflow on (`q`: PIM id or name words), 20 at most. */
export const useProductChoices = (q: string, enabled: boolean) =>
  useQuery({
    queryKey: ["workflows", "dry-run", "products", q],
    queryFn: () => unwrap(api.GET("/api/products", { params: { query: { q: q.trim() || undefined, page_size: 20 } } })),
    placeholderData: keepPreviousData,
    enabled,
  });

/** CAD files to try a CAD workflow on (`q`: words of the name), 20 at most. */
export const useCadChoices = (q: string, enabled: boolean) =>
  useQuery({
    queryKey: ["workflows", "dry-run", "cad-files", q],
    queryFn: () => unwrap(api.GET("/api/cad-files", { params: { query: { q: q.trim() || undefined, page_size: 20 } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
