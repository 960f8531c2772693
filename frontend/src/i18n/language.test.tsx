/**
 * Components whose words come from plain functions (labels, summaries, `i18n.t("<ns>:…")`) must
 * render again when the user switches the language, without anything else re-rendering them. Each
 * of these stayed English after a switch before they subscribed (`useTranslation` / `useLanguage`).
 */
import { render, renderHook, screen } from "@testing-library/react";
import { act } from "react";
import { i18n } from "@/i18n";
import { useLanguage } from "@/i18n/language";
import { CadStatus } from "@/features/cad/components/CadStatus";
import { LineProgress } from "@/features/orders/components/LineProgress";
import { WaitingForCad } from "@/features/products/components/WaitingForCad";

describe("a language switch reaches components that word things through plain functions", () => {
  afterEach(() => act(() => void i18n.changeLanguage("en")));

  it("useLanguage follows the switch", async () => {
    const { result } = renderHook(() => useLanguage());
    expect(result.current).toBe("en");
    await act(() => i18n.changeLanguage("de"));
    expect(result.current).toBe("de");
  });

  it("renders the CAD status, a queued line and a product waiting for its CAD file in German", async () => {
    render(
      <>
        <CadStatus status="ready" thumbnail={{ state: "pending", reason: null }} />
        <LineProgress line={{ render_status: "queued", progress: null, queue: { position: 3, queued: 5, reason: "queue", message: "…" } }} />
        <WaitingForCad name="Bracket.step" />
      </>,
    );
    expect(screen.getByTestId("cad-thumbnail-state")).toHaveTextContent("Thumbnail queued");
    expect(screen.getByTestId("line-queue")).toHaveTextContent("3rd of 5 in the queue");
    expect(screen.getByTestId("waiting-for-cad")).toHaveTextContent("waiting for CAD file Bracket.step");

    await act(() => i18n.changeLanguage("de"));
    expect(screen.getByTestId("cad-thumbnail-state")).toHaveTextContent("Vorschaubild in Warteschlange");
    expect(screen.getByTestId("line-queue")).toHaveTextContent("3. von 5 in der Warteschlange");
    expect(screen.getByTestId("waiting-for-cad")).toHaveTextContent("wartet auf CAD-Datei Bracket.step");
  });
});
