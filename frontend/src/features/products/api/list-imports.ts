import { useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import { allItems, cursorPages } from "@/lib/paging";
import { isFinished } from "../components/import-summary";

/** GET /api/imports, newest first, `pageSize` a page (`<LoadMore>` under the list). */
export const importsQueryOptions = (pageSize = 20) =>
  cursorPages(["imports", "list", { pageSize }], (cursor) =>
    unwrap(api.GET("/api/imports", { params: { query: { cursor, page_size: pageSize } } })),
  );

export const useImports = (pageSize = 20) =>
  useInfiniteQuery({
    ...importsQueryOptions(pageSize),
    // keep the list moving while one of them is still running
    refetchInterval: (query) => (allItems(query.state.data).some((item) => !isFinished(item.status)) ? 2000 : false),
  });
