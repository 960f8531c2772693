import type { ReactNode } from "react";
import type { CadFileRead } from "../api/get-cad-file";
import { bboxSize, formatBbox, formatBytes, formatCount, formatVolume } from "./format";
import { useTranslation } from "react-i18next";
import { useFormat } from "@/i18n/format";

interface Metadata {
  schema?: unknown;
  application_protocol?: string | null;
  originating_system?: string | null;
  units?: { length?: string; mm_per_unit?: number | null };
  bbox_mm?: unknown;
  size_mm?: unknown;
  counts?: { parts?: number; solids?: number; faces?: number; triangles?: number };
  utf8_bom?: boolean;
}

function schemaText(meta: Metadata): string {
  const schema = Array.isArray(meta.schema) ? meta.schema.join(", ") : typeof meta.schema === "string" ? meta.schema : "";
  const name = schema.split(/[\s{]/)[0] ?? "";
  if (meta.application_protocol && name) return `${meta.application_protocol} (${name})`;
  return meta.application_protocol || name || "—";
}

/** Total volume of the parts (null when none has one). */
export function totalVolume(parts: ReadonlyArray<{ volume_mm3: number | null }>): number | null {
  const volumes = parts.map((part) => part.volume_mm3).filter((v): v is number => typeof v === "number");
  return volumes.length ? volumes.reduce((sum, v) => sum + v, 0) : null;
}

export function CadMetadata({ cad }: { cad: CadFileRead }) {
  const { t } = useTranslation("cad");
  const format = useFormat();
  const meta = cad.metadata as Metadata;
  const counts = meta.counts ?? {};
  const units = meta.units?.length
    ? `${meta.units.length}${meta.units.mm_per_unit && meta.units.mm_per_unit !== 1 ? ` (${meta.units.mm_per_unit} mm)` : ""}`
    : "—";
  const rows: Array<[string, ReactNode]> = [
    [t("meta.originalName"), cad.original_name],
    [t("meta.fileSize"), formatBytes(cad.size_bytes)],
    [t("meta.units"), units],
    [t("meta.schema"), schemaText(meta)],
    [t("meta.madeWith"), meta.originating_system || "—"],
    [t("meta.encoding"), meta.utf8_bom ? t("meta.bom") : null],
    [t("meta.bbox"), <span data-testid="cad-bbox">{formatBbox(bboxSize(meta.bbox_mm) ?? meta.size_mm)}</span>],
    [t("meta.volume"), formatVolume(totalVolume(cad.parts))],
    [t("meta.parts"), formatCount(counts.parts ?? cad.parts.length)],
    [t("meta.solids"), formatCount(counts.solids)],
    [t("meta.faces"), formatCount(counts.faces)],
    [t("meta.triangles"), formatCount(counts.triangles)],
    [t("meta.uploaded"), format.dateTime(cad.created_at)],
    [t("meta.sha"), <code title={cad.sha256}>{cad.sha256.slice(0, 16)}…</code>],
  ];
  return (
    <dl className="cad-meta" data-testid="cad-metadata">
      {rows
        .filter(([, value]) => value !== null)
        .map(([label, value]) => (
          <div key={label} className="cad-meta__row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}
