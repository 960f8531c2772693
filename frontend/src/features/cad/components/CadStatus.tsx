import { StatusPill } from "@/components/ui";

/** Status pill of a CAD file; a failed one shows the server's reason below it. */
export function CadStatus({ status, error }: { status: string; error?: string | null }) {
  return (
    <div className="cad-status">
      <StatusPill status={status} />
      {status === "failed" && error && <div className="cad-status__error">{error}</div>}
    </div>
  );
}
