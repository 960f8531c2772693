/**
 * The user's language: stored on the user (`users.locale`, the same one e-mails and digests are
 * written in), read from `GET /api/auth/me` (`locale`, null until chosen) and set with
 * `PUT /api/notification-preferences {locale}`. The UI switches at once; the server keeps it for
 * the next login, on any browser. Before login, and while a user has not chosen, the UI speaks the
 * browser's language (`src/i18n/index.ts initialLanguage`).
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { DEFAULT_LANGUAGE, currentLanguage, isLanguage, setLanguage } from "@/i18n";
import type { Language } from "@/i18n";
import { api, unwrap } from "@/lib/api";
import { meQueryOptions } from "@/lib/session";
import type { Me } from "@/lib/session";

/** The UI's current language (re-renders when it changes). */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  const lng = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
}

/** Start in the user's stored language once the session is known (when it differs from the UI's). */
export function useStoredLanguage(me: Me | undefined): void {
  const stored = me?.locale;
  useEffect(() => {
    if (isLanguage(stored) && stored !== currentLanguage()) setLanguage(stored);
  }, [stored]);
}

/**
 * Switch the UI to `lng` now and store it on the user. A refusal puts the UI back in the language
 * it was in (the caller shows the error).
 */
export function useChooseLanguage() {
  const queryClient = useQueryClient();
  const meKey = meQueryOptions().queryKey;
  return useMutation({
    mutationFn: (lng: Language) => unwrap(api.PUT("/api/notification-preferences", { body: { locale: lng } })),
    onMutate: (lng: Language) => {
      const before = currentLanguage();
      const me = queryClient.getQueryData<Me>(meKey);
      setLanguage(lng);
      if (me) queryClient.setQueryData<Me>(meKey, { ...me, locale: lng });
      return { before, me };
    },
    onError: (_error, _lng, context) => {
      if (!context) return;
      setLanguage(context.before);
      if (context.me) queryClient.setQueryData<Me>(meKey, context.me);
    },
    onSuccess: (saved) => {
      // The notification settings page shows the same language (of its e-mails).
      queryClient.setQueryData(["notification-preferences", "mine"], saved);
    },
  });
}
