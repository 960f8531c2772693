import { useBlocker, useNavigate } from "@tanstack/react-router";
import { useEffect, useMemo, useRef, useState } from "react";
import { Alert, Badge, Button, Card, DataTable, Dialog, EmptyState, Field, Input, PageHeader, Spinner, Textarea, Truncate, toast } from "@/components/ui";
import type { Column } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { errorMessage } from "@/lib/api";
import { useCreateOrder } from "../api/create-order";
import { useEditDraft } from "../api/edit-draft";
import type { OrderDetail } from "../api/get-order";
import { useOutputTypes } from "../api/list-output-types";
import type { OutputType } from "../api/list-output-types";
import { useOrderTerms } from "../api/order-terms";
import { fetchPickableProducts } from "../api/pickable-products";
import { useProductSearch } from "../api/search-products";
import { submitOrder } from "../api/submit-order";
import { countFates, formatCents, formatMoney, outputSize, planLines, toCents, toggle, totalCents } from "./wizard";
import type { PlannedLine } from "./wizard";
import {
  addPicks,
  addSummary,
  cadLabel,
  cadState,
  canRender,
  clearWizard,
  hasChanges,
  linesOf,
  loadWizard,
  matchingCount,
  reachableStep,
  saveWizard,
  selectAllLimit,
  togglePick,
} from "./wizard-state";
import type { PickedProduct, Step, WizardState } from "./wizard-state";
import "./orders.css";

const STEPS = ["Products", "Output types", "Review"] as const;

const session = (): Storage | undefined => (typeof window === "undefined" ? undefined : window.sessionStorage);

export interface OrderWizardProps {
  /** sessionStorage key of this wizard (`wizardKey()`). */
  storageKey: string;
  /** Where the wizard starts: empty for a new order, the draft's picks when editing one. */
  initial: WizardState;
  /** The step in the URL (`?step=`). */
  step: Step | undefined;
  onStep: (step: Step, replace?: boolean) => void;
  /** The draft being edited (none: a new order). */
  draft?: OrderDetail;
  /** Leave the wizard without saving (the discard question comes first when there is work). */
  onCancel: () => void;
}

