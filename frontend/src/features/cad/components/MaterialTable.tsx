import type { ReactNode } from "react";
import { Badge, DataTable } from "@/components/ui";
import type { Column } from "@/components/ui";
import type { CadPart } from "../api/get-cad-file";
import { cadColourHex, formatCount, formatVolume, reasonLabel } from "./format";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

const REASON_TONES: Record<string, "success" | "info" | "neutral"> = {
  exact: "success",
  alias: "success",
  pattern: "info",
  cad_colour: "neutral",
};

/** The material's name; a CAD colour also as a swatch of that colour. */
function MaterialName({ material }: { material: string | null }) {
  const hex = cadColourHex(material);
  return (
    <code className="cad-material">
      {hex && <span className="cad-swatch" style={{ background: hex }} aria-hidden="true" />} {material ?? "—"}
    </code>
  );
}

/** The material of a part and why; fallback is magenta on purpose, as in the renders. */
export function ReasonBadge({ reason }: { reason: string | null }) {
  useTranslation("cad"); // re-render on a change of language
  if (reason === "fallback") {
    return <span className="cad-reason cad-reason--fallback">{reasonLabel(reason)}</span>;
  }
  return <Badge tone={reason ? (REASON_TONES[reason] ?? "neutral") : "muted"}>{reasonLabel(reason)}</Badge>;
}

const baseColumns = (t: TFunction<"cad">): Array<Column<CadPart>> => [
  { key: "position", header: "#", align: "right", width: "48px", render: (part) => part.position + 1 },
  {
    key: "name",
    header: t("materials.part"),
    render: (part) => (
      <span className="cad-part-name" title={part.path}>
        {part.name}
      </span>
    ),
  },
  {
    key: "material",
    header: t("materials.material"),
    render: (part) => <MaterialName material={part.material} />,
  },
  { key: "reason", header: t("materials.reason"), width: "170px", render: (part) => <ReasonBadge reason={part.material_reason} /> },
  { key: "triangles", header: t("materials.triangles"), align: "right", width: "100px", render: (part) => formatCount(part.triangles) },
  { key: "volume", header: t("materials.volume"), align: "right", width: "110px", render: (part) => formatVolume(part.volume_mm3) },
];

export interface MaterialTableProps {
  parts: CadPart[];
  /** For an unmatched (magenta) part: the way to fix it ("Assign material"), for those allowed to. */
  fix?: (part: CadPart) => ReactNode;
}

/** Every part with its material; rows of parts without a match are marked magenta. */
export function MaterialTable({ parts, fix }: MaterialTableProps) {
  const { t } = useTranslation("cad");
  const columns: Array<Column<CadPart>> = fix
    ? [
        ...baseColumns(t),
        {
          key: "fix",
          header: <span className="sr-only">{t("materials.fix")}</span>,
          width: "150px",
          render: (part) => (part.material_reason === "fallback" ? fix(part) : null),
        },
      ]
    : baseColumns(t);
  const fallback = parts.filter((part) => part.material_reason === "fallback").length;
  const cadColour = parts.filter((part) => part.material_reason === "cad_colour").length;
  return (
    <div className="cad-materials" data-testid="cad-materials">
      {cadColour > 0 && (
        <p className="cad-materials__note">
          {t("materials.cadColour", { count: cadColour, total: parts.length })}
        </p>
      )}
      {fallback > 0 && (
        <p className="cad-materials__note">
          <span className="cad-swatch cad-swatch--fallback" aria-hidden="true" />{" "}
          {t("materials.fallback", { count: fallback, total: parts.length })} {fix ? t("materials.fixHint") : t("materials.adminHint")}
        </p>
      )}
      <DataTable
        caption={t("materials.caption")}
        columns={columns}
        rows={parts}
        rowKey={(part) => String(part.position)}
        empty={t("materials.empty")}
      />
    </div>
  );
}
