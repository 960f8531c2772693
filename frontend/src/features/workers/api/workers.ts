/** The installation's workers and queues: GET /api/workers (global admins), refreshed every few seconds. */
import { useQuery } from "@tanstack/react-query";
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
