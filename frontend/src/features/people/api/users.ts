/**
 * Users of the Users screen: GET /api/users (paged, searchable), POST /api/users (a temporary
 * password in the answer), PATCH /api/users/{id} (role, active), POST …/password-reset.
 * A global admin's tenant pick is added to every call by `lib/api` (the list narrows to it, a new
 * user is made in it).
 */
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { cursorPages, PAGE_SIZE } from "@/lib/paging";

export type User = Schemas["UserRead"];
export type UserCreate = Schemas["UserCreate"];
export type UserCreated = Schemas["UserCreated"];
export type UserUpdate = Schemas["UserUpdate"];
export type Role = User["role"];

export const ROLES: Role[] = ["client", "project_manager", "tenant_admin", "global_admin"];

export const userKeys = {
  all: ["users"] as const,
  list: (search: string) => [...userKeys.all, "list", search] as const,
};

export const usersQueryOptions = (search: string) =>
  cursorPages(userKeys.list(search), (cursor) =>
    unwrap(
      api.GET("/api/users", {
        params: { query: { q: search || undefined, cursor, page_size: PAGE_SIZE } },
      }),
    ),
  );

export const useUsers = (search: string) => useInfiniteQuery(usersQueryOptions(search));

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: userKeys.all });
}

export function useCreateUser() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: UserCreate) => unwrap(api.POST("/api/users", { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: UserUpdate & { id: string }) =>
      unwrap(api.PATCH("/api/users/{user_id}", { params: { path: { user_id: id } }, body })),
    onSuccess: invalidate,
  });
}

export function useResetPassword() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST("/api/users/{user_id}/password-reset", { params: { path: { user_id: id } } })),
    onSuccess: invalidate,
  });
}
