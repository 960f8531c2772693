import { Link } from "@tanstack/react-router";
import { Badge, StatusPill } from "@/components/ui";
import type { Schemas } from "@/lib/api";

/** A product's CAD file: its name (a link to the CAD library) and status. */
export function CadCell({ cadFileId, file }: { cadFileId: string | null; file: Schemas["CadFileBrief"] | undefined }) {
  if (!cadFileId) return <span className="products__none">—</span>;
  if (!file) return <Badge tone="info">Linked</Badge>;
  return (
    <span className="products__cad">
      <Link
        to="/cad/$cadId"
        params={{ cadId: file.id }}
        className="products__cad-name"
        title={`Open ${file.original_name} in the CAD library`}
        onClick={(event) => event.stopPropagation()}
      >
        {file.original_name}
      </Link>
      <StatusPill status={file.status} />
    </span>
  );
}
