import { queryOptions, useQuery } from "@tanstack/react-query";
import { fetchFile } from "@/lib/api";

/** The file name of a `Content-Disposition` header (RFC 5987 `filename*` first), or null. */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star?.[2]) {
    try {
      return decodeURIComponent(star[2].trim().replace(/^"|"$/g, ""));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = plain?.[2] ?? plain?.[1];
  return name ? name.trim() : null;
}

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
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
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
