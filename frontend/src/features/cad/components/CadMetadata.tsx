import type { ReactNode } from "react";
import type { CadFileRead } from "../api/get-cad-file";
import { bboxSize, formatBbox, formatBytes, formatCount, formatDate, formatVolume } from "./format";

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
  const meta = cad.metadata as Metadata;
  const counts = meta.counts ?? {};
  const units = meta.units?.length
    ? `${meta.units.length}${meta.units.mm_per_unit && meta.units.mm_per_unit !== 1 ? ` (${meta.units.mm_per_unit} mm)` : ""}`
    : "—";
  const rows: Array<[string, ReactNode]> = [
    ["Original name", cad.original_name],
    ["File size", formatBytes(cad.size_bytes)],
    ["Units", units],
    ["STEP schema", schemaText(meta)],
    ["Made with", meta.originating_system || "—"],
    ["Encoding", meta.utf8_bom ? "UTF-8 with a byte-order mark (removed for the conversion)" : null],
    ["Bounding box", <span data-testid="cad-bbox">{formatBbox(bboxSize(meta.bbox_mm) ?? meta.size_mm)}</span>],
    ["Volume", formatVolume(totalVolume(cad.parts))],
    ["Parts", formatCount(counts.parts ?? cad.parts.length)],
    ["Solids", formatCount(counts.solids)],
    ["Faces", formatCount(counts.faces)],
    ["Triangles", formatCount(counts.triangles)],
    ["Uploaded", formatDate(cad.created_at)],
    ["SHA-256", <code title={cad.sha256}>{cad.sha256.slice(0, 16)}…</code>],
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
