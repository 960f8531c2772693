/** Query keys of the cad feature; invalidating `cadKeys.all` refreshes every CAD answer. */
export const cadKeys = {
  all: ["cad-files"] as const,
  list: () => [...cadKeys.all, "list"] as const,
  detail: (cadId: string) => [...cadKeys.all, "detail", cadId] as const,
  blob: (url: string, version: string) => [...cadKeys.all, "blob", url, version] as const,
  glb: (cadId: string, version: string) => [...cadKeys.all, "glb", cadId, version] as const,
};
