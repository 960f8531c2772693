import { Link, useNavigate } from "@tanstack/react-router";
import { DataTable } from "@/components/ui";
import type { Column } from "@/components/ui";
import { useTenantView } from "@/lib/session";
import type { CadFileSummary } from "../api/list-cad-files";
import { CadStatus } from "./CadStatus";
import { CadThumbnail } from "./CadThumbnail";
import { formatBytes, formatCount, formatDate } from "./format";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

const columnsOf = (t: TFunction<"cad">): Array<Column<CadFileSummary>> => [
  {
    key: "thumbnail",
    header: <span className="sr-only">{t("library.thumbnail")}</span>,
    label: "",
    width: "72px",
    render: (file) => <CadThumbnail url={file.thumbnail} version={file.updated_at} status={file.thumbnail_status} />,
  },
  {
    key: "name",
    header: t("library.name"),
    fullText: (file) => file.original_name,
    render: (file) => (
      <Link
        to="/cad/$cadId"
        params={{ cadId: file.id }}
        className="cad-name"
        onClick={(event) => event.stopPropagation()}
      >
        {file.original_name}
      </Link>
    ),
  },
  { key: "size", header: t("library.size"), align: "right", width: "100px", render: (file) => formatBytes(file.size_bytes) },
  {
    key: "status",
    header: t("library.status"),
    width: "28%",
    render: (file) => (
      <CadStatus status={file.status} error={file.error} errorDetail={file.error_detail} warnings={file.warnings} thumbnail={file.thumbnail_status} />
    ),
  },
  { key: "parts", header: t("library.parts"), align: "right", width: "80px", render: (file) => formatCount(file.parts_count) },
  { key: "uploaded", header: t("library.uploaded"), width: "190px", render: (file) => formatDate(file.created_at) },
];

export function CadFilesTable({ files }: { files: CadFileSummary[] }) {
  const { t } = useTranslation("cad");
  const navigate = useNavigate();
  const columns = columnsOf(t);
  // A global admin's "All tenants": whose file each is.
  const { overview, tenantName } = useTenantView();
  const shown: Array<Column<CadFileSummary>> = overview
    ? [
        ...columns.slice(0, 2),
        { key: "tenant", header: t("library.tenant"), width: "14%", fullText: (f) => tenantName(f.tenant_id), render: (f) => tenantName(f.tenant_id) },
        ...columns.slice(2),
      ]
    : columns;
  return (
    <DataTable
      caption={t("library.caption")}
      columns={shown}
      rows={files}
      rowKey={(file) => file.id}
      onRowClick={(file) => void navigate({ to: "/cad/$cadId", params: { cadId: file.id } })}
      empty={t("library.empty")}
    />
  );
}
