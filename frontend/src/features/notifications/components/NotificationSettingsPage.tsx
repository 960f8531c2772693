import { Link } from "@tanstack/react-router";
import { useMemo } from "react";
import type { ReactNode } from "react";
import { Alert, Button, Card, Field, PageHeader, Select, Spinner, toast } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { errorMessage } from "@/lib/api";
import { useHelpEntry } from "@/lib/help";
import { useCan, useMe, useTenantView } from "@/lib/session";
import { usePreferences, useResetPreferences, useTenantDefaults, useUpdatePreferences, useUpdateTenantDefaults } from "../api/preferences";
import {
  CHANNELS,
  channelLabel,
  FREQUENCIES,
  frequencyLabel,
  LOCALES,
  browserZone,
  roleDefaultsLabel,
  rowsOf,
  sourceNote,
  timeZones,
} from "./preferences";
import type { Channel, Frequency, Preference, Preferences, Row, TenantDefault } from "./preferences";
import "./notifications.css";
import { useTranslation } from "react-i18next";
import { i18n } from "@/i18n";

/**
 * How each user hears of what happens: per event type and channel (in the app, by e-mail) a
 * frequency, saved at once; the language and time zone of e-mails and daily digests. Tenant
 * admins also set the tenant's defaults for everyone who has not chosen.
 */
export function NotificationSettingsPage() {
  const { t } = useTranslation("notifications");
  const canManage = useCan("manage_settings");
  const { tenantId } = useTenantView();
  return (
    <>
      <PageHeader
        title={t("settings.title")}
        description={t("settings.description")}
        actions={
          <Link to="/notifications" className="ui-button ui-button--secondary ui-button--sm">
            {t("settings.back")}
          </Link>
        }
      />
      <MyPreferences />
      {canManage && (tenantId ? <TenantDefaults /> : <Alert tone="info">{t("settings.pickTenant")}</Alert>)}
    </>
  );
}

function onSaveError(error: unknown) {
  toast({ title: i18n.t("notifications:settings.notSaved"), message: errorMessage(error), tone: "danger" });
}

/** The event type's help: the help registry's entry when there is one, else the notification registry's text. */
function EventHelp({ eventType, text }: { eventType: string; text: string }) {
  const key = `notification.${eventType}`;
  const entry = useHelpEntry(key);
  return entry ? <HelpTooltip entry={key} /> : <span className="nc-help">{text}</span>;
}

/** The user's own choices (exported for its test). */
export function MyPreferences() {
  const { t } = useTranslation("notifications");
  const me = useMe().data;
  const preferences = usePreferences();
  const update = useUpdatePreferences();
  const reset = useResetPreferences();
  const noTenant = me?.role === "global_admin";

  if (preferences.isPending) return <Spinner label={t("settings.loading")} />;
  if (preferences.isError) return <Alert>{errorMessage(preferences.error)}</Alert>;
  const data = preferences.data;
  const own = data.items.some((item) => item.source === "user");

  return (
    <>
      <Card
        title={t("settings.what")}
        flush
        className="nc-section"
        actions={
          !noTenant && (
            <Button
              size="sm"
              variant="ghost"
              disabled={!own || reset.isPending}
              onClick={() =>
                reset.mutate(undefined, {
                  onSuccess: () => toast({ title: t("settings.resetDone"), message: t("settings.resetMessage"), tone: "success" }),
                  onError: onSaveError,
                })
              }
            >
              {t("settings.reset")}
            </Button>
          )
        }
      >
        {noTenant && (
          <Alert tone="info">{t("settings.globalAdmin")}</Alert>
        )}
        <PreferenceTable
          items={data.items}
          readOnly={noTenant}
          onChange={(item, frequency) =>
            update.mutate({ items: [{ event_type: item.event_type, channel: item.channel, frequency }] }, { onError: onSaveError })
          }
        />
      </Card>
      <LanguageAndZone preferences={data} onChange={(body) => update.mutate(body, { onError: onSaveError })} />
    </>
  );
}

function PreferenceTable({
  items,
  readOnly,
  onChange,
}: {
  items: Preference[];
  readOnly: boolean;
  onChange: (item: Preference, frequency: Frequency) => void;
}) {
  const { t } = useTranslation("notifications");
  return (
    <EventChannelTable
      items={items}
      caption={t("settings.caption")}
      testId="preferences"
      cell={(row, channel, item) => (
        <td key={channel} data-channel={channel} data-source={item.source}>
          <Select
            aria-label={t("settings.cell", { event: row.label, channel: channelLabel(channel) })}
            value={item.frequency}
            disabled={readOnly}
            onChange={(event) => onChange(item, event.target.value as Frequency)}
          >
            {FREQUENCIES.map((frequency) => (
              <option key={frequency} value={frequency}>
                {frequencyLabel(frequency)}
              </option>
            ))}
          </Select>
          <span className="nc-prefs__source" data-testid="source">
            {sourceNote(item)}
          </span>
        </td>
      )}
    />
  );
}

