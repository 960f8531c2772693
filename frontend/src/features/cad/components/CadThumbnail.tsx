import { useCadBlobUrl } from "../api/get-cad-blob";

/** The rendered thumbnail (fetched with the bearer token), or a quiet placeholder. */
export function CadThumbnail({ url, version, size = 56 }: { url: string | null; version: string; size?: number }) {
  const src = useCadBlobUrl(url, version);
  return (
    <div className="cad-thumb" style={{ width: size, height: size }}>
      {src ? (
        <img src={src} alt="" width={size} height={size} data-testid="cad-thumbnail" />
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
