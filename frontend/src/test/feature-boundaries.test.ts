// @vitest-environment node
/**
 * The lint rule that keeps features apart (eslint.config.js, `automat/feature-boundaries`):
 * a feature may import shared code, never another feature nor src/app.
 */
import { ESLint } from "eslint";

const eslint = new ESLint();

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === "automat/feature-boundaries")
    .map((message) => message.message);
}

describe("feature boundaries", () => {
  it("forbids importing another feature, by alias or relative path", async () => {
    const file = "src/features/cad/components/Probe.tsx";
    expect(await boundaryErrors(file, 'import { OrdersPage } from "@/features/orders/components/OrdersPage";\nexport const x = OrdersPage;\n'))
      .toEqual([expect.stringContaining("feature:cad may not import feature:orders")]);
    expect(await boundaryErrors(file, 'import { OrdersPage } from "../../orders/components/OrdersPage";\nexport const x = OrdersPage;\n'))
      .toHaveLength(1);
  });

  it("forbids importing the app layer from a feature", async () => {
    const errors = await boundaryErrors(
      "src/features/orders/api/probe.ts",
      'import { navItemsFor } from "@/app/shell/nav";\nexport const x = navItemsFor;\n',
    );
    expect(errors).toEqual([expect.stringContaining("may not import src/app")]);
  });

  it("allows the own feature, shared code, and the app composing features", async () => {
    expect(
      await boundaryErrors(
        "src/features/orders/components/Probe.tsx",
        [
          'import { Button } from "@/components/ui";',
          'import { api } from "@/lib/api";',
          'import { OrdersPage } from "./OrdersPage";',
          'import { login } from "../../orders/api/probe";',
          "export const x = [Button, api, OrdersPage, login];",
          "",
        ].join("\n"),
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        "src/app/probe.tsx",
        'import { OrdersPage } from "@/features/orders/components/OrdersPage";\nexport const x = OrdersPage;\n',
      ),
    ).toEqual([]);
  });
});
