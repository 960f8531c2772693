import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { cadKeys } from "./keys";
import { pollInterval } from "./polling";

export type CadFileRead = Schemas["CadFileRead"];
export type CadPart = Schemas["CadPartRead"];

export const cadFileQueryOptions = (cadId: string) =>
  queryOptions({
    queryKey: cadKeys.detail(cadId),
    queryFn: () => unwrap(api.GET("/api/cad-files/{cad_file_id}", { params: { path: { cad_file_id: cadId } } })),
  });

/** One CAD file with metadata, parts and job document; polled while it is processing. */
export const useCadFile = (cadId: string) =>
  useQuery({
    ...cadFileQueryOptions(cadId),
    refetchInterval: (query) => pollInterval(query.state.data ? [query.state.data] : undefined),
  });