/**
 * The table both the user's choices and the tenant's defaults are shown in: a row per event type
 * (its label and help), a column per channel; `cell` draws a channel the event type goes by, the
 * others read "—".
 */
function EventChannelTable<T extends Preference | TenantDefault>({
  items,
  caption,
  testId,
  cell,
}: {
  items: readonly T[];
  caption: string;
  testId?: string;
  cell: (row: Row<T>, channel: Channel, item: T) => ReactNode;
}) {
  const { t } = useTranslation("notifications");
  return (
    <div className="ui-table-wrap ui-table-wrap--flush">
      <table className="ui-table nc-prefs" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th>{t("settings.event")}</th>
            {CHANNELS.map((channel) => (
              <th key={channel}>{channelLabel(channel)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rowsOf(items).map((row) => (
            <tr key={row.event_type} data-event-type={row.event_type}>
              <th scope="row" className="nc-prefs__event">
                <span className="nc-prefs__label">{row.label}</span> <EventHelp eventType={row.event_type} text={row.help} />
              </th>
              {CHANNELS.map((channel) => {
                const item = row.cells[channel];
                if (!item) {
                  return (
                    <td key={channel} className="muted" aria-label={t("settings.notSent", { event: row.label, channel: i18n.language === "de" ? channelLabel(channel) : channelLabel(channel).toLowerCase() })}>
                      —
                    </td>
                  );
                }
                return cell(row, channel, item);
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LanguageAndZone({
  preferences,
  onChange,
}: {
  preferences: Preferences;
  onChange: (body: { locale?: Preferences["locale"]; timezone?: string }) => void;
}) {
  const { t } = useTranslation("notifications");
  const zones = useMemo(() => timeZones(preferences.timezone), [preferences.timezone]);
  const here = browserZone();
  return (
    <Card title={t("settings.locale")} className="nc-section">
      <div className="nc-locale">
        <Field label={t("settings.emailLanguage")}>
          <Select value={preferences.locale} onChange={(event) => onChange({ locale: event.target.value as Preferences["locale"] })}>
            {LOCALES.map((locale) => (
              <option key={locale.value} value={locale.value}>
                {locale.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label={t("settings.timeZone")}
          hint={
            here !== preferences.timezone ? (
              <>
                {t("settings.digestAt")}{" "}
                <button type="button" className="nc-linkish" onClick={() => onChange({ timezone: here })}>
                  {t("settings.useBrowser", { zone: here })}
                </button>
              </>
            ) : (
              t("settings.digestAt")
            )
          }
        >
          <Select value={preferences.timezone} onChange={(event) => onChange({ timezone: event.target.value })}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, " ")}
              </option>
            ))}
          </Select>
        </Field>
      </div>
    </Card>
  );
}

/** The tenant's defaults (tenant admins): per event type and channel a frequency, or each role's own. */
function TenantDefaults() {
  const { t } = useTranslation("notifications");
  const defaults = useTenantDefaults(true);
  const update = useUpdateTenantDefaults();
  if (defaults.isPending) return <Spinner label={t("settings.loadingDefaults")} />;
  if (defaults.isError) return <Alert>{errorMessage(defaults.error)}</Alert>;

  const change = (item: TenantDefault, value: string) =>
    update.mutate([{ event_type: item.event_type, channel: item.channel, frequency: value ? (value as Frequency) : null }], {
      onError: onSaveError,
    });

  return (
    <Card title={t("settings.defaults")} flush className="nc-section" data-testid="tenant-defaults">
      <p className="nc-intro muted">
        {t("settings.defaultsIntro")}
      </p>
      <EventChannelTable
        items={defaults.data}
        caption={t("settings.defaultsCaption")}
        cell={(row, channel, item) => (
          <td key={channel} data-channel={channel}>
            <Select
              aria-label={t("settings.defaultCell", { event: row.label, channel: channelLabel(channel) })}
              value={item.frequency ?? ""}
              onChange={(event) => change(item, event.target.value)}
            >
              <option value="">{t("settings.roleDefault")}</option>
              {FREQUENCIES.map((frequency) => (
                <option key={frequency} value={frequency}>
                  {frequencyLabel(frequency)}
                </option>
              ))}
            </Select>
            <span className="nc-prefs__source" data-testid="role-defaults">
              {roleDefaultsLabel(item.role_defaults)}
            </span>
          </td>
        )}
      />
    </Card>
  );
}
