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
import { useTranslation } from "react-i18next";

const route = getRouteApi("/_app/products/$productId");

/** One product: its CAD file (link, change, unlink), its fields (edit), its attributes. */
export function ProductDetailPage() {
  const { t } = useTranslation("products");
  const { productId } = route.useParams();
  const product = useProduct(productId);
  if (product.isPending) return <PageSpinner label={t("detail.loading")} />;
  if (product.isError) {
    const missing = product.error instanceof ApiError && (product.error.status === 404 || product.error.status === 422);
    return (
      <EmptyState title={missing ? t("detail.notFound") : t("detail.loadError")} action={<Link to="/products">{t("detail.back")}</Link>}>
        {missing ? t("detail.gone") : errorMessage(product.error)}
      </EmptyState>
    );
  }
  return <ProductDetail product={product.data} />;
}

function ProductDetail({ product }: { product: Product }) {
  const { t } = useTranslation("products");
  // Product writes are for project managers and above: the roles with trigger_renders.
  const canEdit = useCan("trigger_renders");
  const attributes = Object.entries(product.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <div className="cad-breadcrumb">
        <Link to="/products">{t("detail.breadcrumb")}</Link> / <span className="products__mono">{product.pim_id}</span>
      </div>
      <PageHeader title={<Truncate text={product.name} />} description={<span className="products__mono">{t("detail.pimId", { id: product.pim_id })}</span>} />
      <div className="product-detail">
        <CadLink product={product} canEdit={canEdit} />
        {canEdit ? <EditForm key={product.updated_at} product={product} /> : <ReadOnlyFields product={product} />}
        <Card title={t("detail.attributes")}>
          {attributes.length === 0 ? (
            <p className="products__muted">{t("detail.noAttributes")}</p>
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
  const { t } = useTranslation("products");
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
        onError: (error) => toast({ title: t("detail.cadLinkFailed"), message: errorMessage(error), tone: "danger" }),
      },
    );

  return (
    <Card
      title={t("detail.cadFile")}
      className="product-detail__cad"
      actions={
        canEdit && (
          <span className="product-detail__actions">
            <Button size="sm" variant={file ? "secondary" : "primary"} onClick={() => setPicking(true)}>
              {file ? t("detail.change") : t("detail.linkCad")}
            </Button>
            {product.cad_file_id && (
              <Button size="sm" variant="ghost" loading={update.isPending && !picking} onClick={() => link(null)}>
                {t("detail.unlink")}
              </Button>
            )}
          </span>
        )
      }
    >
      <div data-testid="product-cad">
        {!product.cad_file_id ? (
          <p className="products__muted">
            {t("detail.noCad")}
            {product.waiting_for_cad_file && t("detail.waitingNamed", { name: product.waiting_for_cad_file })}
          </p>
        ) : file ? (
          <span className="products__cad">
            <Link to="/cad/$cadId" params={{ cadId: file.id }} className="products__cad-name">
              <Truncate text={file.original_name} />
            </Link>
            <StatusPill status={file.status} />
          </span>
        ) : (
          t("detail.linked")
        )}
        {file?.status === "failed" && file.error && <Alert>{t("detail.cadFailed", { error: file.error })}</Alert>}
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
  const { t } = useTranslation("products");
  const overrides = Object.entries(product.material_overrides);
  return (
    <Card title={t("detail.details")}>
      <dl className="products-dl">
        <dt>{t("detail.category")}</dt>
        <dd>{product.category_key ?? "—"}</dd>
        <dt>{t("detail.lagertyp")}</dt>
        <dd>{product.lagertyp ?? "—"}</dd>
        <dt>{t("detail.overrides")}</dt>
        <dd>{overrides.length === 0 ? t("detail.none") : overrides.map(([part, material]) => `${part}: ${material}`).join(", ")}</dd>
      </dl>
    </Card>
  );
}

function EditForm({ product }: { product: Product }) {
  const { t } = useTranslation("products");
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
      onSuccess: () => toast({ title: t("detail.saved"), message: product.pim_id, tone: "success" }),
      onError: (error) => toast({ title: t("detail.saveFailed"), message: errorMessage(error), tone: "danger" }),
    });
  };

  return (
    <Card title={t("detail.details")}>
      <form
        className="product-form"
        aria-label={t("detail.editLabel")}
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <Field label={t("detail.name")} error={errors.name}>
          <Input value={form.name} maxLength={LIMITS.name + 50} onChange={(event) => set({ name: event.target.value })} />
        </Field>
        <div className="product-form__pair">
          <Field label={t("detail.category")} error={errors.category} hint={t("detail.emptyClears")}>
            <Input value={form.category} onChange={(event) => set({ category: event.target.value })} />
          </Field>
          <Field label={t("detail.lagertypField")} error={errors.lagertyp} hint={t("detail.emptyClears")}>
            <Input value={form.lagertyp} onChange={(event) => set({ lagertyp: event.target.value })} />
          </Field>
        </div>
        <fieldset className="product-form__overrides">
          <legend>{t("detail.overrides")}</legend>
          <p className="products__muted">{t("detail.overridesHint")}</p>
          {form.overrides.map((row, index) => (
            <div key={index} className="product-form__override" data-testid="override-row">
              <Input aria-label={t("detail.part", { n: index + 1 })} placeholder={t("detail.partPlaceholder")} list={partsId} value={row.part} onChange={(event) => setRow(index, { part: event.target.value })} />
              <Input aria-label={t("detail.material", { n: index + 1 })} placeholder={t("detail.materialPlaceholder")} list={listId} value={row.material} onChange={(event) => setRow(index, { material: event.target.value })} />
              <Button size="sm" variant="ghost" aria-label={t("detail.removeOverride", { n: index + 1 })} onClick={() => set({ overrides: form.overrides.filter((_, i) => i !== index) })}>
                {t("detail.remove")}
              </Button>
              {errors.overrides?.[index] && <span className="ui-field__error product-form__row-error">{errors.overrides[index]}</span>}
            </div>
          ))}
          <Button size="sm" onClick={() => set({ overrides: [...form.overrides, { part: "", material: "" }] })}>
            {t("detail.addOverride")}
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
            {t("detail.discard")}
          </Button>
          <Button type="submit" variant="primary" disabled={!dirty} loading={update.isPending}>
            {t("detail.save")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
