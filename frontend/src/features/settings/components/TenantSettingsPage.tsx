import { useEffect, useId, useMemo, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, EmptyState, PageHeader, Spinner, ValueInput, draftOf, toast, valueOf } from "@/components/ui";
import type { ValueChoice, ValueDraft, ValueKind } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { ApiError } from "@/lib/api";
import { useHelpEntry } from "@/lib/help";
import { useTenantView } from "@/lib/session";
import { useChangeTenantConfig, useMaterialNames, useTenantConfig } from "../api/settings";
import type { TenantConfig, TenantConfigPatch, TenantConfigRead } from "../api/settings";
import { AuditTrail } from "./AuditTrail";
import { apiErrorText, fieldErrorsOf } from "./errors";
import "./settings.css";

type Key = keyof TenantConfig & string;

interface FieldSpec {
  key: Key;
  kind: ValueKind;
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  /** Fixed choices (keys of "tenant.choices.<key>.<value>"); the fallback material's come from the API. */
  choices?: string[];
}

/** The tenant config's keys in the order of the form, with the input each gets. */
const FIELDS: FieldSpec[] = [
  { key: "max_concurrent_renders", kind: "int", min: 1, max: 256, step: 1 },
  { key: "render_engines_allowed", kind: "multi", choices: ["cycles", "eevee"] },
  { key: "max_order_size", kind: "int", min: 1, max: 100_000, step: 1 },
  { key: "fallback_material", kind: "select" },
  { key: "unmatched_part_material", kind: "select", choices: ["fallback", "cad_colour"] },
  { key: "notifications_enabled", kind: "bool" },
  { key: "currency", kind: "str" },
  { key: "invoice_prefix", kind: "str" },
  { key: "billing_mode", kind: "select", choices: ["monthly", "per_order"] },
  { key: "tax_rate_percent", kind: "float", min: 0, max: 100, step: 0.01, unit: "%" },
  { key: "billing_address", kind: "text" },
  { key: "dedicated_render_queue", kind: "bool" },
  { key: "dedicated_processing_queue", kind: "bool" },
];

type Drafts = Record<string, ValueDraft>;

const draftsOf = (config: TenantConfig): Drafts =>
  Object.fromEntries(FIELDS.map((field) => [field.key, draftOf(field.kind, config[field.key])]));

/**
 * The tenant's config (a tenant admin's own; a global admin's picked tenant): every key with its
 * help and an input of its type. Saving sends only what changed with the version it was read at;
 * if someone saved in between (409), the page says so and shows the current values.
 */
export function TenantSettingsPage() {
  const { t } = useTranslation("settings");
  const view = useTenantView();
  const config = useTenantConfig(view.tenantId !== null);
  return (
    <>
      <PageHeader
        title={t("tenant.title")}
        description={view.canPick && view.tenantId ? t("tenant.descriptionPicked", { tenant: view.tenantName(view.tenantId) }) : t("tenant.description")}
      />
      {view.tenantId === null ? (
        <EmptyState title={t("tenant.pickTitle")}>{t("tenant.pickBody")}</EmptyState>
      ) : config.isPending ? (
        <Spinner label={t("tenant.loading")} />
      ) : config.isError ? (
        <Alert>{apiErrorText(config.error, t)}</Alert>
      ) : (
        <>
          <TenantConfigForm read={config.data} onStale={() => void config.refetch()} />
          <AuditTrail target="tenant_config" title={t("audit.tenantTitle")} />
        </>
      )}
    </>
  );
}

function TenantConfigForm({ read, onStale }: { read: TenantConfigRead; onStale: () => void }) {
  const { t } = useTranslation("settings");
  const change = useChangeTenantConfig();
  const materials = useMaterialNames();
  const saved = useMemo(() => draftsOf(read.tenant_config), [read]);
  const [drafts, setDrafts] = useState<Drafts>(saved);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [stale, setStale] = useState(false);
  useEffect(() => setDrafts(saved), [saved]);

  const changed = FIELDS.filter((field) => JSON.stringify(drafts[field.key]) !== JSON.stringify(saved[field.key]));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setStale(false);
    const patch = Object.fromEntries(changed.map((field) => [field.key, valueOf(field.kind, drafts[field.key]!)])) as TenantConfigPatch;
    change.mutate(
      { version: read.version, config: patch },
      {
        onSuccess: () => toast({ title: t("tenant.savedToast"), tone: "success" }),
        onError: (failure) => {
          if (failure instanceof ApiError && failure.code === "stale_tenant_config") {
            setStale(true);
            onStale();
            return;
          }
          const byField = fieldErrorsOf(failure);
          if (Object.keys(byField).length > 0) setErrors(byField);
          else toast({ title: apiErrorText(failure, t), tone: "danger" });
        },
      },
    );
  };

  const materialChoices: ValueChoice[] = useMemo(() => {
    const names = new Set(materials.data ?? []);
    names.add(read.tenant_config.fallback_material);
    return [...names].sort().map((name) => ({ value: name, label: name }));
  }, [materials.data, read.tenant_config.fallback_material]);

  return (
    <Card title={t("tenant.formTitle")} className="settings-section">
      {stale && (
        <Alert tone="warning">
          <span data-testid="stale">{t("errors:stale_tenant_config")}</span>
        </Alert>
      )}
      <form className="settings-form" onSubmit={submit} noValidate>
        {FIELDS.map((field) => (
          <ConfigField
            key={field.key}
            field={field}
            value={drafts[field.key]!}
            onChange={(value) => setDrafts((was) => ({ ...was, [field.key]: value }))}
            error={errors[field.key]}
            choices={
              field.key === "fallback_material"
                ? materialChoices
                : field.choices?.map((choice) => ({ value: choice, label: t(`tenant.choices.${field.key}.${choice}`) }))
            }
          />
        ))}
        <div className="settings-form__actions">
          <Button type="submit" variant="primary" loading={change.isPending} disabled={changed.length === 0}>
            {t("tenant.save")}
          </Button>
          <Button disabled={changed.length === 0} onClick={() => { setDrafts(saved); setErrors({}); }}>
            {t("tenant.discard")}
          </Button>
          <span className="muted">{t("tenant.version", { version: read.version })}</span>
        </div>
      </form>
    </Card>
  );
}

function ConfigField({
  field,
  value,
  onChange,
  error,
  choices,
}: {
  field: FieldSpec;
  value: ValueDraft;
  onChange: (value: ValueDraft) => void;
  error?: string;
  choices?: ValueChoice[];
}) {
  const { t } = useTranslation("settings");
  const help = useHelpEntry(`tenant.${field.key}`);
  const id = useId();
  const message =
    error === undefined ? undefined : help?.range ? t("invalid.allowed", { range: help.range }) : error || t("errors:invalid_tenant_config");
  return (
    <div className="ui-field settings-form__field" data-field={field.key}>
      <span className="settings-form__label">
        <label id={`${id}-label`} htmlFor={id} className="ui-label">
          {t(`tenant.fields.${field.key}`)}
        </label>
        <HelpTooltip entry={`tenant.${field.key}`} />
      </span>
      <ValueInput
        id={id}
        kind={field.kind}
        value={value}
        onChange={onChange}
        choices={choices}
        min={field.min}
        max={field.max}
        step={field.step}
        unit={field.unit}
        aria-labelledby={field.kind === "multi" ? `${id}-label` : undefined}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
      />
      {message && (
        <span id={`${id}-error`} className="ui-field__error" role="alert">
          {message}
        </span>
      )}
    </div>
  );
}
