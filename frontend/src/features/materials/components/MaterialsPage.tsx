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

function Swatch({ color }: { color: readonly number[] | undefined }) {
  return <span className="mat-swatch" aria-hidden="true" style={{ background: color ? linearToCss(color) : "transparent" }} />;
}

const libraryColumns: Array<Column<Material>> = [
  { key: "swatch", header: "", width: "36px", render: (m) => <Swatch color={m.base_color} /> },
  { key: "name", header: "Material", render: (m) => <code>{m.name}</code> },
  { key: "source", header: "Source", width: "110px", render: (m) => <Badge tone={m.source === "tenant" ? "info" : "neutral"}>{m.source}</Badge> },
  { key: "metallic", header: "Metallic", align: "right", width: "90px", render: (m) => m.metallic.toFixed(2) },
  { key: "roughness", header: "Roughness", align: "right", width: "100px", render: (m) => m.roughness.toFixed(2) },
  { key: "description", header: "Description", render: (m) => m.description },
];

/** What another feature may put in the aliases card (composed in src/app: the catalog's ordering). */
export interface AliasSlots {
  /** Buttons in the aliases card's header (tenant admins). */
  aliasActions?: ReactNode;
  /** The alias list for tenant admins instead of the table (e.g. one ordered by dragging). */
  renderAliases?: (args: { aliases: Alias[]; material: (alias: Alias) => ReactNode; onDelete: (alias: Alias) => void }) => ReactNode;
}

/** The material library, the tenant's aliases (exact / glob / regex, by priority) and a part-name tester. */
export function MaterialsPage({ aliasActions, renderAliases }: AliasSlots = {}) {
  const canManage = useCan("manage_materials");
  const library = useLibrary();
  const aliases = useAliases();
  const colours = new Map((library.data ?? []).map((m) => [m.name, m.base_color]));

  return (
    <>
      <PageHeader title="Materials and aliases" />
      <PartTester />
      <Card title={`Aliases (${aliases.data?.length ?? "…"})`} flush className="mat-section" actions={canManage ? aliasActions : undefined}>
        {canManage && <AliasForm materials={library.data ?? []} />}
        {aliases.isPending ? (
          <Spinner label="Loading the aliases" />
        ) : aliases.isError ? (
          <Alert>{errorMessage(aliases.error)}</Alert>
        ) : (
          <AliasTable aliases={aliases.data} colours={colours} canManage={canManage} renderAliases={renderAliases} />
        )}
      </Card>
      <Card title="Material library" flush className="mat-section">
        {library.isPending ? (
          <Spinner label="Loading the library" />
        ) : library.isError ? (
          <Alert>{errorMessage(library.error)}</Alert>
        ) : (
          <DataTable caption="Material library" columns={libraryColumns} rows={library.data} rowKey={(m) => m.name} />
        )}
      </Card>
    </>
  );
}

function PartTester() {
  const [text, setText] = useState("");
  const [parts, setParts] = useState<string[]>([]);
  const preview = usePreview(parts);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParts([...new Set(text.split(/[\n,]/).map((p) => p.trim()).filter(Boolean))]);
  };
  return (
    <Card title="Test a part name" className="mat-section">
      <form className="mat-tester" onSubmit={submit}>
        <Field label="Part names" hint="One or more, separated by commas: what material would each get now?">
          <Input value={text} onChange={(event) => setText(event.target.value)} placeholder="e.g. Outer_Ring, Ball_13, Cage" />
        </Field>
        <Button type="submit" disabled={!text.trim()}>
          Test
        </Button>
      </form>
      {preview.isError && <Alert>{errorMessage(preview.error)}</Alert>}
      {preview.data && (
        <ul className="mat-results" data-testid="part-preview">
          {preview.data.results.map((r) => (
            <li key={r.part} data-reason={r.reason}>
              <code>{r.part}</code> → <code className={r.reason === "fallback" ? "mat-fallback" : undefined}>{r.material}</code>{" "}
              <span className="muted">
                ({r.reason}
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
          toast({ title: "Alias added", message: `${pattern} → ${material}`, tone: "success" });
          setPattern("");
        },
      },
    );
  };
  return (
    <form className="mat-alias-form" onSubmit={submit} aria-label="Add an alias">
      <Field label="Pattern">
        <Input value={pattern} onChange={(event) => setPattern(event.target.value)} placeholder="Ball*, Outer_Ring, ^(ir|or)_" required />
      </Field>
      <Field label="Kind">
        <Select value={kind} onChange={(event) => setKind(event.target.value as AliasKind)}>
          <option value="exact">exact name</option>
          <option value="glob">glob (* and ?)</option>
          <option value="regex">regular expression</option>
        </Select>
      </Field>
      <Field label="Material for the alias">
        <Select value={material} onChange={(event) => setMaterial(event.target.value)} required>
          <option value="">Choose…</option>
          {materials.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Priority" hint="Higher wins among patterns">
        <Input type="number" value={priority} onChange={(event) => setPriority(event.target.value)} min={-10000} max={10000} />
      </Field>
      <span className="mat-alias-form__submit">
        <Button type="submit" loading={create.isPending} disabled={!pattern.trim() || !material}>
          Add alias
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
  const update = useUpdateAlias();
  const remove = useDeleteAlias();
  const onError = (error: unknown) => toast({ title: "Could not change the alias", message: errorMessage(error), tone: "danger" });
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
    { key: "pattern", header: "Pattern", render: (a) => <code>{a.pattern}</code> },
    { key: "kind", header: "Kind", width: "90px", render: (a) => <Badge>{a.kind}</Badge> },
    {
      key: "material",
      header: "Material",
      render: (a) => (
        <span className="mat-alias-material">
          <Swatch color={colours.get(a.material)} /> <code>{a.material}</code>
        </span>
      ),
    },
    {
      key: "priority",
      header: "Priority",
      align: "right",
      width: "150px",
      render: (a) =>
        canManage ? (
          <span className="mat-priority">
            <Button size="sm" variant="ghost" aria-label={`Lower ${a.pattern}`} onClick={() => update.mutate({ id: a.id, priority: a.priority - 10 }, { onError })}>
              ↓
            </Button>
            {a.priority}
            <Button size="sm" variant="ghost" aria-label={`Raise ${a.pattern}`} onClick={() => update.mutate({ id: a.id, priority: a.priority + 10 }, { onError })}>
              ↑
            </Button>
          </span>
        ) : (
          a.priority
        ),
    },
    { key: "default", header: "", width: "80px", render: (a) => (a.is_default ? <Badge tone="muted">default</Badge> : null) },
  ];
  if (canManage) {
    columns.push({
      key: "delete",
      header: <span className="sr-only">Delete</span>,
      width: "90px",
      render: (a) => (
        <Button size="sm" variant="ghost" aria-label={`Delete ${a.pattern}`} onClick={() => remove.mutate(a.id, { onError })}>
          Delete
        </Button>
      ),
    });
  }
  return <DataTable caption="Aliases, highest priority first" columns={columns} rows={aliases} rowKey={(a) => a.id} />;
}
