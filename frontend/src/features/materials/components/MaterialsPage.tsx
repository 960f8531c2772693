import { useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { Alert, Badge, Button, Card, DataTable, Field, Input, PageHeader, Select, Spinner, toast } from "@/components/ui";
import type { Column } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { errorMessage } from "@/lib/api";
import { linearToCss } from "@/lib/colour";
import { useCan } from "@/lib/session";
import { useAliases, useCreateAlias, useDeleteAlias, useLibrary, usePreview, useUpdateAlias } from "../api/materials";
import type { Alias, AliasKind, Material } from "../api/materials";
import "./materials.css";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { useFormat } from "@/i18n/format";

function Swatch({ color }: { color: readonly number[] | undefined }) {
  return <span className="mat-swatch" aria-hidden="true" style={{ background: color ? linearToCss(color) : "transparent" }} />;
}

function libraryColumns(t: TFunction<"materials">, format: ReturnType<typeof useFormat>): Array<Column<Material>> {
  const two = (value: number) => format.number(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return [
    { key: "swatch", header: "", width: "36px", render: (m) => <Swatch color={m.base_color} /> },
    { key: "name", header: t("library.material"), render: (m) => <code>{m.name}</code> },
    {
      key: "source",
      header: t("library.source"),
      width: "110px",
      render: (m) => <Badge tone={m.source === "tenant" ? "info" : "neutral"}>{t(`library.sources.${m.source}`, { defaultValue: m.source })}</Badge>,
    },
    { key: "metallic", header: t("library.metallic"), align: "right", width: "90px", render: (m) => two(m.metallic) },
    { key: "roughness", header: t("library.roughness"), align: "right", width: "100px", render: (m) => two(m.roughness) },
    { key: "description", header: t("library.description"), render: (m) => m.description },
  ];
}

/** What another feature may put in the aliases card (composed in src/app: the catalog's ordering). */
export interface AliasSlots {
  /** Buttons in the aliases card's header (tenant admins). */
  aliasActions?: ReactNode;
  /** The alias list for tenant admins instead of the table (e.g. one ordered by dragging). */
  renderAliases?: (args: { aliases: Alias[]; material: (alias: Alias) => ReactNode; onDelete: (alias: Alias) => void }) => ReactNode;
}

/** The material library, the tenant's aliases (exact / glob / regex, by priority) and a part-name tester. */
export function MaterialsPage({ aliasActions, renderAliases }: AliasSlots = {}) {
  const { t } = useTranslation("materials");
  const format = useFormat();
  const canManage = useCan("manage_materials");
  const library = useLibrary();
  const aliases = useAliases();
  const colours = new Map((library.data ?? []).map((m) => [m.name, m.base_color]));

  return (
    <>
      <PageHeader title={t("title")} />
      <PartTester />
      <Card title={t("aliasesCard", { count: aliases.data?.length ?? "…" })} flush className="mat-section" actions={canManage ? aliasActions : undefined}>
        {canManage && <AliasForm materials={library.data ?? []} />}
        {aliases.isPending ? (
          <Spinner label={t("loadingAliases")} />
        ) : aliases.isError ? (
          <Alert>{errorMessage(aliases.error)}</Alert>
        ) : (
          <AliasTable aliases={aliases.data} colours={colours} canManage={canManage} renderAliases={renderAliases} />
        )}
      </Card>
      <Card title={t("libraryCard")} flush className="mat-section">
        {library.isPending ? (
          <Spinner label={t("loadingLibrary")} />
        ) : library.isError ? (
          <Alert>{errorMessage(library.error)}</Alert>
        ) : (
          <DataTable caption={t("library.caption")} columns={libraryColumns(t, format)} rows={library.data} rowKey={(m) => m.name} />
        )}
      </Card>
    </>
  );
}

function PartTester() {
  const { t } = useTranslation("materials");
  const [text, setText] = useState("");
  const [parts, setParts] = useState<string[]>([]);
  const preview = usePreview(parts);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParts([...new Set(text.split(/[\n,]/).map((p) => p.trim()).filter(Boolean))]);
  };
  return (
    <Card title={t("tester.title")} className="mat-section">
      <form className="mat-tester" onSubmit={submit}>
        <Field label={t("tester.parts")} hint={t("tester.hint")}>
          <Input value={text} onChange={(event) => setText(event.target.value)} placeholder={t("tester.placeholder")} />
        </Field>
        <Button type="submit" disabled={!text.trim()}>
          {t("tester.submit")}
        </Button>
      </form>
      {preview.isError && <Alert>{errorMessage(preview.error)}</Alert>}
      {preview.data && (
        <ul className="mat-results" data-testid="part-preview">
          {preview.data.results.map((r) => (
            <li key={r.part} data-reason={r.reason}>
              <code>{r.part}</code> → <code className={r.reason === "fallback" ? "mat-fallback" : undefined}>{r.material}</code>{" "}
              <span className="muted">
                ({t(`tester.reason.${r.reason}`, { defaultValue: r.reason })}
                {r.pattern ? `: ${r.pattern}` : ""})
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function AliasForm({ materials }: { materials: Material[] }) {
  const { t } = useTranslation("materials");
  const create = useCreateAlias();
  const [pattern, setPattern] = useState("");
  const [kind, setKind] = useState<AliasKind>("exact");
  const [material, setMaterial] = useState("");
  const [priority, setPriority] = useState("0");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { pattern, kind, material, priority: Number(priority) || 0 },
      {
        onSuccess: () => {
          toast({ title: t("form.added"), message: `${pattern} → ${material}`, tone: "success" });
          setPattern("");
        },
      },
    );
  };
  return (
    <form className="mat-alias-form" onSubmit={submit} aria-label={t("form.label")}>
      <Field label={t("form.pattern")}>
        <Input value={pattern} onChange={(event) => setPattern(event.target.value)} placeholder={t("form.patternPlaceholder")} required />
      </Field>
      <Field label={t("form.kind")}>
        <Select value={kind} onChange={(event) => setKind(event.target.value as AliasKind)}>
          <option value="exact">{t("form.exact")}</option>
          <option value="glob">{t("form.glob")}</option>
          <option value="regex">{t("form.regex")}</option>
        </Select>
      </Field>
      <Field label={t("form.material")}>
        <Select value={material} onChange={(event) => setMaterial(event.target.value)} required>
          <option value="">{t("form.choose")}</option>
          {materials.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t("form.priority")} hint={t("form.priorityHint")}>
        <Input type="number" value={priority} onChange={(event) => setPriority(event.target.value)} min={-10000} max={10000} />
      </Field>
      <span className="mat-alias-form__submit">
        <Button type="submit" loading={create.isPending} disabled={!pattern.trim() || !material}>
          {t("form.submit")}
        </Button>
        <HelpTooltip entry="action.assign_material.pattern" />
      </span>
      {create.isError && <Alert>{errorMessage(create.error)}</Alert>}
    </form>
  );
}

function AliasTable({
  aliases,
  colours,
  canManage,
  renderAliases,
}: {
  aliases: Alias[];
  colours: Map<string, number[]>;
  canManage: boolean;
  renderAliases?: AliasSlots["renderAliases"];
}) {
  const { t } = useTranslation("materials");
  const update = useUpdateAlias();
  const remove = useDeleteAlias();
  const onError = (error: unknown) => toast({ title: t("table.changeFailed"), message: errorMessage(error), tone: "danger" });
  if (canManage && renderAliases) {
    return renderAliases({
      aliases,
      material: (a) => (
        <span className="mat-alias-material">
          <Swatch color={colours.get(a.material)} /> <code>{a.material}</code>
        </span>
      ),
      onDelete: (a) => remove.mutate(a.id, { onError }),
    });
  }
  const columns: Array<Column<Alias>> = [
    { key: "pattern", header: t("table.pattern"), render: (a) => <code>{a.pattern}</code> },
    { key: "kind", header: t("table.kind"), width: "90px", render: (a) => <Badge>{t(`table.kinds.${a.kind}`, { defaultValue: a.kind })}</Badge> },
    {
      key: "material",
      header: t("table.material"),
      render: (a) => (
        <span className="mat-alias-material">
          <Swatch color={colours.get(a.material)} /> <code>{a.material}</code>
        </span>
      ),
    },
    {
      key: "priority",
      header: t("table.priority"),
      align: "right",
      width: "150px",
      render: (a) =>
        canManage ? (
          <span className="mat-priority">
            <Button size="sm" variant="ghost" aria-label={t("table.lower", { pattern: a.pattern })} onClick={() => update.mutate({ id: a.id, priority: a.priority - 10 }, { onError })}>
              ↓
            </Button>
            {a.priority}
            <Button size="sm" variant="ghost" aria-label={t("table.raise", { pattern: a.pattern })} onClick={() => update.mutate({ id: a.id, priority: a.priority + 10 }, { onError })}>
              ↑
            </Button>
          </span>
        ) : (
          a.priority
        ),
    },
    { key: "default", header: "", width: "80px", render: (a) => (a.is_default ? <Badge tone="muted">{t("table.default")}</Badge> : null) },
  ];
  if (canManage) {
    columns.push({
      key: "delete",
      header: <span className="sr-only">{t("table.delete")}</span>,
      width: "90px",
      render: (a) => (
        <Button size="sm" variant="ghost" aria-label={t("table.deleteLabel", { pattern: a.pattern })} onClick={() => remove.mutate(a.id, { onError })}>
          {t("table.delete")}
        </Button>
      ),
    });
  }
  return <DataTable caption={t("table.caption")} columns={columns} rows={aliases} rowKey={(a) => a.id} />;
}
