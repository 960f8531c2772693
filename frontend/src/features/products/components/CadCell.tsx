import { useTranslation } from "react-i18next";
import { Link } from "@tanstack/react-router";
import { Badge, StatusPill } from "@/components/ui";
import type { Schemas } from "@/lib/api";
import { WaitingForCad } from "./WaitingForCad";

/** A product's CAD file: its name (a link to the CAD library) and status; or the CAD file name its
 * import gave that it still waits for. */
export function CadCell({
  cadFileId,
  file,
  waitingFor,
}: {
  cadFileId: string | null;
  file: Schemas["CadFileBrief"] | undefined;
  waitingFor?: string | null;
}) {
  const { t } = useTranslation("products");
  if (!cadFileId) return waitingFor ? <WaitingForCad name={waitingFor} /> : <span className="products__none">—</span>;
  if (!file) return <Badge tone="info">{t("cad.linked")}</Badge>;
  return (
    <span className="products__cad">
      <WaitingForCad name={waitingFor} />
      <Link
        to="/cad/$cadId"
        params={{ cadId: file.id }}
        className="products__cad-name"
        title={t("cad.openIn", { name: file.original_name })}
        onClick={(event) => event.stopPropagation()}
      >
        {file.original_name}
      </Link>
      <StatusPill status={file.status} />
    </span>
  );
}
