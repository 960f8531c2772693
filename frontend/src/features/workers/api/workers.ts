/** The installation's workers and queues: GET /api/workers (global admins), refreshed every few seconds. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type WorkersOverview = Schemas["WorkersOverview"];
export type Worker = Schemas["WorkerOut"];
export type Queue = Schemas["QueueOut"];

export const REFRESH_MS = 5_000;

export const useWorkers = () =>
  useQuery({
    queryKey: ["workers"],
    queryFn: () => unwrap(api.GET("/api/workers")),
    refetchInterval: REFRESH_MS,
  });

export type WorkerConfig = Schemas["WorkerConfigOut"];
export type WorkerConfigIn = Schemas["WorkerConfigIn"];

export const useWorkerConfigs = () =>
  useQuery({ queryKey: ["workers", "configs"], queryFn: () => unwrap(api.GET("/api/workers/configs")) });

/** Save a queue's bounds (`body`) or, with `body: null`, leave its pools as they were started. */
export function useSaveWorkerConfig() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ queue, body }: { queue: string; body: WorkerConfigIn | null }) =>
      body
        ? unwrap(api.PUT("/api/workers/configs/{queue_name}", { params: { path: { queue_name: queue } }, body }))
        : unwrap(api.DELETE("/api/workers/configs/{queue_name}", { params: { path: { queue_name: queue } } })),
    onSuccess: (configs) => queryClient.setQueryData(["workers", "configs"], configs),
  });
}

export type Block = Schemas["BlockOut"];

/** Clear a worker's blocklist entry: it takes the step's jobs again (the list refreshes from the answer). */
export function useClearBlock() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (entryId: number) =>
      unwrap(api.POST("/api/workers/blocklist/{entry_id}/clear", { params: { path: { entry_id: entryId } } })),
    onSuccess: (blocklist) => {
      queryClient.setQueryData<WorkersOverview>(["workers"], (old) => (old ? { ...old, blocklist } : old));
      void queryClient.invalidateQueries({ queryKey: ["workers"], exact: true });
    },
  });
}
