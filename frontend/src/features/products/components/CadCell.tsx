import { Badge, StatusPill } from "@/components/ui";
import type { CadFileSummary } from "../api/list-cad-files";

/** A product's CAD file: its name and status when the user can see it, "Linked" otherwise. */
export function CadCell({ cadFileId, file }: { cadFileId: string | null; file: CadFileSummary | undefined }) {
  if (!cadFileId) return <span className="products__none">—</span>;
  if (!file) return <Badge tone="info">Linked</Badge>;
  return (
    <span className="products__cad">
      <span className="products__cad-name" title={file.original_name}>
        {file.original_name}
      </span>
      <StatusPill status={file.status} />
    </span>
  );
}
