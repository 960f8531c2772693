import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { cadKeys } from "./keys";
import { pollInterval } from "./polling";

export type CadFileSummary = Schemas["CadFileSummary"];

/** The API's page limit; the list shows the newest files first. */
export const CAD_LIST_LIMIT = 500;

export const cadFilesQueryOptions = () =>
  queryOptions({
    queryKey: cadKeys.list(),
    queryFn: () => unwrap(api.GET("/api/cad-files", { params: { query: { limit: CAD_LIST_LIMIT } } })),
  });

/** The tenant's CAD files, polled while any of them is still moving. */
export const useCadFiles = () =>
  useQuery({ ...cadFilesQueryOptions(), refetchInterval: (query) => pollInterval(query.state.data) });
