/**
 * The editor page's "Dry run" tab: try the workflow's saved version on a product (and optionally
 * an output type, whose settings its render nodes start from) or a CAD file, without running
 * anything (`POST /api/workflows/{id}/dry-run`): the nodes by level with the params they would
 * run with, what each would do, and where a run would stop.
 */
import { useState } from "react";
import { Alert, Button, DataTable, EmptyState, Field, Input, Select, statusLabel } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useOutputTypes } from "../api/output-types";
import { useCadChoices, useDryRun, useProductChoices } from "../api/runs";
import type { DryRunRequest, DryRunResult } from "../api/runs";
import type { WorkflowDetail } from "../api/workflows";
import { dryRunVerdict, resolvedParams } from "./dry-run";
import { useTranslation } from "react-i18next";

type DryRunNode = DryRunResult["nodes"][number];

function Result({ result }: { result: DryRunResult }) {
  const { t } = useTranslation("workflows");
  const verdict = dryRunVerdict(result);
  const columns: Array<Column<DryRunNode>> = [
    { key: "level", header: t("dry.level"), width: "8%", align: "right", render: (n) => n.level },
    {
      key: "node",
      header: t("dry.step"),
      width: "20%",
      render: (n) => (
        <>
          <div>{n.label}</div>
          <code className="wf-muted">{n.node_id}</code>
          {n.after.length > 0 && <div className="wf-muted">{t("dry.after", { nodes: n.after.join(", ") })}</div>}
        </>
      ),
    },
    { key: "queue", header: t("dry.queue"), width: "14%", render: (n) => <code>{n.queue}</code> },
    {
      key: "params",
      header: t("dry.wouldRunWith"),
      width: "26%",
      render: (n) => {
        const params = resolvedParams(n);
        return params.length === 0 ? (
          <span className="wf-muted">—</span>
        ) : (
          <ul className="wf-dry__params">
            {params.map((p) => (
              <li key={p.key} className={p.own ? "wf-dry__own" : undefined} title={p.own ? t("dry.own") : t("dry.inherited")}>
                <span className="wf-node__param-key">{p.key}</span> {p.value}
              </li>
            ))}
          </ul>
        );
      },
    },
    { key: "note", header: t("dry.wouldDo"), render: (n) => <span className={n.would_fail ? "wf-run__error" : undefined}>{n.note}</span> },
  ];
  return (
    <div className="wf-dry__result" data-testid="dry-run-result">
      <Alert tone={verdict.ok ? "info" : "warning"}>{verdict.text}</Alert>
      <DataTable
        caption={t("dry.caption")}
        columns={columns}
        rows={result.nodes}
        rowKey={(n) => n.node_id}
        rowAttributes={(n) => ({ "data-testid": "dry-run-node", "data-node-id": n.node_id, "data-would-fail": String(n.would_fail) })}
      />
    </div>
  );
}

/** Pick a product (+ output type) for an order line workflow. */
function LineSubject({ onPick }: { onPick: (request: DryRunRequest | null) => void }) {
  const { t } = useTranslation("workflows");
  const [q, setQ] = useState("");
  const [productId, setProductId] = useState("");
  const [outputTypeId, setOutputTypeId] = useState("");
  const products = useProductChoices(q, true);
  const types = useOutputTypes();
  const items = products.data?.items ?? [];
  const pick = (product: string, type: string) => {
    onPick(product ? { product_id: product, ...(type ? { output_type_id: type } : {}) } : null);
  };
  return (
    <>
      <Field label={t("dry.findProduct")} hint={t("dry.findProductHint")}>
        <Input value={q} onChange={(event) => setQ(event.target.value)} placeholder={t("dry.findProductPlaceholder")} />
      </Field>
      <Field label={t("dry.product")}>
        <Select
          value={productId}
          onChange={(event) => {
            setProductId(event.target.value);
            pick(event.target.value, outputTypeId);
          }}
        >
          <option value="">{items.length ? t("dry.pickProduct") : t("dry.noProduct")}</option>
          {items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.pim_id} · {p.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t("dry.outputType")} hint={t("dry.outputTypeHint")}>
        <Select
          value={outputTypeId}
          onChange={(event) => {
            setOutputTypeId(event.target.value);
            pick(productId, event.target.value);
          }}
        >
          <option value="">{t("dry.noOutputType")}</option>
          {(types.data ?? []).map((type) => (
            <option key={type.id} value={type.id}>
              {type.name} ({type.kind})
            </option>
          ))}
        </Select>
      </Field>
    </>
  );
}

/** Pick a CAD file for a CAD workflow. */
function CadSubject({ onPick }: { onPick: (request: DryRunRequest | null) => void }) {
  const { t } = useTranslation("workflows");
  const [q, setQ] = useState("");
  const [cadId, setCadId] = useState("");
  const files = useCadChoices(q, true).data?.items ?? [];
  return (
    <>
      <Field label={t("dry.findCad")} hint={t("dry.findCadHint")}>
        <Input value={q} onChange={(event) => setQ(event.target.value)} />
      </Field>
      <Field label={t("dry.cad")}>
        <Select
          value={cadId}
          onChange={(event) => {
            setCadId(event.target.value);
            onPick(event.target.value ? { cad_file_id: event.target.value } : null);
          }}
        >
          <option value="">{files.length ? t("dry.pickCad") : t("dry.noCad")}</option>
          {files.map((f) => (
            <option key={f.id} value={f.id}>
              {f.original_name} ({statusLabel(f.status)})
            </option>
          ))}
        </Select>
      </Field>
    </>
  );
}

export function DryRunPanel({ workflow }: { workflow: WorkflowDetail }) {
  const { t } = useTranslation("workflows");
  const dryRun = useDryRun(workflow.id);
  const [request, setRequest] = useState<DryRunRequest | null>(null);
  if (workflow.subject !== "order_line" && workflow.subject !== "cad_file") {
    return <EmptyState title={t("dry.none")}>{t("dry.noneBody")}</EmptyState>;
  }
  const pick = (next: DryRunRequest | null) => {
    setRequest(next);
    dryRun.reset();
  };
  return (
    <div className="wf-dry">
      <p className="wf-muted">
        {workflow.subject === "order_line"
          ? t("dry.introProduct", { version: workflow.latest_version })
          : t("dry.introCad", { version: workflow.latest_version })}
      </p>
      <div className="wf-dry__form">
        {workflow.subject === "order_line" ? <LineSubject onPick={pick} /> : <CadSubject onPick={pick} />}
        <div className="ui-field">
          {/* an empty label: the button lines up with the fields */}
          <span className="ui-label" aria-hidden="true">
            &nbsp;
          </span>
          <Button
            variant="primary"
            disabled={!request}
            loading={dryRun.isPending}
            onClick={() => request && dryRun.mutate({ ...request, version: workflow.latest_version })}
          >
            {t("dry.run")}
          </Button>
        </div>
      </div>
      {dryRun.error && <Alert>{errorMessage(dryRun.error)}</Alert>}
      {dryRun.data && <Result result={dryRun.data} />}
    </div>
  );
}
