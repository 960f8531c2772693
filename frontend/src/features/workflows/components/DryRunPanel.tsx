/**
 * The editor page's "Dry run" tab: try the workflow's saved version on a product (and optionally
 * an output type, whose settings its render nodes start from) or a CAD file, without running
 * anything (`POST /api/workflows/{id}/dry-run`): the nodes by level with the params they would
 * run with, what each would do, and where a run would stop.
 */
import { useState } from "react";
import { Alert, Button, DataTable, EmptyState, Field, Input, Select } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useOutputTypes } from "../api/output-types";
import { useCadChoices, useDryRun, useProductChoices } from "../api/runs";
import type { DryRunRequest, DryRunResult } from "../api/runs";
import type { WorkflowDetail } from "../api/workflows";
import { dryRunVerdict, resolvedParams } from "./dry-run";

type DryRunNode = DryRunResult["nodes"][number];

function Result({ result }: { result: DryRunResult }) {
  const verdict = dryRunVerdict(result);
  const columns: Array<Column<DryRunNode>> = [
    { key: "level", header: "Level", width: "8%", align: "right", render: (n) => n.level },
    {
      key: "node",
      header: "Step",
      width: "20%",
      render: (n) => (
        <>
          <div>{n.label}</div>
          <code className="wf-muted">{n.node_id}</code>
          {n.after.length > 0 && <div className="wf-muted">after {n.after.join(", ")}</div>}
        </>
      ),
    },
    { key: "queue", header: "Queue", width: "14%", render: (n) => <code>{n.queue}</code> },
    {
      key: "params",
      header: "Would run with",
      width: "26%",
      render: (n) => {
        const params = resolvedParams(n);
        return params.length === 0 ? (
          <span className="wf-muted">—</span>
        ) : (
          <ul className="wf-dry__params">
            {params.map((p) => (
              <li key={p.key} className={p.own ? "wf-dry__own" : undefined} title={p.own ? "set by this node" : "from the output type or the tenant's settings"}>
                <span className="wf-node__param-key">{p.key}</span> {p.value}
              </li>
            ))}
          </ul>
        );
      },
    },
    { key: "note", header: "What it would do", render: (n) => <span className={n.would_fail ? "wf-run__error" : undefined}>{n.note}</span> },
  ];
  return (
    <div className="wf-dry__result" data-testid="dry-run-result">
      <Alert tone={verdict.ok ? "info" : "warning"}>{verdict.text}</Alert>
      <DataTable
        caption="Dry run"
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
      <Field label="Find a product" hint="PIM id or words of the name">
        <Input value={q} onChange={(event) => setQ(event.target.value)} placeholder="e.g. P-1003" />
      </Field>
      <Field label="Product">
        <Select
          value={productId}
          onChange={(event) => {
            setProductId(event.target.value);
            pick(event.target.value, outputTypeId);
          }}
        >
          <option value="">{items.length ? "Pick a product" : "No product found"}</option>
          {items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.pim_id} · {p.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Output type" hint="Its settings are what the render nodes start from">
        <Select
          value={outputTypeId}
          onChange={(event) => {
            setOutputTypeId(event.target.value);
            pick(productId, event.target.value);
          }}
        >
          <option value="">None (the steps' defaults)</option>
          {(types.data ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.kind})
            </option>
          ))}
        </Select>
      </Field>
    </>
  );
}

/** Pick a CAD file for a CAD workflow. */
function CadSubject({ onPick }: { onPick: (request: DryRunRequest | null) => void }) {
  const [q, setQ] = useState("");
  const [cadId, setCadId] = useState("");
  const files = useCadChoices(q, true).data?.items ?? [];
  return (
    <>
      <Field label="Find a CAD file" hint="Words of the file name">
        <Input value={q} onChange={(event) => setQ(event.target.value)} />
      </Field>
      <Field label="CAD file">
        <Select
          value={cadId}
          onChange={(event) => {
            setCadId(event.target.value);
            onPick(event.target.value ? { cad_file_id: event.target.value } : null);
          }}
        >
          <option value="">{files.length ? "Pick a CAD file" : "No CAD file found"}</option>
          {files.map((f) => (
            <option key={f.id} value={f.id}>
              {f.original_name} ({f.status})
            </option>
          ))}
        </Select>
      </Field>
    </>
  );
}

export function DryRunPanel({ workflow }: { workflow: WorkflowDetail }) {
  const dryRun = useDryRun(workflow.id);
  const [request, setRequest] = useState<DryRunRequest | null>(null);
  if (workflow.subject !== "order_line" && workflow.subject !== "cad_file") {
    return <EmptyState title="No dry run">Dry runs try order line and CAD workflows.</EmptyState>;
  }
  const pick = (next: DryRunRequest | null) => {
    setRequest(next);
    dryRun.reset();
  };
  return (
    <div className="wf-dry">
      <p className="wf-muted">
        Tries version {workflow.latest_version} (the saved one) on {workflow.subject === "order_line" ? "a product" : "a CAD file"}:
        which steps would run, with what, and where a run would stop. Nothing is run.
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
            Dry run
          </Button>
        </div>
      </div>
      {dryRun.error && <Alert>{errorMessage(dryRun.error)}</Alert>}
      {dryRun.data && <Result result={dryRun.data} />}
    </div>
  );
}
