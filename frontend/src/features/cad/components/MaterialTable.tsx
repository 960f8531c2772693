import type { ReactNode } from "react";
import { Badge, DataTable } from "@/components/ui";
import type { Column } from "@/components/ui";
import type { CadPart } from "../api/get-cad-file";
import { cadColourHex, formatCount, formatVolume, reasonLabel } from "./format";

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
  if (reason === "fallback") {
    return <span className="cad-reason cad-reason--fallback">{reasonLabel(reason)}</span>;
  }
  return <Badge tone={reason ? (REASON_TONES[reason] ?? "neutral") : "muted"}>{reasonLabel(reason)}</Badge>;
}

const baseColumns: Array<Column<CadPart>> = [
  { key: "position", header: "#", align: "right", width: "48px", render: (part) => part.position + 1 },
  {
    key: "name",
    header: "Part",
    render: (part) => (
      <span className="cad-part-name" title={part.path}>
        {part.name}
      </span>
    ),
  },
  {
    key: "material",
    header: "Material",
    render: (part) => <MaterialName material={part.material} />,
  },
  { key: "reason", header: "Reason", width: "170px", render: (part) => <ReasonBadge reason={part.material_reason} /> },
  { key: "triangles", header: "Triangles", align: "right", width: "100px", render: (part) => formatCount(part.triangles) },
  { key: "volume", header: "Volume", align: "right", width: "110px", render: (part) => formatVolume(part.volume_mm3) },
];

export interface MaterialTableProps {
  parts: CadPart[];
  /** For an unmatched (magenta) part: the way to fix it ("Assign material"), for those allowed to. */
  fix?: (part: CadPart) => ReactNode;
}

/** Every part with its material; rows of parts without a match are marked magenta. */
export function MaterialTable({ parts, fix }: MaterialTableProps) {
  const columns: Array<Column<CadPart>> = fix
    ? [
        ...baseColumns,
        {
          key: "fix",
          header: <span className="sr-only">Fix</span>,
          width: "150px",
          render: (part) => (part.material_reason === "fallback" ? fix(part) : null),
        },
      ]
    : baseColumns;
  const fallback = parts.filter((part) => part.material_reason === "fallback").length;
  const cadColour = parts.filter((part) => part.material_reason === "cad_colour").length;
  return (
    <div className="cad-materials" data-testid="cad-materials">
      {cadColour > 0 && (
        <p className="cad-materials__note">
          {cadColour} of {parts.length} parts matched no alias and render in the colour their STEP file gives them
          (this tenant's setting for unmatched parts).
        </p>
      )}
      {fallback > 0 && (
        <p className="cad-materials__note">
          <span className="cad-swatch cad-swatch--fallback" aria-hidden="true" /> {fallback} of {parts.length} parts
          matched no alias and render with the magenta fallback material.{" "}
          {fix
            ? "Assign each a material: the alias is saved and the file rendered again."
            : "A tenant admin can assign them a material."}
        </p>
      )}
      <DataTable
        caption="Parts and their materials"
        columns={columns}
        rows={parts}
        rowKey={(part) => String(part.position)}
        empty="No parts yet: they are listed once the file is converted."
      />
    </div>
  );
}
