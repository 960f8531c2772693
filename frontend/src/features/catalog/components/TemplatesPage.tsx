/**
 * /admin/templates (tenant admins): the tenant's render templates (.blend scenes). Uploading one
 * shows it `validating` until a render host has opened it, then what it found: cameras, the active
 * camera, the AUTOMAT_MODEL anchor, missing libraries, the file's engine, resolution, samples, ...
 * (every fact with its help entry `template.<field>`). Templates are activated and deactivated
 * here; an inactive one cannot be linked to an output type.
 */
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Badge, Button, Card, EmptyState, Input, PageHeader, Spinner, toast } from "@/components/ui";
import type { Tone } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { errorMessage } from "@/lib/api";
import { useFormat } from "@/i18n/format";
import { useTenantView } from "@/lib/session";
import { useDeleteTemplate, useTemplates, useUpdateTemplate, useUploadTemplate } from "../api/catalog";
import type { Template } from "../api/catalog";
import { HelpField } from "./HelpField";
import "./catalog.css";

const STATUS_TONE: Record<Template["status"], Tone> = { validating: "info", ready: "success", invalid: "danger" };

export function TemplatesPage() {
  const { t } = useTranslation("catalog");
  const { overview } = useTenantView();
  const templates = useTemplates(!overview);
  return (
    <>
      <PageHeader title={t("templates.title")} description={t("templates.description")} />
      {overview ? (
        <EmptyState title={t("pickTenant.title")}>{t("pickTenant.body")}</EmptyState>
      ) : (
        <>
          <UploadForm />
          {templates.isPending ? (
            <Spinner label={t("templates.loading")} />
          ) : templates.isError ? (
            <Alert>{errorMessage(templates.error)}</Alert>
          ) : templates.data.length === 0 ? (
            <EmptyState title={t("templates.empty.title")}>{t("templates.empty.body")}</EmptyState>
          ) : (
            templates.data.map((template) => <TemplateCard key={template.id} template={template} />)
          )}
        </>
      )}
    </>
  );
}

function UploadForm() {
  const { t } = useTranslation("catalog");
  const upload = useUploadTemplate();
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    upload.mutate(
      { file, name },
      {
        onSuccess: (row) => {
          toast({ title: t("templates.uploaded"), message: row.name, tone: "success" });
          setName("");
          setFile(null);
          if (input.current) input.current.value = "";
        },
      },
    );
  };
  return (
    <Card title={t("templates.upload")} className="cat-section">
      <form className="cat-form" onSubmit={submit} aria-label={t("templates.upload")}>
        <HelpField label={t("templates.field.file")} help="template.size_bytes">
          <input ref={input} type="file" accept=".blend" data-testid="template-file" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        </HelpField>
        <HelpField label={t("templates.field.name")} help="template.name">
          <Input value={name} onChange={(event) => setName(event.target.value)} placeholder={t("templates.namePlaceholder")} maxLength={200} />
        </HelpField>
        <span className="cat-form__actions">
          <Button type="submit" loading={upload.isPending} disabled={!file}>
            {t("templates.uploadButton")}
          </Button>
        </span>
        {upload.isError && <Alert>{errorMessage(upload.error)}</Alert>}
      </form>
    </Card>
  );
}

function Fact({ field, children }: { field: string; children: React.ReactNode }) {
  const { t } = useTranslation("catalog");
  return (
    <>
      <dt>
        {t(`templates.fact.${field}`)} <HelpTooltip entry={`template.${field}`} />
      </dt>
      <dd data-fact={field}>{children}</dd>
    </>
  );
}

function TemplateCard({ template }: { template: Template }) {
  const { t } = useTranslation("catalog");
  const { bytes } = useFormat();
  const update = useUpdateTemplate();
  const remove = useDeleteTemplate();
  const found = template.inspection as Record<string, unknown>;
  const list = (value: unknown) => (Array.isArray(value) && value.length > 0 ? value.map(String).join(", ") : t("templates.none"));
  const text = (value: unknown) => (value === null || value === undefined || value === "" ? t("templates.none") : String(value));
  const onError = (error: unknown) => toast({ title: t("templates.changeFailed"), message: errorMessage(error), tone: "danger" });
  const missing = Array.isArray(found.missing_libraries) ? (found.missing_libraries as string[]) : [];
  const resolution = Array.isArray(found.resolution) ? (found.resolution as number[]).join(" × ") : null;
  const frames = Array.isArray(found.frame_range) ? (found.frame_range as number[]).join("–") : null;

  return (
    <Card
      className="cat-section"
      title={
        <span data-testid="template" data-name={template.name} data-status={template.status}>
          {template.name} <Badge tone={STATUS_TONE[template.status]}>{t(`templates.status.${template.status}`)}</Badge>{" "}
          {!template.is_active && <Badge tone="muted">{t("templates.inactive")}</Badge>}
        </span>
      }
    >
      <div className="cat-toolbar">
        <span className="cat-label">
          <Button
            size="sm"
            variant="secondary"
            loading={update.isPending}
            onClick={() => update.mutate({ id: template.id, is_active: !template.is_active }, { onError })}
          >
            {template.is_active ? t("templates.deactivate") : t("templates.activate")}
          </Button>
          <HelpTooltip entry="template.is_active" />
        </span>
        <Button size="sm" variant="ghost" onClick={() => remove.mutate(template.id, { onError })} aria-label={t("templates.delete", { name: template.name })}>
          {t("common:delete")}
        </Button>
      </div>
      {template.status === "validating" ? (
        <Spinner label={t("templates.validating")} />
      ) : (
        <>
          {template.error && <Alert>{template.error}</Alert>}
          <dl className="cat-facts" aria-label={t("templates.result", { name: template.name })}>
            <Fact field="cameras">{list(found.cameras)}</Fact>
            <Fact field="active_camera">{text(found.active_camera)}</Fact>
            <Fact field="has_anchor">{found.has_anchor ? t("common:yes") : t("common:no")}</Fact>
            <Fact field="missing_libraries">
              {missing.length ? <span className="cat-warning">{missing.join(", ")}</span> : t("templates.none")}
            </Fact>
            <Fact field="render_engine">{text(found.render_engine)}</Fact>
            <Fact field="resolution">{resolution ? `${resolution} px` : t("templates.none")}</Fact>
            <Fact field="samples">{text(found.samples)}</Fact>
            <Fact field="frame_range">{frames ?? t("templates.none")}</Fact>
            <Fact field="lights">{list(found.lights)}</Fact>
            <Fact field="world">{text(found.world)}</Fact>
            <Fact field="blender_version">{text(found.blender_version)}</Fact>
            <Fact field="size_bytes">{bytes(template.size_bytes)}</Fact>
          </dl>
        </>
      )}
    </Card>
  );
}
