/**
 * The media library's reads: pages of assets (keyset cursor, one window of pages at a time),
 * the facet counts for the filter chips, one asset, and its files (thumbnail, inline preview,
 * GLB bytes) fetched with the bearer token.
 *
 *   const pages = useMediaPages(listQuery(search), windowStart);
 *   const facets = useMediaFacets(listQuery(search));
 */
import { keepPreviousData, queryOptions, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, fetchFile, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { saveBlob } from "@/lib/files";
import { PAGE_SIZE, windowHasRoom } from "../components/grid-window";
import type { MediaFilters, MediaSort } from "../components/media-search";

export type MediaAsset = Schemas["MediaAssetRead"];
export type MediaPage = Schemas["MediaAssetPage"];
export type MediaFacets = Schemas["MediaFacets"];
export type FacetCount = Schemas["FacetCount"];

export type ListQuery = MediaFilters & { sort: MediaSort; tenant_id?: string };

export const mediaKeys = {
  all: ["media"] as const,
  pages: (query: ListQuery, start: string | null) => ["media", "pages", query, start] as const,
  facets: (query: Omit<ListQuery, "sort">) => ["media", "facets", query] as const,
  asset: (id: string) => ["media", "asset", id] as const,
  file: (url: string) => ["media", "file", url] as const,
};

/**
 * The pages of one window, from `start` (a cursor; null: the list's beginning). The window stops
 * growing at PAGES_PER_WINDOW pages even when the API has more (see grid-window.ts).
 */
export function useMediaPages(query: ListQuery, start: string | null) {
  return useInfiniteQuery({
    queryKey: mediaKeys.pages(query, start),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET("/api/media/assets", {
          params: { query: { ...query, page_size: PAGE_SIZE, cursor: pageParam ?? undefined } },
          signal,
        }),
      ),
    initialPageParam: start,
    getNextPageParam: (last: MediaPage, pages: MediaPage[]) =>
      windowHasRoom(pages.length, !!last.next_cursor) ? last.next_cursor : undefined,
    // A window may hold dozens of pages: refetching them all on focus would be wasteful.
    refetchOnWindowFocus: false,
    staleTime: 60_000,
  });
}

export function useMediaFacets(query: ListQuery) {
  const { sort: _sort, ...filters } = query;
  return useQuery({
    queryKey: mediaKeys.facets(filters),
    queryFn: ({ signal }) => unwrap(api.GET("/api/media/facets", { params: { query: filters }, signal })),
    // The chips keep their counts while the next ones load (no jumping layout).
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export const assetQueryOptions = (assetId: string) =>
  queryOptions({
    queryKey: mediaKeys.asset(assetId),
    queryFn: () => unwrap(api.GET("/api/media/assets/{asset_id}", { params: { path: { asset_id: assetId } } })),
    staleTime: 60_000,
  });

/** One asset (the preview of a shared link whose asset is not among the loaded pages). */
export const useMediaAsset = (assetId: string | undefined, enabled = true) =>
  useQuery({ ...assetQueryOptions(assetId ?? ""), enabled: enabled && !!assetId });

export const downloadUrl = (assetId: string, inline = false) =>
  `/api/media/assets/${encodeURIComponent(assetId)}/download${inline ? "?inline=1" : ""}`;

/** A file of the API (it needs the bearer token) as a blob, cached while it is shown. */
export function useFileBlob(url: string | null | undefined) {
  return useQuery({
    queryKey: mediaKeys.file(url ?? ""),
    queryFn: async ({ signal }) => {
      const response = await fetchFile(url as string);
      if (signal.aborted) throw new DOMException("aborted", "AbortError");
      return response.blob();
    },
    enabled: !!url,
    staleTime: Infinity,
    gcTime: 2 * 60_000,
    retry: false,
  });
}

/** An object URL for `blob`, revoked when it changes or on unmount; null without a blob. */
export function useObjectUrl(blob: Blob | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) {
      setUrl(null);
      return;
    }
    const next = URL.createObjectURL(blob);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [blob]);
  return url;
}

/** A GLB asset's bytes for the 3D viewer. */
export function useGlbBytes(assetId: string | null) {
  return useQuery({
    queryKey: ["media", "glb", assetId ?? ""],
    queryFn: async () => (await fetchFile(downloadUrl(assetId as string, true))).arrayBuffer(),
    enabled: !!assetId,
    staleTime: Infinity,
    gcTime: 60_000,
  });
}

/** Save one asset under its own name (fetched with the token). */
export async function saveAsset(asset: Pick<MediaAsset, "id" | "file_name">): Promise<void> {
  const blob = await (await fetchFile(downloadUrl(asset.id))).blob();
  saveBlob(blob, asset.file_name);
}

