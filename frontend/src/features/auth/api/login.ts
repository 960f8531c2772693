import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import { authStore } from "@/lib/auth";

export type LoginInput = Schemas["LoginRequest"];

/** POST /api/auth/login; stores the tokens and forgets whatever a previous user had cached. */
export async function login(input: LoginInput): Promise<void> {
  const pair = await unwrap(api.POST("/api/auth/login", { body: input }));
  authStore.set({ accessToken: pair.access_token, refreshToken: pair.refresh_token });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: () => queryClient.clear(),
  });
}
