import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useLiveEvents } from "@/lib/ws";
import type { LiveEvent } from "@/lib/ws";
import { cadKeys } from "../api/keys";

/** The CAD file id of a pipeline event of CAD processing (`job_id` "cad:<id>"), else null. */
export function cadIdOfEvent(event: LiveEvent): string | null {
  if (event.type !== "pipeline_event" || typeof event.job_id !== "string") return null;
  if (!event.job_id.startsWith("cad:")) return null;
  // Progress events (many per render) change nothing the pages show; start, done, error do.
  if (event.kind === "progress") return null;
  return event.job_id.slice(4) || null;
}

/** Refresh the CAD list and the file's detail when one of its processing steps starts or ends. */
export function useCadLiveEvents(cadId?: string) {
  const queryClient = useQueryClient();
  const onEvent = useCallback(
    (event: LiveEvent) => {
      const id = cadIdOfEvent(event);
      if (!id || (cadId && id !== cadId)) return;
      void queryClient.invalidateQueries({ queryKey: cadKeys.list() });
      void queryClient.invalidateQueries({ queryKey: cadKeys.detail(id) });
    },
    [queryClient, cadId],
  );
  return useLiveEvents(onEvent, { jobId: cadId ? `cad:${cadId}` : null });
}
