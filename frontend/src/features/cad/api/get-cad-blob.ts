import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { fetchFile } from "@/lib/api";
import { cadKeys } from "./keys";

export const fetchCadBlob = async (url: string): Promise<Blob> => (await fetchFile(url)).blob();

/** GET /api/cad-files/{id}/glb?kind=viewer as bytes, for the 3D viewer. */
export const fetchCadGlb = async (cadId: string): Promise<ArrayBuffer> =>
  (await fetchFile(`/api/cad-files/${encodeURIComponent(cadId)}/glb?kind=viewer`)).arrayBuffer();

/**
 * An object URL for an API file that needs the bearer token (the thumbnail URL of a CAD file),
 * or null while loading, on error, or without a URL. `version` (the file's updated_at) fetches
 * it anew after a change; the object URL is revoked when it changes or on unmount.
 */
export function useCadBlobUrl(url: string | null | undefined, version = ""): string | null {
  const blob = useQuery({
    queryKey: cadKeys.blob(url ?? "", version),
    queryFn: () => fetchCadBlob(url as string),
    enabled: !!url,
    staleTime: Infinity,
    gcTime: 10 * 60_000,
  }).data;
  const [objectUrl, setObjectUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob || !url) {
      setObjectUrl(null);
      return;
    }
    const next = URL.createObjectURL(blob);
    setObjectUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [blob, url]);
  return objectUrl;
}

/** The viewer GLB of a ready file; `version` (its updated_at) refetches after a reprocess. */
export const useCadGlb = (cadId: string, version: string, enabled: boolean) =>
  useQuery({
    queryKey: cadKeys.glb(cadId, version),
    queryFn: () => fetchCadGlb(cadId),
    enabled,
    staleTime: Infinity,
    gcTime: 60_000,
  });
