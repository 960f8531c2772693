import { useEffect, useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Badge, Button, Card, PageHeader, Spinner, ValueInput, draftOf, toast, valueOf } from "@/components/ui";
import type { ValueDraft, ValueKind } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { useFormat } from "@/i18n/format";
import { useHelpEntry } from "@/lib/help";
import { useCan, useTenantView } from "@/lib/session";
import { useSettingWrites, useSettings } from "../api/settings";
import type { Setting } from "../api/settings";
import { AuditTrail } from "./AuditTrail";
import { apiErrorText, settingErrorText } from "./errors";
import "./settings.css";

type Scope = "tenant" | "installation";

function kindOf(setting: Setting): ValueKind {
  if (setting.choices?.length) return "select";
  if (setting.type === "int" || setting.type === "float" || setting.type === "bool") return setting.type;
  return "str";
}

/**
 * Every system setting of the registry: its default and installation value, a global admin's
 * editor of the installation value (with "Reset to default"), a tenant's override where the
 * registry allows one (with "Use installation value"), and the audit trail of the changes.
 */
export function SettingsPage() {
  const { t } = useTranslation("settings");
  const settings = useSettings();
  const canInstallation = useCan("manage_system_settings");
  const view = useTenantView();
  const tenantScope = view.tenantId !== null;
  return (
    <>
      <PageHeader
        title={t("settings.title")}
        description={canInstallation ? t("settings.descriptionGlobal") : t("settings.descriptionTenant")}
      />
      {canInstallation && !tenantScope && <Alert tone="info">{t("settings.pickForOverrides")}</Alert>}
      <Card title={t("settings.listTitle")} className="settings-section">
        {settings.isPending ? (
          <Spinner label={t("settings.loading")} />
        ) : settings.isError ? (
          <Alert>{apiErrorText(settings.error, t)}</Alert>
        ) : (
          <ul className="settings-list">
            {settings.data.map((setting) => (
              <SettingRow key={setting.key} setting={setting} canInstallation={canInstallation} tenantScope={tenantScope} />
            ))}
          </ul>
        )}
      </Card>
      <AuditTrail target="setting" title={t("audit.settingsTitle")} />
    </>
  );
}

function SettingRow({ setting, canInstallation, tenantScope }: { setting: Setting; canInstallation: boolean; tenantScope: boolean }) {
  const { t } = useTranslation("settings");
  const help = useHelpEntry(setting.help_key);
  const kind = kindOf(setting);
  const display = useDisplay(setting);
  const labelId = useId();
  return (
    <li className="settings-row" data-setting={setting.key} aria-labelledby={labelId}>
      <div className="settings-row__head">
        <span id={labelId} className="settings-row__title">
          {help?.title ?? setting.key}
        </span>
        <HelpTooltip entry={setting.help_key} />
        <Badge tone={setting.source === "tenant" ? "info" : setting.source === "system" ? "progress" : "neutral"}>
          {t(`settings.source.${setting.source}`)}
        </Badge>
      </div>
      <dl className="settings-row__facts">
        <div>
          <dt>{t("settings.effective")}</dt>
          <dd data-testid="effective">{display(setting.value)}</dd>
        </div>
        <div>
          <dt>{t("settings.default")}</dt>
          <dd data-testid="default">{display(setting.default)}</dd>
        </div>
        <div>
          <dt>{t("settings.installation")}</dt>
          <dd data-testid="installation">
            {setting.installation_value === null || setting.installation_value === undefined
              ? t("settings.notSet")
              : display(setting.installation_value)}
          </dd>
        </div>
      </dl>
      {canInstallation && (
        <ValueEditor
          setting={setting}
          kind={kind}
          scope="installation"
          label={t("settings.installationEdit")}
          initial={setting.installation_value ?? setting.default}
          resettable={setting.installation_value !== null && setting.installation_value !== undefined}
        />
      )}
      {tenantScope &&
        (setting.tenant_overridable ? (
          <ValueEditor
            setting={setting}
            kind={kind}
            scope="tenant"
            label={t("settings.tenantEdit")}
            initial={setting.tenant_value ?? setting.value}
            resettable={setting.tenant_value !== null && setting.tenant_value !== undefined}
          />
        ) : (
          <p className="muted settings-row__note">{t("settings.installationOnly")}</p>
        ))}
    </li>
  );
}

/** A value as people read it: the number in the UI's language with its unit, yes/no, the word. */
function useDisplay(setting: Setting) {
  const { t } = useTranslation("settings");
  const { number } = useFormat();
  return (value: unknown): string => {
    if (typeof value === "boolean") return value ? t("common:yes") : t("common:no");
    if (typeof value === "number") return `${number(value)}${setting.unit ? ` ${setting.unit}` : ""}`;
    return value === null || value === undefined ? "—" : String(value);
  };
}

interface EditorProps {
  setting: Setting;
  kind: ValueKind;
  scope: Scope;
  label: string;
  initial: unknown;
  /** A value is set at this scope (so it can be removed). */
  resettable: boolean;
}

/**
 * The value of one scope: an input of the setting's type, Save, and the way back (the tenant's
 * "Use installation value", the installation's "Reset to default"). A refused value's error is
 * shown at the input.
 */
function ValueEditor({ setting, kind, scope, label, initial, resettable }: EditorProps) {
  const { t } = useTranslation("settings");
  const { save, reset } = useSettingWrites();
  const [draft, setDraft] = useState<ValueDraft>(() => draftOf(kind, initial));
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = `${inputId}-error`;
  const initialDraft = JSON.stringify(draftOf(kind, initial));
  useEffect(() => setDraft(JSON.parse(initialDraft) as ValueDraft), [initialDraft]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    save.mutate(
      { key: setting.key, value: valueOf(kind, draft), scope },
      {
        onSuccess: () => toast({ title: t("settings.savedToast", { name: setting.key }), tone: "success" }),
        onError: (failure) => setError(settingErrorText(failure, t)),
      },
    );
  };
  const remove = () => {
    setError(null);
    reset.mutate(
      { key: setting.key, scope },
      {
        onSuccess: () =>
          toast({
            title: scope === "tenant" ? t("settings.usingInstallationToast", { name: setting.key }) : t("settings.resetToast", { name: setting.key }),
            tone: "success",
          }),
        onError: (failure) => setError(apiErrorText(failure, t)),
      },
    );
  };
  const choices = setting.choices?.map((choice) => ({ value: String(choice), label: String(choice) }));
  return (
    <form className="settings-editor" data-scope={scope} onSubmit={submit} noValidate>
      <label htmlFor={inputId} className="ui-label settings-editor__label">
        {label}
      </label>
      <ValueInput
        id={inputId}
        kind={kind}
        value={draft}
        onChange={setDraft}
        choices={choices}
        min={setting.minimum}
        max={setting.maximum}
        step={setting.step}
        unit={setting.unit}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      <Button type="submit" size="sm" variant="primary" loading={save.isPending}>
        {t("settings.save")}
      </Button>
      <span className="settings-editor__reset">
        <Button size="sm" variant="ghost" disabled={!resettable} loading={reset.isPending} onClick={remove}>
          {scope === "tenant" ? t("settings.useInstallation") : t("settings.resetDefault")}
        </Button>
        {scope === "tenant" ? <HelpTooltip entry="action.reset_setting" /> : <HelpTooltip entry="action.reset_installation_setting" />}
      </span>
      {error && (
        <span id={errorId} className="ui-field__error settings-editor__error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
