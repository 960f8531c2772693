import { useCallback, useEffect, useMemo, useState } from "react";
import { Button, Spinner, toast } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { downloadAsset, openAsset, useAssetBlob } from "../api/download-asset";
import type { MediaSummary } from "../api/get-order";
import { Lightbox } from "./Lightbox";
import type { LightboxItem } from "./Lightbox";
import { useTranslation } from "react-i18next";
import { i18n } from "@/i18n";
import { useFormat } from "@/i18n/format";

/** "1.2 MB", "640 KB", "512 B". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Which media of a line to show as its picture: the image itself, or a turntable's poster. */
export function previewAsset(media: readonly MediaSummary[]): MediaSummary | null {
  const images = media.filter((m) => m.content_type.startsWith("image/"));
  return images.find((m) => m.role === "poster") ?? images.find((m) => m.role === "main") ?? images[0] ?? null;
}

function useObjectUrl(blob: Blob | undefined): string | null {
  const url = useMemo(() => (blob ? URL.createObjectURL(blob) : null), [blob]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

function Thumb({ asset, alt }: { asset: MediaSummary; alt: string }) {
  const blob = useAssetBlob(asset.id);
  const url = useObjectUrl(blob.data);
  if (blob.isError) return <span className="media-thumb media-thumb--empty" title={errorMessage(blob.error)}>!</span>;
  if (!url) return <span className="media-thumb media-thumb--empty"><Spinner /></span>;
  return <img className="media-thumb" src={url} alt={alt} data-testid="media-preview" />;
}

function FileIcon({ label }: { label: string }) {
  return (
    <span className="media-thumb media-thumb--file" aria-label={i18n.t("orders:media.file", { label })} role="img">
      <svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
        <path d="M12 2 3 7v10l9 5 9-5V7z" strokeLinejoin="round" />
        <path d="M3 7l9 5 9-5M12 12v10" strokeLinejoin="round" />
      </svg>
      <span>{label}</span>
    </span>
  );
}

/** A line's picture as the lightbox shows it (null: the line has no image to show). */
export function galleryItem(media: readonly MediaSummary[], title: string): LightboxItem | null {
  const asset = previewAsset(media);
  if (!asset) return null;
  return { asset, title, video: media.find((m) => m.content_type.startsWith("video/")) ?? null };
}

/**
 * A finished line's media: a picture (or a 3D-file icon), and a Download button per file. The
 * picture opens large in a lightbox that steps through `gallery` (the order's pictures; by
 * default this line's alone).
 */
export function MediaPreview({
  media,
  name,
  gallery,
}: {
  media: MediaSummary[];
  name: string;
  gallery?: readonly LightboxItem[];
}) {
  const { t } = useTranslation("orders");
  const format = useFormat();
  const [busy, setBusy] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const close = useCallback(() => setOpen(null), []);
  if (media.length === 0) return null;
  const picture = previewAsset(media);
  const video = media.find((m) => m.content_type.startsWith("video/"));
  const own = picture ? galleryItem(media, name) : null;
  const items = gallery?.some((item) => item.asset.id === picture?.id) ? gallery : own ? [own] : [];
  const start = Math.max(0, items.findIndex((item) => item.asset.id === picture?.id));
  const model = media.find((m) => m.kind === "glb" || m.kind === "blend" || /\.(glb|blend)$/i.test(m.file_name));

  const save = async (asset: MediaSummary) => {
    setBusy(asset.id);
    try {
      await downloadAsset(asset.id, asset.file_name);
    } catch (cause) {
      toast({ title: t("media.downloadFailed"), message: errorMessage(cause), tone: "danger" });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="media">
      <div className="media__picture">
        {picture ? (
          <button
            type="button"
            className="media__open"
            onClick={() => setOpen(start)}
            aria-label={video ? t("media.openPoster", { name }) : t("media.openPreview", { name })}
            aria-haspopup="dialog"
            title={t("media.openLarge")}
          >
            <Thumb asset={picture} alt={video ? t("media.posterOf", { name }) : t("media.previewOf", { name })} />
            {video && (
              <span className="media__play-icon" aria-hidden="true">
                ▶
              </span>
            )}
          </button>
        ) : model ? (
          <FileIcon label={model.file_name.split(".").pop()?.toUpperCase() ?? "3D"} />
        ) : video ? (
          <Button size="sm" onClick={() => void openAsset(video.id)}>
            ▶ Play
          </Button>
        ) : null}
      </div>
      {open !== null && items.length > 0 && <Lightbox items={items} index={open} onIndex={setOpen} onClose={close} />}
      <div className="media__files">
        {media.map((asset) => (
          <div key={asset.id} className="media__file">
            <Button size="sm" onClick={() => void save(asset)} loading={busy === asset.id} aria-label={t("media.download", { name: asset.file_name })}>
              Download
            </Button>
            <span className="media__name" title={asset.file_name}>
              {asset.role === "poster" ? t("media.poster") : asset.file_name}
            </span>
            <span className="muted">
              {asset.width && asset.height ? `${asset.width}×${asset.height} · ` : ""}
              {format.bytes(asset.file_size)}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
