/**
 * /api/workflows: the step registry, workflows, their versions and diffs. Project managers and
 * above read; tenant admins and above write (`manage_settings` in the UI). Built-ins are
 * read-only (409 `builtin_workflow`): copy one to change it.
 */
import { infiniteQueryOptions, keepPreviousData, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type Workflow = Schemas["WorkflowRead"];
export type WorkflowDetail = Schemas["WorkflowDetail"];
export type Subject = Schemas["Subject"];
export type VersionSummary = Schemas["VersionSummary"];
export type ConfigBody = Schemas["WorkflowConfig"];

const PAGE = 200;

/** Every step a node can be, with its parameters' JSON Schema (it changes with a deployment only). */
export const stepsQueryOptions = () =>
  queryOptions({
    queryKey: ["workflows", "steps"],
    queryFn: () => unwrap(api.GET("/api/workflows/steps")),
    staleTime: 10 * 60_000,
  });

export const useSteps = () => useQuery(stepsQueryOptions());

/** The built-ins and the tenant's workflows, by name, 200 a page. */
export const workflowsQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: ["workflows", "list"],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/workflows", { params: { query: { cursor: pageParam ?? undefined, page_size: PAGE } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });

export const useWorkflows = () => useInfiniteQuery(workflowsQueryOptions());

export const workflowQueryOptions = (workflowId: string) =>
  queryOptions({
    queryKey: ["workflows", "detail", workflowId],
    queryFn: () => unwrap(api.GET("/api/workflows/{workflow_id}", { params: { path: { workflow_id: workflowId } } })),
  });

export const useWorkflow = (workflowId: string) => useQuery(workflowQueryOptions(workflowId));

/** The versions, newest first (200; older ones are reached by number). */
export const versionsQueryOptions = (workflowId: string) =>
  queryOptions({
    queryKey: ["workflows", "versions", workflowId],
    queryFn: () =>
      unwrap(api.GET("/api/workflows/{workflow_id}/versions", { params: { path: { workflow_id: workflowId }, query: { page_size: PAGE } } })),
  });

export const useVersions = (workflowId: string) => useQuery(versionsQueryOptions(workflowId));

/** A stored version never changes: cached for good. */
export const versionQueryOptions = (workflowId: string, version: number) =>
  queryOptions({
    queryKey: ["workflows", "version", workflowId, version],
    queryFn: () =>
      unwrap(
        api.GET("/api/workflows/{workflow_id}/versions/{version}", { params: { path: { workflow_id: workflowId, version } } }),
      ),
    staleTime: Infinity,
  });

export const useVersion = (workflowId: string, version: number | null) =>
  useQuery({ ...versionQueryOptions(workflowId, version ?? 0), enabled: version !== null && version > 0 });

export const useDiff = (workflowId: string, from: number | null, to: number) =>
  useQuery({
    queryKey: ["workflows", "diff", workflowId, from, to],
    queryFn: () =>
      unwrap(
        api.GET("/api/workflows/{workflow_id}/diff", {
          params: { path: { workflow_id: workflowId }, query: { from: from ?? 1, to } },
        }),
      ),
    enabled: from !== null && from > 0,
    staleTime: Infinity,
  });

/**
 * The server's check of a config without saving it (every problem, each naming its node or
 * edge). Keyed by the config's text, so an undo back to a checked config asks nothing.
 */
export const useValidation = (subject: Subject, config: ConfigBody, configKey: string, enabled: boolean) =>
  useQuery({
    queryKey: validationKey(subject, configKey),
    queryFn: () => unwrap(api.POST("/api/workflows/validate", { body: { subject, config } })),
    enabled,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });

export const validationKey = (subject: Subject, configKey: string) => ["workflows", "validate", subject, configKey] as const;

function useInvalidateWorkflows() {
  const queryClient = useQueryClient();
  return (workflowId?: string) => {
    void queryClient.invalidateQueries({ queryKey: ["workflows", "list"] });
    if (workflowId) {
      void queryClient.invalidateQueries({ queryKey: ["workflows", "detail", workflowId] });
      void queryClient.invalidateQueries({ queryKey: ["workflows", "versions", workflowId] });
    }
  };
}

/** Save the editor's graph as version N+1 (422 `workflow_invalid` with every problem). */
export function useSaveVersion(workflowId: string) {
  const invalidate = useInvalidateWorkflows();
  return useMutation({
    mutationFn: (body: { config: ConfigBody; note: string }) =>
      unwrap(api.POST("/api/workflows/{workflow_id}/versions", { params: { path: { workflow_id: workflowId } }, body })),
    onSuccess: () => invalidate(workflowId),
  });
}

/** A copy in the tenant with the source's latest config as version 1 (409 `duplicate_workflow`). */
export function useCopyWorkflow() {
  const invalidate = useInvalidateWorkflows();
  return useMutation({
    mutationFn: ({ workflowId, name }: { workflowId: string; name: string }) =>
      unwrap(api.POST("/api/workflows/{workflow_id}/copy", { params: { path: { workflow_id: workflowId } }, body: { name } })),
    onSuccess: () => invalidate(),
  });
}

export function useCreateWorkflow() {
  const invalidate = useInvalidateWorkflows();
  return useMutation({
    mutationFn: (body: Schemas["WorkflowCreate"]) => unwrap(api.POST("/api/workflows", { body })),
    onSuccess: () => invalidate(),
  });
}

export function useDeleteWorkflow() {
  const invalidate = useInvalidateWorkflows();
  return useMutation({
    mutationFn: (workflowId: string) =>
      unwrap(api.DELETE("/api/workflows/{workflow_id}", { params: { path: { workflow_id: workflowId } } })),
    onSuccess: () => invalidate(),
  });
}
