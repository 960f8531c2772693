import { useEffect, useId, useMemo, useRef } from "react";
import type { KeyboardEvent as ReactKeyboardEvent } from "react";
import { createPortal } from "react-dom";
import { Button, Spinner, toast } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { openAsset, useAssetBlob } from "../api/download-asset";
import type { MediaSummary } from "../api/get-order";
import "./lightbox.css";
import { useTranslation } from "react-i18next";

/** One picture of the order: a rendered image, or a turntable's poster with its video. */
export interface LightboxItem {
  asset: MediaSummary;
  title: string;
  video?: MediaSummary | null;
}

export interface LightboxProps {
  items: readonly LightboxItem[];
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
}

const FOCUSABLE = "button:not([disabled]), [href], input, select, textarea, [tabindex]:not([tabindex='-1'])";

/** The next index after `index` by `step`, wrapping around both ends. */
export function wrapIndex(index: number, step: number, count: number): number {
  return count === 0 ? 0 : (((index + step) % count) + count) % count;
}

function LargeImage({ item }: { item: LightboxItem }) {
  const { t } = useTranslation("orders");
  const blob = useAssetBlob(item.asset.id);
  const url = useMemo(() => (blob.data ? URL.createObjectURL(blob.data) : null), [blob.data]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  if (blob.isError) return <p className="lightbox__missing">{errorMessage(blob.error)}</p>;
  if (!url) return <Spinner label={t("lightbox.loading")} />;
  return <img className="lightbox__image" src={url} alt={item.title} data-testid="lightbox-image" />;
}

/**
 * The order's pictures one at a time, large: ← / → (or the buttons) go to the previous / next,
 * Escape or the backdrop closes it; Tab stays inside; focus returns to where it was.
 */
export function Lightbox({ items, index, onIndex, onClose }: LightboxProps) {
  const { t } = useTranslation("orders");
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const item = items[index];
  const many = items.length > 1;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    return () => previous?.focus?.();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        onClose();
      } else if (event.key === "ArrowRight" && many) {
        event.preventDefault();
        onIndex(wrapIndex(index, 1, items.length));
      } else if (event.key === "ArrowLeft" && many) {
        event.preventDefault();
        onIndex(wrapIndex(index, -1, items.length));
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [index, items.length, many, onClose, onIndex]);

  const trapTab = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "Tab" || !panel.current) return;
    const focusable = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (focusable.length === 0) {
      event.preventDefault();
      return;
    }
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === panel.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !panel.current.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };

  if (!item) return null;
  const video = item.video;
  return createPortal(
    <div className="lightbox-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div
        ref={panel}
        className="lightbox"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-roledescription="image viewer"
        tabIndex={-1}
        onKeyDown={trapTab}
        data-testid="lightbox"
      >
        <div className="lightbox__header">
          <h2 id={titleId} className="lightbox__title">
            <span className="lightbox__name">{item.title}</span>
            {many && (
              <span className="muted" data-testid="lightbox-position">
                {" "}
                · {index + 1} of {items.length}
              </span>
            )}
          </h2>
          <Button size="sm" variant="ghost" onClick={onClose} aria-label={t("lightbox.close")}>
            ✕
          </Button>
        </div>
        <div className="lightbox__stage">
          {many && (
            <Button
              className="lightbox__nav lightbox__nav--prev"
              variant="secondary"
              onClick={() => onIndex(wrapIndex(index, -1, items.length))}
              aria-label={t("lightbox.previous")}
              title={t("lightbox.previousTitle")}
            >
              ‹
            </Button>
          )}
          <div className="lightbox__picture" aria-live="polite">
            <LargeImage key={item.asset.id} item={item} />
          </div>
          {many && (
            <Button
              className="lightbox__nav lightbox__nav--next"
              variant="secondary"
              onClick={() => onIndex(wrapIndex(index, 1, items.length))}
              aria-label={t("lightbox.next")}
              title={t("lightbox.nextTitle")}
            >
              ›
            </Button>
          )}
        </div>
        <div className="lightbox__footer muted">
          <span>
            {item.asset.width && item.asset.height ? `${item.asset.width}×${item.asset.height} · ` : ""}
            {item.asset.role === "poster" ? t("lightbox.poster") : item.asset.file_name}
          </span>
          {video && (
            <Button
              size="sm"
              onClick={() =>
                void openAsset(video.id).catch((cause) =>
                  toast({ title: t("lightbox.videoFailed"), message: errorMessage(cause), tone: "danger" }),
                )
              }
            >
              ▶ Play the turntable
            </Button>
          )}
        </div>
      </div>
    </div>,
    document.body,
  );
}
