import { Badge, StatusPill, statusTone } from "@/components/ui";
import { useLanguage } from "@/i18n/language";
import { CadFailure } from "./CadFailure";
import type { CadWarning, ThumbnailStatus } from "./cad-warnings";
import { problems, thumbnailNote, warningBadge } from "./cad-warnings";

interface CadStatusProps {
  status: string;
  error?: string | null;
  /** The converter's own words about the failure, folded under "Details". */
  errorDetail?: string | null;
  /** The file's warnings: a ready file with any gets a badge ("ready with warnings"). */
  warnings?: readonly CadWarning[];
  /** The thumbnail's state: shown when it is queued, rendering or failed. */
  thumbnail?: ThumbnailStatus | null;
}

/** Status pill of a CAD file; a failed one shows the server's reason below it, a ready one its
 * warnings badge and what became of its thumbnail. */
export function CadStatus({ status, error, errorDetail, warnings, thumbnail }: CadStatusProps) {
  useLanguage(); // the badge and the thumbnail's note are worded by plain functions: render again on a switch
  const badge = status === "ready" ? warningBadge(warnings) : null;
  const note = thumbnailNote(thumbnail, status);
  return (
    <div className="cad-status">
      <span className="cad-status__line">
        <StatusPill status={status} />
        {badge && (
          <Badge
            tone={statusTone("warning")}
            data-testid="cad-warnings-badge"
            title={problems(warnings)
              .map((warning) => warning.message)
              .join("\n")}
          >
            {badge}
          </Badge>
        )}
      </span>
      {status === "failed" && error && (
        <div className="cad-status__error">
          <CadFailure error={error} detail={errorDetail} />
        </div>
      )}
      {note && (
        <div
          className={note.failed ? "cad-status__error" : "cad-status__note"}
          data-testid="cad-thumbnail-state"
          data-state={note.state}
        >
          {note.text}
        </div>
      )}
    </div>
  );
}
