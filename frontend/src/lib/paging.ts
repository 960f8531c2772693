/**
 * The one page shape of every list in the API (`kit/pagination.py`): `{items, next_cursor, total}`
 * (+ `total_is_estimate` where the count is capped), keyset-paged by an opaque cursor. A list's
 * query is `useInfiniteQuery(cursorPages(key, fetchPage))`; `<LoadMore>` (components/ui) is its
 * pager, and `allItems` flattens the loaded pages.
 */
import { infiniteQueryOptions } from "@tanstack/react-query";
import type { InfiniteData, QueryKey } from "@tanstack/react-query";

export const PAGE_SIZE = 50;

export interface CursorPage<T> {
  items: T[];
  next_cursor: string | null;
  total: number;
  total_is_estimate?: boolean;
}

/**
 * Options for `useInfiniteQuery`: the first page without a cursor, then each page's `next_cursor`.
 * The page keeps its own type (a list's page may say more, e.g. the notifications' `unread_count`).
 */
export function cursorPages<P extends CursorPage<unknown>, K extends QueryKey>(
  queryKey: K,
  fetchPage: (cursor: string | undefined) => Promise<P>,
) {
  return infiniteQueryOptions({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam ?? undefined),
    initialPageParam: null as string | null,
    getNextPageParam: (page: P) => page.next_cursor ?? null,
  });
}

/** Every item of the pages loaded so far, in order. */
export function allItems<T>(data: InfiniteData<CursorPage<T>> | undefined): T[] {
  return data?.pages.flatMap((page) => page.items) ?? [];
}

/** The list's total as the first page counted it (`estimate`: there are more than `total`). */
export function totalOf(data: InfiniteData<CursorPage<unknown>> | undefined): { total: number; estimate: boolean } {
  const first = data?.pages[0];
  return { total: first?.total ?? 0, estimate: first?.total_is_estimate ?? false };
}
