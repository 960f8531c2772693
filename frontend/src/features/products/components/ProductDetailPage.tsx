import { useQuery } from "@tanstack/react-query";
import { Link, getRouteApi } from "@tanstack/react-router";
import { useId, useState } from "react";
import { Alert, Button, Card, EmptyState, Field, Input, PageHeader, PageSpinner, StatusPill, toast, Truncate } from "@/components/ui";
import { ApiError, errorMessage } from "@/lib/api";
import { useCan } from "@/lib/session";
import type { Product } from "../api/list-products";
import { cadPartNamesQueryOptions, materialNamesQueryOptions, useProduct, useUpdateProduct } from "../api/product";
import { CadPicker } from "./CadPicker";
import { ProductHistory } from "./ProductHistory";
import { LIMITS, changesOf, formFromProduct, hasErrors, validate } from "./product-form";
import type { FormErrors, ProductForm } from "./product-form";
import "./products.css";

const route = getRouteApi("/_app/products/$productId");

/** One product: its CAD file (link, change, unlink), its fields (edit), its attributes. */
export function ProductDetailPage() {
  const { productId } = route.useParams();
  const product = useProduct(productId);
  if (product.isPending) return <PageSpinner label="Loading the product" />;
  if (product.isError) {
    const missing = product.error instanceof ApiError && (product.error.status === 404 || product.error.status === 422);
    return (
      <EmptyState title={missing ? "Product not found" : "This product could not be loaded"} action={<Link to="/products">Back to the products</Link>}>
        {missing ? "It may have been deleted, or the link is wrong." : errorMessage(product.error)}
      </EmptyState>
    );
  }
  return <ProductDetail product={product.data} />;
}

