import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import { cadKeys } from "./keys";

/** DELETE /api/cad-files/{id}: the file, its parts and every derived file. */
export const deleteCadFile = (cadId: string) =>
  unwrap(api.DELETE("/api/cad-files/{cad_file_id}", { params: { path: { cad_file_id: cadId } } }));

export function useDeleteCadFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteCadFile,
    onSuccess: (_data, cadId) => {
      queryClient.removeQueries({ queryKey: cadKeys.detail(cadId) });
      void queryClient.invalidateQueries({ queryKey: cadKeys.list() });
      // The products linked to the file have none now: their cached lists and pages are stale.
      void queryClient.invalidateQueries({ queryKey: ["products"] });
    },
  });
}
