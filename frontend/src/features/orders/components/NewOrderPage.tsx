import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { Alert, Badge, Button, Card, EmptyState, Field, Input, PageHeader, Spinner, Textarea, Truncate, toast } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useCreateOrder } from "../api/create-order";
import { useOutputTypes } from "../api/list-output-types";
import type { OutputType } from "../api/list-output-types";
import { useProductSearch } from "../api/search-products";
import type { Product } from "../api/search-products";
import { submitOrder } from "../api/submit-order";
import { formatCents, outputSize, planLines, toCents, toggle, totalCents } from "./wizard";
import "./orders.css";

const STEPS = ["Products", "Output types", "Review"] as const;

/** /orders/new: pick products, pick output types, review; save a draft or submit. */
export function NewOrderPage() {
  const [step, setStep] = useState(0);
  const [products, setProducts] = useState<Product[]>([]);
  const [outputTypeIds, setOutputTypeIds] = useState<string[]>([]);
  const outputTypes = useOutputTypes();
  const chosenTypes = (outputTypes.data ?? []).filter((t) => outputTypeIds.includes(t.id));

  const canNext = step === 0 ? products.length > 0 : step === 1 ? chosenTypes.length > 0 : false;

  return (
    <>
      <PageHeader
        title="New order"
        description="Every product you pick is rendered in every output type you pick."
        actions={
          <Link to="/orders" className="ui-button ui-button--ghost">
            Cancel
          </Link>
        }
      />
      <ol className="wizard-steps" aria-label="Steps">
        {STEPS.map((label, index) => (
          <li key={label} aria-current={index === step ? "step" : undefined} data-done={index < step || undefined}>
            <span className="wizard-steps__n">{index + 1}</span> {label}
          </li>
        ))}
      </ol>

      {step === 0 && <ProductStep selected={products} onChange={setProducts} />}
      {step === 1 && (
        <OutputTypeStep query={outputTypes} selected={outputTypeIds} onToggle={(id) => setOutputTypeIds((s) => toggle(s, id))} />
      )}
      {step === 2 && <ReviewStep products={products} outputTypes={chosenTypes} onBack={() => setStep(1)} />}

      {step < 2 && (
        <div className="wizard-nav">
          <Button onClick={() => setStep((s) => s - 1)} disabled={step === 0}>
            Back
          </Button>
          <span className="muted">
            {step === 0 && `${products.length} product${products.length === 1 ? "" : "s"} picked`}
            {step === 1 && `${chosenTypes.length} output type${chosenTypes.length === 1 ? "" : "s"} picked`}
          </span>
          <Button variant="primary" onClick={() => setStep((s) => s + 1)} disabled={!canNext}>
            Next
          </Button>
        </div>
      )}
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

function ProductStep({ selected, onChange }: { selected: Product[]; onChange: (products: Product[]) => void }) {
  const [q, setQ] = useState("");
  const search = useProductSearch(useDebounced(q, 250));
  const isSelected = (id: string) => selected.some((p) => p.id === id);
  const flip = (product: Product) =>
    onChange(isSelected(product.id) ? selected.filter((p) => p.id !== product.id) : [...selected, product]);
  const results = search.data?.items ?? [];
  const addAll = () => onChange([...selected, ...results.filter((p) => !isSelected(p.id))]);

  return (
    <div className="wizard-grid">
      <Card
        title="Find products"
        actions={
          results.length > 1 && (
            <Button size="sm" variant="ghost" onClick={addAll}>
              Pick all {results.length}
            </Button>
          )
        }
      >
        <Field label="Search by name or PIM id">
          <Input value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. 6204 or deep groove" autoFocus type="search" />
        </Field>
        {search.isError && <Alert>{errorMessage(search.error)}</Alert>}
        <div className="pick-list" role="group" aria-label="Products found">
          {search.isPending && <Spinner label="Searching" />}
          {search.data && results.length === 0 && <p className="muted">No product matches “{q}”.</p>}
          {results.map((product) => (
            <label key={product.id} className="pick-row" data-selected={isSelected(product.id) || undefined}>
              <input type="checkbox" checked={isSelected(product.id)} onChange={() => flip(product)} />
              <span className="pick-row__main">
                <Truncate className="pick-row__name" text={product.name} />
                <code className="muted">{product.pim_id}</code>
              </span>
              {!product.cad_file_id && (
                <Badge tone="danger" title="Lines of this product will fail: it has no CAD file">
                  no CAD
                </Badge>
              )}
            </label>
          ))}
          {search.data && search.data.total > results.length && (
            <p className="muted">Showing {results.length} of {search.data.total}; narrow the search to see the rest.</p>
          )}
        </div>
      </Card>
      <Card title={`Picked (${selected.length})`}>
        {selected.length === 0 ? (
          <p className="muted">Nothing picked yet.</p>
        ) : (
          <ul className="picked" aria-label="Picked products">
            {selected.map((product) => (
              <li key={product.id}>
                <Truncate text={`${product.name} ${product.pim_id}`}>
                  {product.name} <code className="muted">{product.pim_id}</code>
                </Truncate>
                <Button size="sm" variant="ghost" aria-label={`Remove ${product.name}`} onClick={() => flip(product)}>
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
  selected,
  onToggle,
}: {
  query: ReturnType<typeof useOutputTypes>;
  selected: string[];
  onToggle: (id: string) => void;
}) {
  if (query.isPending) return <Spinner label="Loading output types" />;
  if (query.isError) return <Alert>{errorMessage(query.error)}</Alert>;
  if (query.data.length === 0) {
    return <EmptyState title="Nothing to order yet">Your tenant has no output types. An administrator sets them up.</EmptyState>;
  }
  return (
    <div className="type-grid" role="group" aria-label="Output types">
      {query.data.map((type) => (
        <label key={type.id} className="type-card" data-selected={selected.includes(type.id) || undefined}>
          <input type="checkbox" checked={selected.includes(type.id)} onChange={() => onToggle(type.id)} />
          <span className="type-card__name">{type.name}</span>
          <span className="type-card__meta">
            <Badge>{type.kind}</Badge>
            <span className="muted">{outputSize(type.render_settings, type.kind)}</span>
          </span>
          <span className="type-card__price">{formatCents(toCents(type.price))} per product</span>
        </label>
      ))}
    </div>
  );
}

function ReviewStep({ products, outputTypes, onBack }: { products: Product[]; outputTypes: OutputType[]; onBack: () => void }) {
  const navigate = useNavigate();
  const create = useCreateOrder();
  const [title, setTitle] = useState("");
  const [notes, setNotes] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"draft" | "submit" | null>(null);
  const lines = planLines(products, outputTypes);

  const save = async (andSubmit: boolean) => {
    setError(null);
    setBusy(andSubmit ? "submit" : "draft");
    let orderId: string;
    try {
      const order = await create.mutateAsync({
        title: title.trim() || null,
        notes: notes.trim() || null,
        product_ids: products.map((p) => p.id),
        output_type_ids: outputTypes.map((t) => t.id),
      });
      orderId = order.id;
    } catch (cause) {
      setError(errorMessage(cause));
      setBusy(null);
      return;
    }
    if (andSubmit) {
      try {
        await submitOrder(orderId);
        toast({ title: "Order submitted", message: "Its lines are queued for rendering.", tone: "success" });
      } catch (cause) {
        toast({ title: "Saved as a draft, but not submitted", message: errorMessage(cause), tone: "danger", durationMs: 0 });
      }
    } else {
      toast({ title: "Draft saved", tone: "success" });
    }
    await navigate({ to: "/orders/$orderId", params: { orderId } });
  };

  return (
    <div className="wizard-grid wizard-grid--review">
      <Card title="Order">
        <div className="form-stack">
          <Field label="Title" hint="Optional: what this order is for">
            <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} placeholder="Autumn catalogue" />
          </Field>
          <Field label="Notes" hint="Optional">
            <Textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={3} />
          </Field>
          <dl className="summary">
            <dt>Products</dt>
            <dd>{products.length}</dd>
            <dt>Output types</dt>
            <dd>{outputTypes.length}</dd>
            <dt>Lines</dt>
            <dd data-testid="line-count">{lines.length}</dd>
            <dt>Total</dt>
            <dd data-testid="total-price" className="summary__total">
              {formatCents(totalCents(lines))}
            </dd>
          </dl>
          {error && <Alert>{error}</Alert>}
          <div className="wizard-nav">
            <Button onClick={onBack} disabled={busy !== null}>
              Back
            </Button>
            <Button onClick={() => void save(false)} loading={busy === "draft"} disabled={busy !== null}>
              Save draft
            </Button>
            <Button variant="primary" onClick={() => void save(true)} loading={busy === "submit"} disabled={busy !== null}>
              Submit
            </Button>
          </div>
        </div>
      </Card>
      <Card title={`Lines (${lines.length})`} flush>
        <div className="ui-table-wrap ui-table-wrap--flush">
          <table className="ui-table">
            <thead>
              <tr>
                <th>Product</th>
                <th>Output type</th>
                <th className="ui-table__num">Price</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.key}>
                  <td className="ui-table__cut">
                    <Truncate as="div" text={`${line.product.name} ${line.product.pim_id}`}>
                      {line.product.name} <code className="muted">{line.product.pim_id}</code>
                    </Truncate>
                  </td>
                  <td>
                    {line.outputType.name} <span className="muted">{outputSize(line.outputType.render_settings, line.outputType.kind)}</span>
                  </td>
                  <td className="ui-table__num">{formatCents(line.priceCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
