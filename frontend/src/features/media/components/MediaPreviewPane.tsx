import { Link } from "@tanstack/react-router";
import { Suspense, useState } from "react";
import type { ComponentType } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Spinner, StatusPill, toast } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { downloadUrl, saveAsset, useFileBlob, useGlbBytes, useObjectUrl } from "../api/media";
import type { MediaAsset } from "../api/media";
import { useFormat } from "@/i18n/format";
import { assetTypeLabel } from "./media-search";

/** The 3D viewer the app gives the page (the CAD detail page's three.js viewer). */
export type ModelViewer = ComponentType<{ glb: ArrayBuffer }>;

export type PreviewKind = "image" | "video" | "model" | "file";

/** How an asset is shown: an image, a video playing, a GLB in the 3D viewer, or only its facts. */
export function previewKind(asset: Pick<MediaAsset, "content_type" | "kind" | "file_name">): PreviewKind {
  if (asset.content_type.startsWith("image/")) return "image";
  if (asset.content_type.startsWith("video/")) return "video";
  if (asset.kind === "glb" || asset.content_type === "model/gltf-binary" || /\.glb$/i.test(asset.file_name)) return "model";
  return "file";
}

function InlineFile({ asset, video }: { asset: MediaAsset; video: boolean }) {
  const { t } = useTranslation("media");
  const blob = useFileBlob(downloadUrl(asset.id, true));
  const url = useObjectUrl(blob.data);
  if (blob.isError) return <Alert>{t("preview.fileError", { error: errorMessage(blob.error) })}</Alert>;
  if (!url) return <Spinner size="lg" label={t("preview.loadingPreview")} />;
  return video ? (
    <video
      className="media-preview__video"
      src={url}
      controls
      autoPlay
      muted
      loop
      playsInline
      data-testid="media-preview-video"
      aria-label={t("preview.turntableOf", { name: asset.product_name ?? asset.file_name })}
    />
  ) : (
    <img className="media-preview__img" src={url} alt={`${asset.product_name ?? asset.file_name} (${asset.file_name})`} data-testid="media-preview-image" />
  );
}

function Model({ asset, viewer: Viewer }: { asset: MediaAsset; viewer: ModelViewer }) {
  const { t } = useTranslation("media");
  const bytes = useGlbBytes(asset.id);
  if (bytes.isError) return <Alert>{t("preview.modelError", { error: errorMessage(bytes.error) })}</Alert>;
  if (!bytes.data) return <Spinner size="lg" label={t("preview.loadingModel")} />;
  return (
    <Suspense fallback={<Spinner size="lg" label={t("preview.loadingViewer")} />}>
      <Viewer glb={bytes.data} />
    </Suspense>
  );
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/**
 * The preview of one asset beside the grid: the picture at full size, the turntable playing, the
 * GLB in the 3D viewer; its facts and links to its product, order and CAD file; its download.
 */
export function MediaPreviewPane({
  asset,
  loading,
  error,
  viewer,
  canOpenCad,
  tenant,
  onClose,
}: {
  asset: MediaAsset | undefined;
  loading: boolean;
  error: unknown;
  viewer: ModelViewer;
  /** Whether the CAD library is open to the user (project managers and above). */
  canOpenCad: boolean;
  tenant?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation("media");
  const format = useFormat();
  const [saving, setSaving] = useState(false);
  const kind = asset ? previewKind(asset) : null;

  const save = async () => {
    if (!asset) return;
    setSaving(true);
    try {
      await saveAsset(asset);
    } catch (cause) {
      toast({ title: t("download.failed"), message: errorMessage(cause), tone: "danger" });
    } finally {
      setSaving(false);
    }
  };

  return (
    <aside className="media-preview" aria-label={t("preview.label")} data-testid="media-preview" data-kind={kind ?? undefined}>
      <div className="media-preview__head">
        <h2 className="media-preview__title">{asset ? (asset.product_name ?? asset.file_name) : t("preview.label")}</h2>
        <Button variant="ghost" size="sm" onClick={onClose} aria-label={t("preview.close")}>
          ✕
        </Button>
      </div>
      {error ? (
        <Alert>{t("preview.error", { error: errorMessage(error) })}</Alert>
      ) : loading || !asset ? (
        <Spinner size="lg" label={t("preview.loading")} />
      ) : (
        <>
          <div className={`media-preview__stage media-preview__stage--${kind}`}>
            {kind === "image" || kind === "video" ? (
              <InlineFile key={asset.id} asset={asset} video={kind === "video"} />
            ) : kind === "model" ? (
              <Model key={asset.id} asset={asset} viewer={viewer} />
            ) : (
              <p className="media-preview__note">
                {asset.kind === "blend" ? t("preview.blend") : t("preview.noPreview")}
              </p>
            )}
          </div>
          <div className="media-preview__actions">
            <Button variant="primary" size="sm" onClick={() => void save()} loading={saving}>
              {t("preview.download", { ext: asset.file_name.split(".").pop()?.toUpperCase() ?? "" })}
            </Button>
          </div>
          <dl className="media-preview__facts" data-testid="media-facts">
            <Row term={t("preview.facts.file")}>{asset.file_name}</Row>
            <Row term={t("preview.facts.type")}>
              {assetTypeLabel(asset.kind)}
              {asset.role !== "main" ? ` (${asset.role})` : ""} · {asset.content_type}
            </Row>
            <Row term={t("preview.facts.size")}>
              {format.bytes(asset.file_size)}
              {asset.width && asset.height ? ` · ${asset.width} × ${asset.height} px` : ""}
              {asset.duration_s ? ` · ${format.number(asset.duration_s, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s` : ""}
              {asset.frames ? ` · ${t("preview.frames", { count: asset.frames })}` : ""}
            </Row>
            {asset.product_id && (
              <Row term={t("preview.facts.product")}>
                <Link to="/products/$productId" params={{ productId: asset.product_id }} data-testid="media-product-link">
                  {asset.product_name ?? t("preview.product")}
                </Link>
                {asset.pim_id && <span className="media-preview__mono"> {asset.pim_id}</span>}
              </Row>
            )}
            {(asset.category_key || asset.lagertyp) && (
              <Row term={t("preview.facts.category")}>
                {[asset.category_key, asset.lagertyp].filter(Boolean).join(" · ")}
              </Row>
            )}
            {asset.order_id && (
              <Row term={t("preview.facts.order")}>
                <Link to="/orders/$orderId" params={{ orderId: asset.order_id }} data-testid="media-order-link">
                  {asset.order_number ?? t("preview.order")}
                </Link>
                {asset.render_status && (
                  <>
                    {" "}
                    <StatusPill status={asset.render_status} />
                  </>
                )}
              </Row>
            )}
            {asset.cad_file_id && canOpenCad && (
              <Row term={t("preview.facts.cad")}>
                <Link to="/cad/$cadId" params={{ cadId: asset.cad_file_id }} data-testid="media-cad-link">
                  {t("preview.openCad")}
                </Link>
              </Row>
            )}
            {tenant && <Row term={t("preview.facts.tenant")}>{tenant}</Row>}
            <Row term={t("preview.facts.created")}>{format.dateTime(asset.created_at)}</Row>
            <Row term={t("preview.facts.checksum")}>
              <span className="media-preview__mono" title={asset.checksum}>
                {asset.checksum.slice(0, 16)}…
              </span>
            </Row>
          </dl>
        </>
      )}
    </aside>
  );
}