function ProductDetail({ product }: { product: Product }) {
  // Product writes are for project managers and above: the roles with trigger_renders.
  const canEdit = useCan("trigger_renders");
  const attributes = Object.entries(product.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <div className="cad-breadcrumb">
        <Link to="/products">Products</Link> / <span className="products__mono">{product.pim_id}</span>
      </div>
      <PageHeader title={<Truncate text={product.name} />} description={<span className="products__mono">PIM id {product.pim_id}</span>} />
      <div className="product-detail">
        <CadLink product={product} canEdit={canEdit} />
        {canEdit ? <EditForm key={product.updated_at} product={product} /> : <ReadOnlyFields product={product} />}
        <Card title="Attributes">
          {attributes.length === 0 ? (
            <p className="products__muted">No further attributes. Other named columns of an Excel import land here.</p>
          ) : (
            <dl className="products-dl" data-testid="product-attributes">
              {attributes.map(([key, value]) => (
                <div key={key} className="products-dl__row">
                  <dt>{key}</dt>
                  <dd>{typeof value === "object" ? JSON.stringify(value) : String(value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </Card>
        {canEdit && <ProductHistory productId={product.id} />}
      </div>
    </>
  );
}

/** The product's CAD file: what it is and how it is doing; link one, change it, unlink it. */
function CadLink({ product, canEdit }: { product: Product; canEdit: boolean }) {
  const update = useUpdateProduct(product.id);
  const [picking, setPicking] = useState(false);
  const file = product.cad_file ?? undefined;

  const link = (cadFileId: string | null, name?: string) =>
    update.mutate(
      { cad_file_id: cadFileId },
      {
        onSuccess: () => {
          setPicking(false);
          toast({ title: cadFileId ? "CAD file linked" : "CAD file unlinked", message: name ?? product.pim_id, tone: "success" });
        },
        onError: (error) => toast({ title: "Could not change the CAD link", message: errorMessage(error), tone: "danger" }),
      },
    );

  return (
    <Card
      title="CAD file"
      className="product-detail__cad"
      actions={
        canEdit && (
          <span className="product-detail__actions">
            <Button size="sm" variant={file ? "secondary" : "primary"} onClick={() => setPicking(true)}>
              {file ? "Change" : "Link a CAD file"}
            </Button>
            {product.cad_file_id && (
              <Button size="sm" variant="ghost" loading={update.isPending && !picking} onClick={() => link(null)}>
                Unlink
              </Button>
            )}
          </span>
        )
      }
    >
      <div data-testid="product-cad">
        {!product.cad_file_id ? (
          <p className="products__muted">
            No CAD file linked: order lines of this product cannot render until one is.
            {product.waiting_for_cad_file && <> Its import named “{product.waiting_for_cad_file}”, which is not in the CAD library yet.</>}
          </p>
        ) : file ? (
          <span className="products__cad">
            <Link to="/cad/$cadId" params={{ cadId: file.id }} className="products__cad-name">
              <Truncate text={file.original_name} />
            </Link>
            <StatusPill status={file.status} />
          </span>
        ) : (
          "Linked"
        )}
        {file?.status === "failed" && file.error && <Alert>CAD processing failed: {file.error}. Link another file or reprocess this one.</Alert>}
      </div>
      {canEdit && (
        <CadPicker
          open={picking}
          onClose={() => setPicking(false)}
          tenantId={product.tenant_id}
          linkedId={product.cad_file_id}
          busy={update.isPending}
          onPick={(id, name) => link(id, name)}
        />
      )}
    </Card>
  );
}

function ReadOnlyFields({ product }: { product: Product }) {
  const overrides = Object.entries(product.material_overrides);
  return (
    <Card title="Details">
      <dl className="products-dl">
        <dt>Category</dt>
        <dd>{product.category_key ?? "—"}</dd>
        <dt>Bearing type</dt>
        <dd>{product.lagertyp ?? "—"}</dd>
        <dt>Material overrides</dt>
        <dd>{overrides.length === 0 ? "None" : overrides.map(([part, material]) => `${part}: ${material}`).join(", ")}</dd>
      </dl>
    </Card>
  );
}

function EditForm({ product }: { product: Product }) {
  const update = useUpdateProduct(product.id);
  const [form, setForm] = useState<ProductForm>(() => formFromProduct(product));
  const [errors, setErrors] = useState<FormErrors>({});
  const changes = changesOf(product, form);
  const dirty = Object.keys(changes).length > 0;
  const listId = useId();
  const partsId = useId();
  const materials = useQuery(materialNamesQueryOptions());
  const parts = useQuery({ ...cadPartNamesQueryOptions(product.cad_file_id ?? ""), enabled: !!product.cad_file_id });
  const partNames = parts.data ?? [];

  const set = (patch: Partial<ProductForm>) => setForm((current) => ({ ...current, ...patch }));
  const setRow = (index: number, patch: Partial<ProductForm["overrides"][number]>) =>
    set({ overrides: form.overrides.map((row, i) => (i === index ? { ...row, ...patch } : row)) });

  const save = () => {
    const found = validate(form);
    setErrors(found);
    if (hasErrors(found) || !dirty) return;
    update.mutate(changes, {
      onSuccess: () => toast({ title: "Product saved", message: product.pim_id, tone: "success" }),
      onError: (error) => toast({ title: "Could not save", message: errorMessage(error), tone: "danger" }),
    });
  };

  return (
    <Card title="Details">
      <form
        className="product-form"
        aria-label="Edit product"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <Field label="Name" error={errors.name}>
          <Input value={form.name} maxLength={LIMITS.name + 50} onChange={(event) => set({ name: event.target.value })} />
        </Field>
        <div className="product-form__pair">
          <Field label="Category" error={errors.category} hint="Empty clears it.">
            <Input value={form.category} onChange={(event) => set({ category: event.target.value })} />
          </Field>
          <Field label="Bearing type (Lagertyp)" error={errors.lagertyp} hint="Empty clears it.">
            <Input value={form.lagertyp} onChange={(event) => set({ lagertyp: event.target.value })} />
          </Field>
        </div>
        <fieldset className="product-form__overrides">
          <legend>Material overrides</legend>
          <p className="products__muted">A part of the CAD file rendered in another material than the tenant's aliases give it.</p>
          {form.overrides.map((row, index) => (
            <div key={index} className="product-form__override" data-testid="override-row">
              <Input aria-label={`Part ${index + 1}`} placeholder="Part name" list={partsId} value={row.part} onChange={(event) => setRow(index, { part: event.target.value })} />
              <Input aria-label={`Material ${index + 1}`} placeholder="Material" list={listId} value={row.material} onChange={(event) => setRow(index, { material: event.target.value })} />
              <Button size="sm" variant="ghost" aria-label={`Remove override ${index + 1}`} onClick={() => set({ overrides: form.overrides.filter((_, i) => i !== index) })}>
                Remove
              </Button>
              {errors.overrides?.[index] && <span className="ui-field__error product-form__row-error">{errors.overrides[index]}</span>}
            </div>
          ))}
          <Button size="sm" onClick={() => set({ overrides: [...form.overrides, { part: "", material: "" }] })}>
            Add an override
          </Button>
          <datalist id={listId}>
            {(materials.data ?? []).map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <datalist id={partsId}>
            {partNames.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </fieldset>
        <div className="product-form__footer">
          <Button type="button" variant="ghost" disabled={!dirty || update.isPending} onClick={() => { setForm(formFromProduct(product)); setErrors({}); }}>
            Discard changes
          </Button>
          <Button type="submit" variant="primary" disabled={!dirty} loading={update.isPending}>
            Save
          </Button>
        </div>
      </form>
    </Card>
  );
}
