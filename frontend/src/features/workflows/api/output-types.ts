/**
 * The tenant's output types as the workflows see them: which workflow each one's lines run
 * (`workflow_id`, null: the built-in of its kind). Everyone reads the active ones (the order
 * wizard has its own query); tenant admins and above list inactive ones too and change the workflow
 * (PATCH; 422 `workflow_not_runnable`, `workflow_subject`, `unknown_workflow`).
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";

export type OutputType = Schemas["OutputTypeRead"];

const KEY = ["workflows", "output-types"] as const;

export const outputTypesQueryOptions = () =>
  queryOptions({
    queryKey: KEY,
    queryFn: () => unwrap(api.GET("/api/output-types", { params: { query: { include_inactive: true } } })),
  });

export const useOutputTypes = (enabled = true) => useQuery({ ...outputTypesQueryOptions(), enabled });

/** Name the workflow an output type's lines run (null: the built-in of its kind). */
export function useSetOutputTypeWorkflow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ outputTypeId, workflowId }: { outputTypeId: string; workflowId: string | null }) =>
      unwrap(
        api.PATCH("/api/output-types/{output_type_id}", {
          params: { path: { output_type_id: outputTypeId } },
          body: { workflow_id: workflowId },
        }),
      ),
    onSuccess: (row) => {
      queryClient.setQueryData<OutputType[]>(KEY, (rows) => rows?.map((r) => (r.id === row.id ? row : r)));
      // The order wizard's list (its own key) carries workflow_id too.
      void queryClient.invalidateQueries({ queryKey: ["output-types"] });
    },
  });
}
