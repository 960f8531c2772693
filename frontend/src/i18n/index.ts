/**
 * The web UI's languages: English and German, complete for every screen (issue 15).
 *
 * One i18next instance. Its message catalogues are JSON files, one pair per feature and one per
 * shared area, bundled at build time (no request for a language file):
 *
 *     src/features/<feature>/locales/{en,de}.json   namespace "<feature>" (camelCase: admin-actions
 *                                                   → "adminActions")
 *     src/i18n/<area>/{en,de}.json                  namespace "<area>" (common, errors, …)
 *
 * A component asks for its feature's namespace, `const { t } = useTranslation("orders")`, and uses
 * `t("detail.title")`, or `t("common:save")` for a shared word. `i18n.test.ts` fails when one
 * language lacks a key the other has, or a `t("…")` in the source names a key no catalogue has.
 *
 * The language is the user's stored locale (`Me.locale`, set on the settings page) once the
 * session is known; before that the last one used in this browser, else the browser's own.
 * Dates and numbers follow it (`./format`).
 */
import i18next from "i18next";
import { initReactI18next } from "react-i18next";

export const LANGUAGES = ["en", "de"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";
const STORAGE_KEY = "automat.language";

type Catalogue = Record<string, unknown>;

/** Every catalogue file by its path; eager, so they are part of the bundle. */
const files = import.meta.glob<Catalogue>(["../features/*/locales/*.json", "./*/*.json"], {
  eager: true,
  import: "default",
});

/** A feature folder's namespace: its name in camelCase (`admin-actions` → `adminActions`). */
const camel = (folder: string) => folder.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `{ en: { orders: {...}, common: {...} }, de: {...} }` from the file paths. */
export function resourcesOf(found: Record<string, Catalogue>): Record<string, Record<string, Catalogue>> {
  const resources: Record<string, Record<string, Catalogue>> = {};
  for (const [path, catalogue] of Object.entries(found)) {
    const feature = /\/features\/([^/]+)\/locales\/([^/]+)\.json$/.exec(path);
    const shared = /^\.\/([^/]+)\/([^/]+)\.json$/.exec(path);
    const [ns, lng] = feature ? [camel(feature[1]!), feature[2]] : shared ? [shared[1], shared[2]] : [];
    if (!ns || !lng) continue;
    (resources[lng] ??= {})[ns] = catalogue;
  }
  return resources;
}

export const resources = resourcesOf(files);

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** The language to start with: the last one chosen here, else the browser's, else English. */
export function initialLanguage(
  stored: string | null = globalThis.localStorage?.getItem(STORAGE_KEY) ?? null,
  preferred: readonly string[] = globalThis.navigator?.languages ?? [],
): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}

void i18next.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  defaultNS: "common",
  ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? {}),
  interpolation: { escapeValue: false }, // React escapes what it renders
  returnNull: false,
  initAsync: false, // catalogues are bundled: ready before the first render
});
if (typeof document !== "undefined") {
  document.documentElement.lang = i18next.language;
  // <html lang> follows every switch (screen readers, hyphenation, the browser's translate offer).
  i18next.on("languageChanged", (lng) => {
    document.documentElement.lang = lng;
  });
}

/** Switch the UI's language now and remember it in this browser (the server keeps the user's). */
export function setLanguage(lng: Language): void {
  if (i18next.language !== lng) void i18next.changeLanguage(lng);
  globalThis.localStorage?.setItem(STORAGE_KEY, lng);
  if (typeof document !== "undefined") document.documentElement.lang = lng;
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : DEFAULT_LANGUAGE;
}

export { i18next as i18n };
