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
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { useFormat } from "@/i18n/format";

const STEPS = ["products", "outputTypes", "review"] as const;

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
  const { t } = useTranslation("orders");
  const format = useFormat();
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
  const title = draft ? t("wizard.editTitle", { number: draft.number }) : t("wizard.newOrder");

  return (
    <>
      <PageHeader
        title={title}
        description={t("wizard.description")}
        actions={
          <Button variant="ghost" onClick={onCancel}>
            {t("wizard.cancel")}
          </Button>
        }
      />
      <ol className="wizard-steps" aria-label={t("wizard.steps.label")}>
        {STEPS.map((label, index) => (
          <li key={label} aria-current={index + 1 === step ? "step" : undefined} data-done={index + 1 < step || undefined}>
            <span className="wizard-steps__n">{index + 1}</span> {t(`wizard.steps.${label}`)}
          </li>
        ))}
      </ol>
      {!stored && (
        <Alert tone="warning">{t("wizard.noStorage")}</Alert>
      )}
      {draft && draft.lines.length !== initial.products.length * initial.outputTypeIds.length && (
        <Alert tone="info">
          {t("wizard.incomplete", { lines: draft.lines.length, planned: initial.products.length * initial.outputTypeIds.length })}
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
            {t("wizard.back")}
          </Button>
          <span className="muted">
            {step === 1 &&
              (chosenTypes.length > 0
                ? linesOf(state.products.length, chosenTypes.length)
                : t("wizard.productsPicked", { count: state.products.length, n: format.number(state.products.length) }))}
            {step === 2 && t("wizard.typesPicked", { count: chosenTypes.length })}
          </span>
          <Button variant="primary" onClick={() => onStep((step + 1) as Step)} disabled={!canNext}>
            {t("wizard.next")}
          </Button>
        </div>
      )}

      <Dialog
        open={blocker.status === "blocked"}
        onClose={() => blocker.reset?.()}
        title={draft ? t("wizard.discardChanges", { number: draft.number }) : t("wizard.discardOrder")}
        footer={
          <>
            <Button onClick={() => blocker.reset?.()}>{t("wizard.keepEditing")}</Button>
            <Button
              variant="danger"
              onClick={() => {
                clearWizard(session(), storageKey);
                blocker.proceed?.();
              }}
            >
              {t("wizard.discard")}
            </Button>
          </>
        }
      >
        <p>
          {draft ? t("wizard.notSavedChanges") : t("wizard.notSavedOrder")}:{" "}
          {t("wizard.products", { count: state.products.length, n: format.number(state.products.length) })},{" "}
          {t("wizard.types", { count: state.outputTypeIds.length })}
          {state.title.trim() ? `, “${state.title.trim()}”` : ""}. {draft ? t("wizard.leaveThem") : t("wizard.leaveIt")}
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
  const { t } = useTranslation("orders");
  const label = cadLabel(product.cad);
  if (!label) return null;
  const why =
    product.cad === "processing"
      ? t("wizard.cad.processing")
      : product.cad === "failed"
        ? t("wizard.cad.failed")
        : t("wizard.cad.none");
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
  const { t } = useTranslation("orders");
  const format = useFormat();
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
            {t("wizard.find")} <HelpTooltip entry="wizard.products" />
          </>
        }
        actions={
          total > 0 && (
            <Button size="sm" variant="ghost" onClick={() => void selectAll()} loading={busy} disabled={tooMany !== null}>
              {t("wizard.selectAll", { n: matchingCount(total, exact) })}
            </Button>
          )
        }
      >
        <Field label={t("wizard.search")}>
          <Input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("wizard.searchPlaceholder")} autoFocus type="search" />
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
            {t("wizard.cadNote")}
          </p>
        )}
        <div className="pick-list" role="group" aria-label={t("wizard.found")}>
          {search.isPending && <Spinner label={t("wizard.searching")} />}
          {search.data && results.length === 0 && <p className="muted">{t("wizard.noMatch", { q })}</p>}
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
                    <Truncate text={t("wizard.waitingFor", { name: waitingFor.get(product.id) ?? "" })} />
                  </Badge>
                )}
              </label>
            );
          })}
          {search.data && total > results.length && (
            <p className="muted">
              {t("wizard.showing", { shown: format.number(results.length), total: matchingCount(total, exact) })}
            </p>
          )}
        </div>
      </Card>
      <Card
        title={t("wizard.picked", { n: format.number(picked.length) })}
        actions={
          picked.length > 1 && (
            <Button size="sm" variant="ghost" onClick={() => onChange([])}>
              {t("wizard.removeAll")}
            </Button>
          )
        }
      >
        {picked.length === 0 ? (
          <p className="muted">{t("wizard.nothingPicked")}</p>
        ) : (
          <ul className="picked" aria-label={t("wizard.pickedLabel")}>
            {picked.map((product) => (
              <li key={product.id} data-unusable={!canRender(product) || undefined}>
                <Truncate text={`${product.name} ${product.pim_id}`}>
                  {product.name} <code className="muted">{product.pim_id}</code>
                </Truncate>
                <CadBadge product={product} />
                <Button size="sm" variant="ghost" aria-label={t("wizard.remove", { name: product.name })} onClick={() => onChange(togglePick(picked, product))}>
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
  const { t } = useTranslation("orders");
  if (query.isPending) return <Spinner label={t("wizard.loadingTypes")} />;
  if (query.isError) return <Alert>{errorMessage(query.error)}</Alert>;
  if (query.data.length === 0) {
    return <EmptyState title={t("wizard.nothingToOrder")}>{t("wizard.noTypes")}</EmptyState>;
  }
  return (
    <>
      <p className="muted">
        {t("wizard.typesIntro")} <HelpTooltip entry="wizard.output_types" />
      </p>
      <div className="type-grid" role="group" aria-label={t("wizard.typesLabel")}>
      {query.data.map((type) => (
        <label key={type.id} className="type-card" data-selected={selected.includes(type.id) || undefined}>
          <input type="checkbox" checked={selected.includes(type.id)} onChange={() => onToggle(type.id)} />
          <span className="type-card__name">{type.name}</span>
          <span className="type-card__meta">
            <Badge>{type.kind}</Badge>
            <span className="muted">{outputSize(type.render_settings, type.kind)}</span>
          </span>
          <span className="type-card__price">
            {t("wizard.perProduct", { price: currency ? formatMoney(toCents(type.price), currency) : formatCents(toCents(type.price)) })}
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


type ReviewLine = PlannedLine<PickedProduct, OutputType>;

/** The review's lines: product, output type and price (or why a line is not charged). */
function reviewColumns(t: TFunction<"orders">, money: (cents: number) => string): Array<Column<ReviewLine>> {
  return [
    {
      key: "product",
      header: t("wizard.col.product"),
      shrink: true,
      render: (line) => (
        <Truncate as="div" text={`${line.product.name} ${line.product.pim_id}`}>
          {line.product.name} <code className="muted">{line.product.pim_id}</code>
        </Truncate>
      ),
    },
    {
      key: "output-type",
      header: t("wizard.col.outputType"),
      render: (line) => (
        <>
          {line.outputType.name} <span className="muted">{outputSize(line.outputType.render_settings, line.outputType.kind)}</span>
        </>
      ),
    },
    {
      key: "price",
      header: t("wizard.col.price"),
      align: "right",
      render: (line) => (
        <span className="wizard-price">
          {line.fate === "render" ? (
            money(line.priceCents)
          ) : (
            <Badge tone={line.fate === "kept" ? "success" : "danger"}>{t(`wizard.fate.${line.fate}`)}</Badge>
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
  const { t } = useTranslation("orders");
  const format = useFormat();
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
        toast({ title: t("wizard.submitted"), message: t("wizard.queued", { count: fates.render }), tone: "success" });
      } catch (cause) {
        toast({ title: t("wizard.notSubmitted"), message: errorMessage(cause), tone: "danger", durationMs: 0 });
      }
    } else {
      toast({ title: draft ? t("wizard.draftUpdated") : t("wizard.draftSaved"), tone: "success" });
    }
    await onSaved(orderId);
  };

  return (
    <div className="wizard-grid wizard-grid--review">
      <Card title={t("wizard.order")}>
        <div className="form-stack">
          <Field label={t("wizard.title")} hint={t("wizard.titleHint")}>
            <Input value={state.title} onChange={(e) => onChange({ title: e.target.value })} maxLength={200} placeholder={t("wizard.titlePlaceholder")} />
          </Field>
          <Field label={t("wizard.notes")} hint={t("wizard.optional")}>
            <Textarea value={state.notes} onChange={(e) => onChange({ notes: e.target.value })} rows={3} maxLength={10_000} />
          </Field>
          <dl className="summary">
            <dt>{t("wizard.sum.products")}</dt>
            <dd>{format.number(state.products.length)}</dd>
            <dt>{t("wizard.sum.outputTypes")}</dt>
            <dd>{outputTypes.length}</dd>
            <dt>{t("wizard.sum.render")}</dt>
            <dd data-testid="line-count">{format.number(fates.render)}</dd>
            {fates.kept > 0 && (
              <>
                <dt>{t("wizard.sum.kept")}</dt>
                <dd data-testid="kept-count">{format.number(fates.kept)}</dd>
              </>
            )}
            {fates.no_cad > 0 && (
              <>
                <dt>{t("wizard.sum.noCad")}</dt>
                <dd data-testid="no-cad-count">{format.number(fates.no_cad)}</dd>
              </>
            )}
            <dt>{t("wizard.sum.total")}</dt>
            <dd data-testid="total-price" className="summary__total">
              {money(totalCents(lines))}
            </dd>
          </dl>
          {fates.kept > 0 && (
            <p className="muted">{t("wizard.keptNote")}</p>
          )}
          {fates.no_cad > 0 && (
            <Alert tone="warning">
              {t("wizard.noCadWarning", { count: fates.no_cad })}
            </Alert>
          )}
          {tooLarge && (
            <Alert>
              {t("wizard.tooLarge", { lines: format.number(lines.length), max: format.number(maxOrderSize ?? 0) })}
            </Alert>
          )}
          {error && <Alert>{error}</Alert>}
          <div className="wizard-nav">
            <Button onClick={onBack} disabled={busy !== null}>
              {t("wizard.back")}
            </Button>
            <Button onClick={() => void save(false)} loading={busy === "draft"} disabled={busy !== null || tooLarge}>
              {draft ? t("wizard.saveChanges") : t("wizard.saveDraft")}
            </Button>
            <Button
              variant="primary"
              onClick={() => void save(true)}
              loading={busy === "submit"}
              disabled={busy !== null || tooLarge || fates.render + fates.kept === 0}
            >
              {t("wizard.submit")}
            </Button>
          </div>
        </div>
      </Card>
      <Card
        title={
          <>
            {t("wizard.linesCard", { n: format.number(lines.length) })} <HelpTooltip entry="wizard.review" />
          </>
        }
        flush
      >
        <DataTable
          caption={t("wizard.caption")}
          flush
          columns={reviewColumns(t, money)}
          rows={lines}
          rowKey={(line) => line.key}
          rowAttributes={(line) => ({ "data-testid": "review-line", "data-fate": line.fate })}
        />
      </Card>
    </div>
  );
}
