import { useTranslation } from "react-i18next";

/** Why a CAD file failed, in words (what is wrong and what to do), with the converter's own words
 * folded underneath as "Details". */
export function CadFailure({ error, detail }: { error: string; detail?: string | null }) {
  const { t } = useTranslation("cad");
  return (
    <div className="cad-failure">
      <div data-testid="cad-error">{error}</div>
      {detail && detail !== error && (
        // Its own click: in the list, a click on the row opens the file.
        <details className="cad-failure__details" onClick={(event) => event.stopPropagation()}>
          <summary>{t("status.details")}</summary>
          <pre data-testid="cad-error-detail">{detail}</pre>
        </details>
      )}
    </div>
  );
}
