import { useTranslation } from "react-i18next";
import { Alert, Card, LoadMore, Spinner } from "@/components/ui";
import { useFormat } from "@/i18n/format";
import { allItems, totalOf } from "@/lib/paging";
import { useAuditTrail } from "../api/settings";
import type { AuditEntry, AuditTarget } from "../api/settings";
import { apiErrorText } from "./errors";

/** A value of the trail as people read it: "—" for none, lists joined, the rest as it is. */
export function shown(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

interface Change {
  key: string;
  from: unknown;
  to: unknown;
}

function changesOf(entry: AuditEntry): Change[] {
  const detail = entry.detail as { from?: unknown; to?: unknown; changes?: Record<string, { from?: unknown; to?: unknown }> };
  if (detail.changes) return Object.entries(detail.changes).map(([key, c]) => ({ key, from: c.from, to: c.to }));
  return [{ key: entry.target_id ?? "", from: detail.from, to: detail.to }];
}

/** Who changed what and when (old → new), newest first, paged. */
export function AuditTrail({ target, title }: { target: AuditTarget; title: string }) {
  const { t } = useTranslation("settings");
  const { dateTime } = useFormat();
  const trail = useAuditTrail(target);
  const entries = allItems(trail.data);
  const { total, estimate } = totalOf(trail.data);
  return (
    <Card title={title} className="settings-section" data-testid={`audit-${target}`}>
      {trail.isPending ? (
        <Spinner label={t("audit.loading")} />
      ) : trail.isError ? (
        <Alert>{apiErrorText(trail.error, t)}</Alert>
      ) : entries.length === 0 ? (
        <p className="muted">{t("audit.empty")}</p>
      ) : (
        <>
          <table className="settings-audit">
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.who")}</th>
                <th scope="col">{t("audit.what")}</th>
                <th scope="col">{t("audit.change")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.flatMap((entry) =>
                changesOf(entry).map((change) => {
                  const scope = (entry.detail as { scope?: string }).scope;
                  return (
                    <tr key={`${entry.id}-${change.key}`} data-testid="audit-row">
                      <td>{dateTime(entry.created_at)}</td>
                      <td>{entry.actor_email ?? t(`audit.roles.${entry.actor_role ?? "unknown"}`, { defaultValue: entry.actor_role ?? "—" })}</td>
                      <td>
                        <code>{change.key}</code>
                        {scope && <span className="muted"> · {t(scope === "system" ? "audit.scopeInstallation" : "audit.scopeTenant")}</span>}
                      </td>
                      <td>
                        {entry.action.endsWith(".reset") ? t("audit.reset", { from: shown(change.from) }) : `${shown(change.from)} → ${shown(change.to)}`}
                      </td>
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
          <LoadMore
            shown={entries.length}
            total={total}
            estimate={estimate}
            hasNext={trail.hasNextPage}
            loading={trail.isFetchingNextPage}
            onMore={() => void trail.fetchNextPage()}
          />
        </>
      )}
    </Card>
  );
}
