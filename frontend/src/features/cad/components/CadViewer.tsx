/**
 * The interactive 3D view of a CAD file's viewer GLB. Loaded with React.lazy, so three.js comes
 * only with the detail page. The three.js scene lives in viewer-scene.ts.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { Button, Spinner } from "@/components/ui";
import type { CadPart } from "../api/get-cad-file";
import { ReasonBadge } from "./MaterialTable";
import { createViewer } from "./viewer-scene";
import type { ViewerHandle } from "./viewer-scene";
import { useTranslation } from "react-i18next";
import { i18n } from "@/i18n";

export interface CadViewerProps {
  glb: ArrayBuffer;
  parts: CadPart[];
}

type State = { kind: "loading" } | { kind: "ready" } | { kind: "error"; message: string };

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return /webgl/i.test(text) ? i18n.t("cad:viewer.webgl") : i18n.t("cad:viewer.error", { error: text });
}

export default function CadViewer({ glb, parts }: CadViewerProps) {
  const { t } = useTranslation("cad");
  const host = useRef<HTMLDivElement>(null);
  const viewer = useRef<ViewerHandle | null>(null);
  const [state, setState] = useState<State>({ kind: "loading" });
  const [hovered, setHovered] = useState<string | null>(null);
  const [showFallback, setShowFallback] = useState(true);

  const byName = useMemo(() => {
    const map = new Map<string, CadPart>();
    for (const part of parts) if (!map.has(part.name)) map.set(part.name, part);
    return map;
  }, [parts]);
  // A string key, so a refetched (equal) parts list does not rebuild the scene.
  const fallbackKey = parts
    .filter((part) => part.material_reason === "fallback")
    .map((part) => part.name)
    .sort()
    .join("\n");
  const fallbackParts = useMemo(() => new Set(fallbackKey ? fallbackKey.split("\n") : []), [fallbackKey]);
  const initialFallback = useRef(showFallback);
  initialFallback.current = showFallback;

  useEffect(() => {
    const container = host.current;
    if (!container) return;
    let cancelled = false;
    setState({ kind: "loading" });
    createViewer(container, glb, { onHover: setHovered, fallbackParts, showFallback: initialFallback.current })
      .then((handle) => {
        if (cancelled) {
          handle.dispose();
          return;
        }
        viewer.current = handle;
        setState({ kind: "ready" });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ kind: "error", message: describe(error) });
      });
    return () => {
      cancelled = true;
      viewer.current?.dispose();
      viewer.current = null;
      setHovered(null);
    };
  }, [glb, fallbackParts]);

  useEffect(() => {
    viewer.current?.setShowFallback(showFallback);
  }, [showFallback]);

  const part = hovered ? byName.get(hovered) : undefined;
  return (
    <div className="cad-viewer" data-testid="cad-viewer" data-state={state.kind}>
      <div ref={host} className="cad-viewer__stage" />
      {state.kind === "loading" && (
        <div className="cad-viewer__center">
          <Spinner size="lg" label={t("viewer.loading")} />
        </div>
      )}
      {state.kind === "error" && (
        <div className="cad-viewer__center cad-viewer__error" role="alert">
          {state.message}
        </div>
      )}
      {state.kind === "ready" && (
        <>
          <div className="cad-viewer__toolbar">
            <Button size="sm" onClick={() => viewer.current?.fit()}>
              {t("viewer.fit")}
            </Button>
            {fallbackParts.size > 0 && (
              <label className="cad-viewer__toggle">
                <input type="checkbox" checked={showFallback} onChange={(event) => setShowFallback(event.target.checked)} />
                {t("viewer.magenta")}
              </label>
            )}
          </div>
          <div className="cad-viewer__hint">{t("viewer.hint")}</div>
          {hovered && (
            <div className="cad-viewer__hover" data-testid="cad-viewer-hover" aria-live="polite">
              <div className="cad-viewer__hover-name">{hovered}</div>
              {part && (
                <div className="cad-viewer__hover-material">
                  <code>{part.material ?? t("viewer.noMaterial")}</code> <ReasonBadge reason={part.material_reason} />
                </div>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
