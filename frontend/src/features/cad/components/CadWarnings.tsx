import { Alert } from "@/components/ui";
import type { CadWarning } from "./cad-warnings";
import { notes, problems } from "./cad-warnings";
import { useTranslation } from "react-i18next";

/** The detail page's account of what processing found: warnings first, then notes. */
export function CadWarnings({ warnings }: { warnings: readonly CadWarning[] | undefined }) {
  const { t } = useTranslation("cad");
  const found = problems(warnings);
  const noted = notes(warnings);
  if (!found.length && !noted.length) return null;
  return (
    <div className="cad-warnings" data-testid="cad-warnings">
      {found.length > 0 && (
        <Alert tone="warning">
          <strong>{t("warnings.ready", { count: found.length })}</strong> {t("warnings.check")}
          <WarningList warnings={found} />
        </Alert>
      )}
      {noted.length > 0 && (
        <Alert tone="info">
          <WarningList warnings={noted} />
        </Alert>
      )}
    </div>
  );
}

function WarningList({ warnings }: { warnings: readonly CadWarning[] }) {
  return (
    <ul className="cad-warnings__list">
      {warnings.map((warning) => (
        <li key={`${warning.step ?? ""}:${warning.code}`} data-code={warning.code}>
          {warning.message} <code className="cad-warnings__code">{warning.code}</code>
        </li>
      ))}
    </ul>
  );
}
