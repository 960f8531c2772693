import { useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { allItems, cursorPages, PAGE_SIZE } from "@/lib/paging";
import { cadKeys } from "./keys";
import { pollInterval } from "./polling";

export type CadFileSummary = Schemas["CadFileSummary"];

/** GET /api/cad-files, newest first, a page at a time (`cursorPages`; `<LoadMore>` under the table). */
export const cadFilesQueryOptions = () =>
  cursorPages(cadKeys.list(), (cursor) =>
    unwrap(api.GET("/api/cad-files", { params: { query: { cursor, page_size: PAGE_SIZE } } })),
  );

/** The tenant's CAD files, the loaded pages polled while any of them is still moving. */
export const useCadFiles = () =>
  useInfiniteQuery({ ...cadFilesQueryOptions(), refetchInterval: (query) => pollInterval(allItems(query.state.data)) });
