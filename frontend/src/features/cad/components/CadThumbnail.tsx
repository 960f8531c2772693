import { Spinner } from "@/components/ui";
import { useCadBlobUrl } from "../api/get-cad-blob";
import type { ThumbnailStatus } from "./cad-warnings";
import { useTranslation } from "react-i18next";

/**
 * The rendered thumbnail (fetched with the bearer token), or a quiet placeholder: with a spinner
 * while the server renders it, marked when it failed (the reason as its title).
 */
export function CadThumbnail({
  url,
  version,
  size = 56,
  status,
}: {
  url: string | null;
  version: string;
  size?: number;
  status?: ThumbnailStatus | null;
}) {
  const { t } = useTranslation("cad");
  const src = useCadBlobUrl(url, version);
  const state = status?.state;
  const failed = !src && state === "failed";
  return (
    <div
      className={failed ? "cad-thumb cad-thumb--failed" : "cad-thumb"}
      style={{ width: size, height: size }}
      data-thumbnail-state={state ?? "none"}
      title={failed ? (status?.reason ? t("status.thumbFailedWhy", { reason: status.reason }) : t("status.thumbFailed")) : undefined}
    >
      {src ? (
        <img src={src} alt="" width={size} height={size} data-testid="cad-thumbnail" />
      ) : state === "rendering" ? (
        <Spinner label={t("status.renderingThumb")} />
      ) : (
        <svg viewBox="0 0 24 24" width={size * 0.45} height={size * 0.45} aria-hidden="true">
          <path
            d="M12 2 3 7v10l9 5 9-5V7l-9-5Zm0 2.3 6.6 3.7L12 11.7 5.4 8 12 4.3ZM5 9.7l6 3.4v6.6l-6-3.4V9.7Zm8 10v-6.6l6-3.4v6.6l-6 3.4Z"
            fill="currentColor"
          />
        </svg>
      )}
    </div>
  );
}
