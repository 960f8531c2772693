/**
 * /admin/positions (tenant admins): the built-in camera presets and the tenant's own positions,
 * each with a small diagram of where the camera is; a form adds a custom one (azimuth and
 * elevation) with its diagram live while typing.
 */
import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Badge, Button, Card, DataTable, EmptyState, Input, PageHeader, Spinner, toast } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useFormat } from "@/i18n/format";
import { useTenantView } from "@/lib/session";
import { useCreatePosition, useDeletePosition, usePositions } from "../api/catalog";
import type { Position } from "../api/catalog";
import { DirectionPreview } from "./DirectionPreview";
import { HelpField } from "./HelpField";
import "./catalog.css";

export function PositionsPage() {
  const { t } = useTranslation("catalog");
  const { overview } = useTenantView();
  const positions = usePositions(!overview);
  const remove = useDeletePosition();
  const { number } = useFormat();

  const columns: Array<Column<Position>> = [
    { key: "preview", header: t("positions.column.preview"), width: "190px", render: (p) => <DirectionPreview azimuth={p.azimuth_deg} elevation={p.elevation_deg} /> },
    { key: "name", header: t("positions.column.name"), render: (p) => <>{p.name} {p.builtin && <Badge tone="muted">{t("positions.preset")}</Badge>}</> },
    { key: "azimuth", header: t("positions.column.azimuth"), align: "right", render: (p) => `${number(p.azimuth_deg)}°` },
    { key: "elevation", header: t("positions.column.elevation"), align: "right", render: (p) => `${number(p.elevation_deg)}°` },
    {
      key: "actions",
      header: <span className="sr-only">{t("positions.column.actions")}</span>,
      width: "110px",
      render: (p) =>
        p.id ? (
          <Button
            size="sm"
            variant="ghost"
            aria-label={t("positions.delete", { name: p.name })}
            onClick={() => remove.mutate(p.id!, { onError: (error) => toast({ title: t("positions.deleteFailed"), message: errorMessage(error), tone: "danger" }) })}
          >
            {t("common:delete")}
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader title={t("positions.title")} description={t("positions.description")} />
      {overview ? (
        <EmptyState title={t("pickTenant.title")}>{t("pickTenant.body")}</EmptyState>
      ) : (
        <>
          <PositionForm />
          {positions.isPending ? (
            <Spinner label={t("positions.loading")} />
          ) : positions.isError ? (
            <Alert>{errorMessage(positions.error)}</Alert>
          ) : (
            <DataTable
              caption={t("positions.caption")}
              columns={columns}
              rows={positions.data}
              rowKey={(p) => p.id ?? `preset-${p.name}`}
              rowAttributes={(p) => ({ "data-testid": "position", "data-name": p.name })}
            />
          )}
        </>
      )}
    </>
  );
}

function PositionForm() {
  const { t } = useTranslation("catalog");
  const create = useCreatePosition();
  const [name, setName] = useState("");
  const [azimuth, setAzimuth] = useState("30");
  const [elevation, setElevation] = useState("20");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), azimuth_deg: Number(azimuth), elevation_deg: Number(elevation) },
      {
        onSuccess: (p) => {
          toast({ title: t("positions.created"), message: p.name, tone: "success" });
          setName("");
        },
      },
    );
  };
  return (
    <Card title={t("positions.new")} className="cat-section">
      <form className="cat-form" onSubmit={submit} aria-label={t("positions.new")}>
        <HelpField label={t("positions.field.name")} help="position.name">
          <Input value={name} onChange={(event) => setName(event.target.value)} maxLength={100} required />
        </HelpField>
        <HelpField label={t("positions.field.azimuth")} help="position.azimuth_deg">
          <Input type="number" step="any" value={azimuth} onChange={(event) => setAzimuth(event.target.value)} required />
        </HelpField>
        <HelpField label={t("positions.field.elevation")} help="position.elevation_deg">
          <Input type="number" step="any" min={-89} max={90} value={elevation} onChange={(event) => setElevation(event.target.value)} required />
        </HelpField>
        <DirectionPreview azimuth={Number(azimuth)} elevation={Number(elevation)} />
        <span className="cat-form__actions">
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            {t("positions.add")}
          </Button>
        </span>
        {create.isError && <Alert>{errorMessage(create.error)}</Alert>}
      </form>
    </Card>
  );
}
