// ESLint (flat config): typescript-eslint, React hooks, and the house rule of the front end:
// a feature (src/features/<name>) never imports another feature, nor the app layer (src/app).
// Shared code lives in src/components and src/lib; only src/app composes features.
import path from "node:path";
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const SRC = path.resolve(import.meta.dirname, "src");

/** The layer of a file below src/: "feature:<name>", "app", or another top-level folder. */
function layerOf(file) {
  const rel = path.relative(SRC, file);
  if (rel.startsWith("..")) return null;
  const [top, name] = rel.split(path.sep);
  return top === "features" && name ? `feature:${name}` : top;
}

const featureBoundaries = {
  meta: {
    type: "problem",
    docs: { description: "no imports between features, and none from a feature into src/app" },
    schema: [],
  },
  create(context) {
    const from = layerOf(context.filename);
    if (!from?.startsWith("feature:")) return {};
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== "string") return;
      let target;
      if (spec.startsWith("@/")) target = path.join(SRC, spec.slice(2));
      else if (spec.startsWith(".")) target = path.resolve(path.dirname(context.filename), spec);
      else return;
      const to = layerOf(target);
      if (to?.startsWith("feature:") && to !== from) {
        context.report({
          node: node.source,
          message: `${from} may not import ${to}: features are independent; move shared code to src/components or src/lib, or compose them in src/app.`,
        });
      } else if (to === "app") {
        context.report({
          node: node.source,
          message: `${from} may not import src/app: the app composes features, not the other way round.`,
        });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default tseslint.config(
  { ignores: ["dist", "node_modules", "test-results", "playwright-report", "src/api/schema.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    plugins: { "react-hooks": reactHooks, automat: { rules: { "feature-boundaries": featureBoundaries } } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "automat/feature-boundaries": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["*.config.{js,ts}", "e2e/**/*.ts"],
    languageOptions: { globals: globals.node },
  },
);