/** Pick products, pick output types, review; save a draft (new or edited) or submit it. */
export function OrderWizard({ storageKey, initial, step: askedStep, onStep, draft, onCancel }: OrderWizardProps) {
  const navigate = useNavigate();
  const base = draft?.updated_at ?? null;
  const [state, setState] = useState<WizardState>(() => loadWizard(session(), storageKey, base) ?? initial);
  const [stored, setStored] = useState(true);
  const outputTypes = useOutputTypes();
  const terms = useOrderTerms();
  const step = reachableStep(askedStep, state);
  const chosenTypes = (outputTypes.data ?? []).filter((t) => state.outputTypeIds.includes(t.id));
  const update = (change: Partial<WizardState>) => setState((s) => ({ ...s, ...change }));

  useEffect(() => {
    setStored(saveWizard(session(), storageKey, state, base));
  }, [storageKey, state, base]);

  useEffect(() => {
    if (askedStep !== undefined && askedStep !== step) onStep(step, true);
  }, [askedStep, step, onStep]);

  // Leaving with work not saved asks first; moving between the steps (also Back/Forward) does not.
  const dirty = hasChanges(state, initial);
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const saved = useRef(false);
  const blocker = useBlocker({
    shouldBlockFn: ({ current, next }) => !saved.current && dirtyRef.current && current.pathname !== next.pathname,
    enableBeforeUnload: () => !saved.current && dirtyRef.current,
    withResolver: true,
  });

  const canNext = step === 1 ? state.products.length > 0 : step === 2 ? chosenTypes.length > 0 : false;
  const title = draft ? `Edit ${draft.number}` : "New order";

  return (
    <>
      <PageHeader
        title={title}
        description="Every product you pick is rendered in every output type you pick."
        actions={
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        }
      />
      <ol className="wizard-steps" aria-label="Steps">
        {STEPS.map((label, index) => (
          <li key={label} aria-current={index + 1 === step ? "step" : undefined} data-done={index + 1 < step || undefined}>
            <span className="wizard-steps__n">{index + 1}</span> {label}
          </li>
        ))}
      </ol>
      {!stored && (
        <Alert tone="warning">This browser does not keep the wizard for this tab: a reload starts over.</Alert>
      )}
      {draft && draft.lines.length !== initial.products.length * initial.outputTypeIds.length && (
        <Alert tone="info">
          This draft does not have every picked product in every picked output type ({draft.lines.length} lines). Saving it here
          makes it so: {initial.products.length * initial.outputTypeIds.length} lines, unless you change the picks.
        </Alert>
      )}

      {step === 1 && (
        <ProductStep
          picked={state.products}
          onChange={(products) => update({ products })}
          maxOrderSize={terms.data?.max_order_size}
          outputTypes={chosenTypes.length}
        />
      )}
      {step === 2 && (
        <OutputTypeStep
          query={outputTypes}
          currency={terms.data?.currency}
          selected={state.outputTypeIds}
          onToggle={(id) => update({ outputTypeIds: toggle(state.outputTypeIds, id) })}
        />
      )}
      {step === 3 && (
        <ReviewStep
          state={state}
          onChange={update}
          outputTypes={chosenTypes}
          draft={draft}
          currency={terms.data?.currency ?? ""}
          maxOrderSize={terms.data?.max_order_size}
          onBack={() => onStep(2)}
          onSaved={async (orderId) => {
            saved.current = true;
            clearWizard(session(), storageKey);
            await navigate({ to: "/orders/$orderId", params: { orderId } });
          }}
        />
      )}

      {step < 3 && (
        <div className="wizard-nav">
          <Button onClick={() => onStep((step - 1) as Step)} disabled={step === 1}>
            Back
          </Button>
          <span className="muted">
            {step === 1 &&
              (chosenTypes.length > 0
                ? linesOf(state.products.length, chosenTypes.length)
                : `${state.products.length.toLocaleString("en")} product${state.products.length === 1 ? "" : "s"} picked`)}
            {step === 2 && `${chosenTypes.length} output type${chosenTypes.length === 1 ? "" : "s"} picked`}
          </span>
          <Button variant="primary" onClick={() => onStep((step + 1) as Step)} disabled={!canNext}>
            Next
          </Button>
        </div>
      )}

      <Dialog
        open={blocker.status === "blocked"}
        onClose={() => blocker.reset?.()}
        title={draft ? `Discard your changes to ${draft.number}?` : "Discard this order?"}
        footer={
          <>
            <Button onClick={() => blocker.reset?.()}>Keep editing</Button>
            <Button
              variant="danger"
              onClick={() => {
                clearWizard(session(), storageKey);
                blocker.proceed?.();
              }}
            >
              Discard
            </Button>
          </>
        }
      >
        <p>
          {draft ? "Your changes have not been saved" : "This order has not been saved"}: {state.products.length.toLocaleString("en")} product
          {state.products.length === 1 ? "" : "s"}, {state.outputTypeIds.length} output type{state.outputTypeIds.length === 1 ? "" : "s"}
          {state.title.trim() ? `, “${state.title.trim()}”` : ""}. Leaving discards {draft ? "them" : "it"}.
        </p>
      </Dialog>
    </>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function CadBadge({ product }: { product: Pick<PickedProduct, "cad"> }) {
  const label = cadLabel(product.cad);
  if (!label) return null;
  const why =
    product.cad === "processing"
      ? "Its CAD file is still being processed; lines render once it is ready"
      : product.cad === "failed"
        ? "Its CAD file failed to convert: lines of it cannot render"
        : "It has no CAD file: lines of it cannot render";
  return (
    <Badge tone={canRender(product) ? "neutral" : "danger"} title={why}>
      {label}
    </Badge>
  );
}

function ProductStep({
  picked,
  onChange,
  maxOrderSize,
  outputTypes,
}: {
  picked: PickedProduct[];
  onChange: (products: PickedProduct[]) => void;
  maxOrderSize: number | undefined;
  /** How many output types are picked already (back on step 1): each product is a line in each. */
  outputTypes: number;
}) {
  const [q, setQ] = useState("");
  const query = useDebounced(q, 250);
  const search = useProductSearch(query);
  const [note, setNote] = useState<{ tone: "info" | "danger"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const pickedIds = useMemo(() => new Set(picked.map((p) => p.id)), [picked]);
  // The CAD file name a product's import gave that is not uploaded yet ("waiting for CAD file X").
  const waitingFor = new Map((search.data?.items ?? []).map((p) => [p.id, p.waiting_for_cad_file]));
  const results: PickedProduct[] = (search.data?.items ?? []).map((p) => ({
    id: p.id,
    pim_id: p.pim_id,
    name: p.name,
    cad: cadState(p.cad_file?.status ?? (p.cad_file_id ? "processing" : null)),
  }));
  const total = search.data?.total ?? 0;
  const exact = !(search.data?.total_is_estimate ?? false);
  const tooMany = selectAllLimit(total, maxOrderSize, outputTypes, exact);
  const unusableShown = results.some((p) => !canRender(p));

  const selectAll = async () => {
    setBusy(true);
    setNote(null);
    try {
      const picks = await fetchPickableProducts(query);
      const result = addPicks(
        picked,
        picks.items.map((p) => ({ id: p.id, pim_id: p.pim_id, name: p.name, cad: cadState(p.cad_status) })),
      );
      onChange(result.products);
      const lines = outputTypes > 0 ? ` ${linesOf(result.products.length, outputTypes)}.` : "";
      setNote({ tone: "info", text: `${addSummary(result, picks.total)}${lines}` });
    } catch (cause) {
      setNote({ tone: "danger", text: errorMessage(cause) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="wizard-grid">
      <Card
        title={
          <>
            Find products <HelpTooltip entry="wizard.products" />
          </>
        }
        actions={
          total > 0 && (
            <Button size="sm" variant="ghost" onClick={() => void selectAll()} loading={busy} disabled={tooMany !== null}>
              Select all {matchingCount(total, exact)} matching
            </Button>
          )
        }
      >
        <Field label="Search by name or PIM id">
          <Input value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. 6204 or deep groove" autoFocus type="search" />
        </Field>
        {tooMany && (
          <p className="muted" data-testid="select-all-limit">
            {tooMany}
          </p>
        )}
        {note && (
          <div data-testid="select-all-result">
            <Alert tone={note.tone}>{note.text}</Alert>
          </div>
        )}
        {search.isError && <Alert>{errorMessage(search.error)}</Alert>}
        {unusableShown && (
          <p className="muted" data-testid="cad-note">
            Products marked “no CAD” or “CAD failed” cannot be picked: their renders would fail. Link a CAD file to them on the
            Products page first.
          </p>
        )}
        <div className="pick-list" role="group" aria-label="Products found">
          {search.isPending && <Spinner label="Searching" />}
          {search.data && results.length === 0 && <p className="muted">No product matches “{q}”.</p>}
          {results.map((product) => {
            const isPicked = pickedIds.has(product.id);
            const blocked = !canRender(product) && !isPicked;
            return (
              <label
                key={product.id}
                className="pick-row"
                data-selected={isPicked || undefined}
                data-unusable={!canRender(product) || undefined}
                data-testid="product-result"
              >
                <input type="checkbox" checked={isPicked} disabled={blocked} onChange={() => onChange(togglePick(picked, product))} />
                <span className="pick-row__main">
                  <Truncate className="pick-row__name" text={product.name} />
                  <code className="muted">{product.pim_id}</code>
                </span>
                <CadBadge product={product} />
                {waitingFor.get(product.id) && (
                  <Badge tone="progress" data-testid="waiting-for-cad" style={{ minWidth: 0, maxWidth: "45%" }}>
                    <Truncate text={`waiting for CAD file ${waitingFor.get(product.id) ?? ""}`} />
                  </Badge>
                )}
              </label>
            );
          })}
          {search.data && total > results.length && (
            <p className="muted">
              Showing {results.length} of {matchingCount(total, exact)}; narrow the search, or select all of them above.
            </p>
          )}
        </div>
      </Card>
      <Card
        title={`Picked (${picked.length.toLocaleString("en")})`}
        actions={
          picked.length > 1 && (
            <Button size="sm" variant="ghost" onClick={() => onChange([])}>
              Remove all
            </Button>
          )
        }
      >
        {picked.length === 0 ? (
          <p className="muted">Nothing picked yet.</p>
        ) : (
          <ul className="picked" aria-label="Picked products">
            {picked.map((product) => (
              <li key={product.id} data-unusable={!canRender(product) || undefined}>
                <Truncate text={`${product.name} ${product.pim_id}`}>
                  {product.name} <code className="muted">{product.pim_id}</code>
                </Truncate>
                <CadBadge product={product} />
                <Button size="sm" variant="ghost" aria-label={`Remove ${product.name}`} onClick={() => onChange(togglePick(picked, product))}>
                  ×
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function OutputTypeStep({
  query,
  currency,
  selected,
  onToggle,
}: {
  query: ReturnType<typeof useOutputTypes>;
  currency: string | undefined;
  selected: string[];
  onToggle: (id: string) => void;
}) {
  if (query.isPending) return <Spinner label="Loading output types" />;
  if (query.isError) return <Alert>{errorMessage(query.error)}</Alert>;
  if (query.data.length === 0) {
    return <EmptyState title="Nothing to order yet">Your tenant has no output types. An administrator sets them up.</EmptyState>;
  }
  return (
    <>
      <p className="muted">
        Every picked product is made in each output type you pick here. <HelpTooltip entry="wizard.output_types" />
      </p>
      <div className="type-grid" role="group" aria-label="Output types">
      {query.data.map((type) => (
        <label key={type.id} className="type-card" data-selected={selected.includes(type.id) || undefined}>
          <input type="checkbox" checked={selected.includes(type.id)} onChange={() => onToggle(type.id)} />
          <span className="type-card__name">{type.name}</span>
          <span className="type-card__meta">
            <Badge>{type.kind}</Badge>
            <span className="muted">{outputSize(type.render_settings, type.kind)}</span>
          </span>
          <span className="type-card__price">
            {currency ? formatMoney(toCents(type.price), currency) : formatCents(toCents(type.price))} per product
          </span>
        </label>
      ))}
      </div>
    </>
  );
}

/** Keys ("product:type") of a draft's lines that completed in an earlier round and stay as they are. */
function keptKeys(draft: OrderDetail | undefined): Set<string> {
  const kept = new Set<string>();
  for (const line of draft?.lines ?? []) {
    const again = (line as { render_again?: boolean }).render_again === true;
    if (line.render_status === "completed" && !again) kept.add(`${line.product_id}:${line.output_type_id}`);
  }
  return kept;
}

const FATE_LABEL = { kept: "done earlier, kept", no_cad: "cannot render" } as const;

type ReviewLine = PlannedLine<PickedProduct, OutputType>;

/** The review's lines: product, output type and price (or why a line is not charged). */
function reviewColumns(money: (cents: number) => string): Array<Column<ReviewLine>> {
  return [
    {
      key: "product",
      header: "Product",
      shrink: true,
      render: (line) => (
        <Truncate as="div" text={`${line.product.name} ${line.product.pim_id}`}>
          {line.product.name} <code className="muted">{line.product.pim_id}</code>
        </Truncate>
      ),
    },
    {
      key: "output-type",
      header: "Output type",
      render: (line) => (
        <>
          {line.outputType.name} <span className="muted">{outputSize(line.outputType.render_settings, line.outputType.kind)}</span>
        </>
      ),
    },
    {
      key: "price",
      header: "Price",
      align: "right",
      render: (line) => (
        <span className="wizard-price">
          {line.fate === "render" ? (
            money(line.priceCents)
          ) : (
            <Badge tone={line.fate === "kept" ? "success" : "danger"}>{FATE_LABEL[line.fate]}</Badge>
          )}
        </span>
      ),
    },
  ];
}

function ReviewStep({
  state,
  onChange,
  outputTypes,
  draft,
  currency,
  maxOrderSize,
  onBack,
  onSaved,
}: {
  state: WizardState;
  onChange: (change: Partial<WizardState>) => void;
  outputTypes: OutputType[];
  draft: OrderDetail | undefined;
  currency: string;
  maxOrderSize: number | undefined;
  onBack: () => void;
  onSaved: (orderId: string) => Promise<void>;
}) {
  const create = useCreateOrder();
  const edit = useEditDraft();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"draft" | "submit" | null>(null);
  const lines = planLines(state.products, outputTypes, keptKeys(draft));
  const fates = countFates(lines);
  const tooLarge = maxOrderSize !== undefined && lines.length > maxOrderSize;
  const money = (cents: number) => (currency ? formatMoney(cents, currency) : formatCents(cents));

  const save = async (andSubmit: boolean) => {
    setError(null);
    setBusy(andSubmit ? "submit" : "draft");
    const body = {
      title: state.title.trim() || null,
      notes: state.notes.trim() || null,
      product_ids: state.products.map((p) => p.id),
      output_type_ids: outputTypes.map((t) => t.id),
    };
    let orderId: string;
    try {
      orderId = draft ? (await edit.mutateAsync({ orderId: draft.id, body })).id : (await create.mutateAsync(body)).id;
    } catch (cause) {
      setError(errorMessage(cause));
      setBusy(null);
      return;
    }
    if (andSubmit) {
      try {
        await submitOrder(orderId);
        toast({ title: "Order submitted", message: `${fates.render} line(s) queued for rendering.`, tone: "success" });
      } catch (cause) {
        toast({ title: "Saved as a draft, but not submitted", message: errorMessage(cause), tone: "danger", durationMs: 0 });
      }
    } else {
      toast({ title: draft ? "Draft updated" : "Draft saved", tone: "success" });
    }
    await onSaved(orderId);
  };

  return (
    <div className="wizard-grid wizard-grid--review">
      <Card title="Order">
        <div className="form-stack">
          <Field label="Title" hint="Optional: what this order is for">
            <Input value={state.title} onChange={(e) => onChange({ title: e.target.value })} maxLength={200} placeholder="Autumn catalogue" />
          </Field>
          <Field label="Notes" hint="Optional">
            <Textarea value={state.notes} onChange={(e) => onChange({ notes: e.target.value })} rows={3} maxLength={10_000} />
          </Field>
          <dl className="summary">
            <dt>Products</dt>
            <dd>{state.products.length.toLocaleString("en")}</dd>
            <dt>Output types</dt>
            <dd>{outputTypes.length}</dd>
            <dt>Lines that will render</dt>
            <dd data-testid="line-count">{fates.render.toLocaleString("en")}</dd>
            {fates.kept > 0 && (
              <>
                <dt>Done earlier, kept</dt>
                <dd data-testid="kept-count">{fates.kept.toLocaleString("en")}</dd>
              </>
            )}
            {fates.no_cad > 0 && (
              <>
                <dt>Cannot render</dt>
                <dd data-testid="no-cad-count">{fates.no_cad.toLocaleString("en")}</dd>
              </>
            )}
            <dt>Total</dt>
            <dd data-testid="total-price" className="summary__total">
              {money(totalCents(lines))}
            </dd>
          </dl>
          {fates.kept > 0 && (
            <p className="muted">Lines that completed before keep their media and are not rendered or charged again.</p>
          )}
          {fates.no_cad > 0 && (
            <Alert tone="warning">
              {fates.no_cad} line{fates.no_cad === 1 ? "" : "s"} of products without a usable CAD file would fail: they are not
              charged. Remove those products, or link a CAD file to them first.
            </Alert>
          )}
          {tooLarge && (
            <Alert>
              This order would have {lines.length.toLocaleString("en")} lines; an order holds at most {maxOrderSize?.toLocaleString("en")}. Pick
              fewer products or output types.
            </Alert>
          )}
          {error && <Alert>{error}</Alert>}
          <div className="wizard-nav">
            <Button onClick={onBack} disabled={busy !== null}>
              Back
            </Button>
            <Button onClick={() => void save(false)} loading={busy === "draft"} disabled={busy !== null || tooLarge}>
              {draft ? "Save changes" : "Save draft"}
            </Button>
            <Button
              variant="primary"
              onClick={() => void save(true)}
              loading={busy === "submit"}
              disabled={busy !== null || tooLarge || fates.render + fates.kept === 0}
            >
              Submit
            </Button>
          </div>
        </div>
      </Card>
      <Card
        title={
          <>
            Lines ({lines.length.toLocaleString("en")}) <HelpTooltip entry="wizard.review" />
          </>
        }
        flush
      >
        <DataTable
          caption="Order lines"
          flush
          columns={reviewColumns(money)}
          rows={lines}
          rowKey={(line) => line.key}
          rowAttributes={(line) => ({ "data-testid": "review-line", "data-fate": line.fate })}
        />
      </Card>
    </div>
  );
}
