// @vitest-environment node
/**
 * The catalogues stay complete: every key in one language exists in the other with the same
 * interpolation variables, no message is empty, and every literal key a component passes to
 * `t("…")` exists (in its file's namespace from `useTranslation("ns")`, or as "ns:key").
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatBytes, formatNumber } from "./format";
import { DEFAULT_LANGUAGE, initialLanguage, LANGUAGES, resources } from "./index";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

/** i18next plural forms (`_one`, `_other`, …) count as their base key. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, "");
const variables = (message: string) => [...message.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]).sort();

const catalogues = (lng: string) => (resources[lng] ?? {}) as Record<string, Tree>;

describe("message catalogues", () => {
  const namespaces = [...new Set(LANGUAGES.flatMap((lng) => Object.keys(catalogues(lng))))].sort();

  it("has every namespace in every language", () => {
    expect(namespaces.length).toBeGreaterThan(0);
    for (const lng of LANGUAGES) expect(Object.keys(catalogues(lng)).sort()).toEqual(namespaces);
  });

  it.each(namespaces)("%s: the same keys and variables in every language, none empty", (ns) => {
    const [first, ...others] = LANGUAGES.map((lng) => flatten(catalogues(lng)[ns] ?? {}));
    const keysOf = (m: Map<string, string>) => [...new Set([...m.keys()].map(base))].sort();
    for (const other of others) expect(keysOf(other)).toEqual(keysOf(first!));
    for (const messages of [first!, ...others]) {
      for (const [key, message] of messages) expect(message.trim(), `${ns}:${key} is empty`).not.toBe("");
    }
    for (const [key, message] of first!) {
      for (const other of others) {
        const theirs = other.get(key) ?? [...other.entries()].find(([k]) => base(k) === base(key))?.[1];
        if (theirs !== undefined) expect(variables(theirs), `${ns}:${key}`).toEqual(variables(message));
      }
    }
  });

  it("knows every literal key the source passes to t()", () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const src = path.resolve(here, "..");
    const known = new Set<string>();
    for (const [ns, tree] of Object.entries(catalogues(DEFAULT_LANGUAGE))) {
      for (const key of flatten(tree).keys()) known.add(`${ns}:${base(key)}`);
    }
    const missing: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) {
          if (file !== here) walk(file); // this folder's docs show example keys
        }
        else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) {
          const code = readFileSync(file, "utf8");
          const ns = /useTranslation\(\s*(?:\[\s*)?["']([\w-]+)["']/.exec(code)?.[1] ?? "common";
          for (const m of code.matchAll(/\bt\(\s*["']([\w.:-]+)["']/g)) {
            const key = m[1]!;
            const full = key.includes(":") ? key : `${ns}:${key}`;
            if (!known.has(full)) missing.push(`${path.relative(src, file)}: ${full}`);
          }
        }
      }
    };
    walk(src);
    expect(missing).toEqual([]);
  });
});

describe("language and formats", () => {
  it("starts with the stored choice, else the browser's language, else English", () => {
    expect(initialLanguage("de", ["en-US"])).toBe("de");
    expect(initialLanguage(null, ["fr-FR", "de-AT"])).toBe("de");
    expect(initialLanguage("xx", ["fr"])).toBe("en");
  });

  it("writes numbers and sizes the way each language does", () => {
    expect(formatNumber(1234.5, "en")).toBe("1,234.5");
    expect(formatNumber(1234.5, "de")).toBe("1.234,5");
    expect(formatBytes(1_500_000, "de")).toBe("1,5 MB");
  });
});
