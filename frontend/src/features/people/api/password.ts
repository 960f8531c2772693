/**
 * The user's own password: POST /api/auth/password. It answers with new tokens (the old ones end),
 * which are stored; the session (GET /api/auth/me) is then loaded afresh.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import { authStore } from "@/lib/auth";
import { meQueryOptions } from "@/lib/session";

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      unwrap(api.POST("/api/auth/password", { body })),
    onSuccess: (tokens) => {
      authStore.set({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
      // Loaded afresh by the next page (a cached session would still say "must change").
      queryClient.removeQueries({ queryKey: meQueryOptions().queryKey });
    },
  });
}
