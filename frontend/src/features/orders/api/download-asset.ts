import { queryOptions, useQuery } from "@tanstack/react-query";
import { fetchFile } from "@/lib/api";
import { fileNameFromDisposition, saveBlob } from "@/lib/files";

const fetchAsset = (assetId: string, inline: boolean): Promise<Response> =>
  fetchFile(`/api/media/assets/${encodeURIComponent(assetId)}/download${inline ? "?inline=1" : ""}`);

/** GET /api/media/assets/{id}/download?inline=1 as a blob, for previews (object URLs). */
export const assetBlobQueryOptions = (assetId: string) =>
  queryOptions({
    queryKey: ["media", "blob", assetId],
    queryFn: async () => (await fetchAsset(assetId, true)).blob(),
    staleTime: Infinity,
    gcTime: 5 * 60_000,
  });

export const useAssetBlob = (assetId: string | null) =>
  useQuery({ ...assetBlobQueryOptions(assetId ?? ""), enabled: !!assetId });

/** Save an asset: fetch it with the token and hand it to the browser under its own name. */
export async function downloadAsset(assetId: string, fallbackName: string): Promise<void> {
  const response = await fetchAsset(assetId, false);
  const name = fileNameFromDisposition(response.headers.get("Content-Disposition")) ?? fallbackName;
  saveBlob(await response.blob(), name);
}

/** Open an asset (a turntable video) in a new tab, fetched with the token. */
export async function openAsset(assetId: string): Promise<void> {
  const tab = window.open("", "_blank");
  const response = await fetchAsset(assetId, true);
  const url = URL.createObjectURL(await response.blob());
  if (tab) tab.location.href = url;
  else window.location.assign(url);
  setTimeout(() => URL.revokeObjectURL(url), 5 * 60_000);
}
