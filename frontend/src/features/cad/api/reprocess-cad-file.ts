import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import { cadKeys } from "./keys";

/** POST /api/cad-files/{id}/reprocess: run conversion, metadata and materials again. */
export const reprocessCadFile = (cadId: string) =>
  unwrap(api.POST("/api/cad-files/{cad_file_id}/reprocess", { params: { path: { cad_file_id: cadId } } }));

export function useReprocessCadFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: reprocessCadFile,
    onSuccess: (cad) => {
      queryClient.setQueryData(cadKeys.detail(cad.id), cad);
      void queryClient.invalidateQueries({ queryKey: cadKeys.all });
    },
  });
}
