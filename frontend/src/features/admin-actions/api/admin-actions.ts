/**
 * Maintenance actions and their jobs: GET /api/admin/actions, POST /api/admin/actions/{action}/preview,
 * the four start routes, GET /api/admin/jobs (one page shape), POST /api/admin/jobs/{id}/cancel.
 * `admin_job` events of /api/ws are folded into the cached actions and jobs (no refetch per event).
 */
import { useCallback } from "react";
import { queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { InfiniteData } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { cursorPages, PAGE_SIZE } from "@/lib/paging";
import type { CursorPage } from "@/lib/paging";
import { useLiveEvents } from "@/lib/ws";
import type { LiveEvent } from "@/lib/ws";

export type AdminAction = Schemas["ActionRead"];
export type ActionName = AdminAction["name"];
export type AdminJob = Schemas["JobRead"];
export type Estimate = Schemas["Estimate"];
export type ThumbnailParams = Schemas["ThumbnailParams"];

export const adminActionKeys = {
  all: ["admin-actions"] as const,
  actions: () => [...adminActionKeys.all, "actions"] as const,
  jobs: () => [...adminActionKeys.all, "jobs"] as const,
  preview: (name: ActionName, params: ThumbnailParams) => [...adminActionKeys.all, "preview", name, params] as const,
};

export const actionsQueryOptions = () =>
  queryOptions({ queryKey: adminActionKeys.actions(), queryFn: () => unwrap(api.GET("/api/admin/actions")) });

export const useAdminActions = () => useQuery(actionsQueryOptions());

export const useAdminJobs = () =>
  useInfiniteQuery(
    cursorPages(adminActionKeys.jobs(), (cursor) =>
      unwrap(api.GET("/api/admin/jobs", { params: { query: { cursor, page_size: PAGE_SIZE } } })),
    ),
  );

/** What the action would touch with these filters and how long it would take (starts nothing). */
export const usePreview = (name: ActionName, params: ThumbnailParams, enabled: boolean) =>
  useQuery({
    queryKey: adminActionKeys.preview(name, params),
    queryFn: () =>
      unwrap(api.POST("/api/admin/actions/{action}/preview", { params: { path: { action: name } }, body: params })),
    enabled,
    retry: false,
  });

function start(name: ActionName, params: ThumbnailParams): Promise<AdminJob> {
  switch (name) {
    case "regenerate_thumbnails":
      return unwrap(api.POST("/api/admin/actions/regenerate-thumbnails", { body: params }));
    case "process_unprocessed_cad_files":
      return unwrap(api.POST("/api/admin/actions/process-unprocessed-cad-files"));
    case "requeue_failed_lines":
      return unwrap(api.POST("/api/admin/actions/requeue-failed-lines"));
    case "recompute_media_search_columns":
      return unwrap(api.POST("/api/admin/actions/recompute-media-search-columns"));
  }
}

export function useStartAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, params }: { name: ActionName; params: ThumbnailParams }) => start(name, params),
    onSuccess: (job) => {
      putJob(queryClient, job);
      void queryClient.invalidateQueries({ queryKey: adminActionKeys.jobs() });
    },
  });
}

export function useCancelJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/admin/jobs/{job_id}/cancel", { params: { path: { job_id: id } } })),
    onSuccess: (job) => putJob(queryClient, job),
  });
}

const LIVE: ReadonlySet<string> = new Set(["queued", "running"]);

/** A job as it is now, into the cached actions (its running job) and the cached job pages. */
export function putJob(queryClient: ReturnType<typeof useQueryClient>, job: AdminJob): void {
  queryClient.setQueryData<AdminAction[]>(adminActionKeys.actions(), (actions) =>
    actions?.map((action) => {
      if (action.name !== job.action) return action;
      if (LIVE.has(job.state)) return { ...action, running_job: job };
      return action.running_job?.id === job.id ? { ...action, running_job: null } : action;
    }),
  );
  queryClient.setQueryData<InfiniteData<CursorPage<AdminJob>>>(adminActionKeys.jobs(), (data) => {
    if (!data) return data;
    const known = data.pages.some((page) => page.items.some((j) => j.id === job.id));
    if (!known) return data; // a new job: the list is refetched
    return {
      ...data,
      pages: data.pages.map((page) => ({ ...page, items: page.items.map((j) => (j.id === job.id ? job : j)) })),
    };
  });
}

/** Keep the page live from the `admin_job` events; a job that ends refreshes the estimates. */
export function useAdminJobsLive() {
  const queryClient = useQueryClient();
  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.type !== "admin_job") return;
      const job = event.job as AdminJob;
      putJob(queryClient, job);
      if (!LIVE.has(job.state) || job.state === "queued") {
        void queryClient.invalidateQueries({ queryKey: adminActionKeys.jobs() });
        if (!LIVE.has(job.state)) void queryClient.invalidateQueries({ queryKey: adminActionKeys.actions() });
      }
    },
    [queryClient],
  );
  return useLiveEvents(onEvent);
}
