import { Link } from "@tanstack/react-router";
import { useEffect, useId, useRef } from "react";
import { createPortal } from "react-dom";
import { Alert, Button, StatusPill } from "@/components/ui";
import { useCan } from "@/lib/session";
import type { Product } from "../api/list-products";
import { useTranslation } from "react-i18next";
import { useFormat } from "@/i18n/format";

export interface ProductDrawerProps {
  product: Product | null;
  onClose: () => void;
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}


/** A product's fields and attributes in a panel on the right; Escape or the backdrop closes it. */
export function ProductDrawer({ product, onClose }: ProductDrawerProps) {
  const { t } = useTranslation("products");
  const fmt = useFormat(); // dates in the UI's language, again after a switch
  const canEdit = useCan("trigger_renders");
  const cadFile = product?.cad_file ?? undefined;
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const open = product !== null;

  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      previous?.focus?.();
    };
  }, [open, onClose]);

  if (!product) return null;
  const attributes = Object.entries(product.attributes).sort(([a], [b]) => a.localeCompare(b));
  const overrides = Object.entries(product.material_overrides);

  return createPortal(
    <div className="products-drawer__backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <aside ref={panel} className="products-drawer" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1}>
        <header className="products-drawer__header">
          <div>
            <div className="products-drawer__pim">{product.pim_id}</div>
            <h2 id={titleId} className="products-drawer__title">
              {product.name}
            </h2>
          </div>
          <span className="products-drawer__actions">
            <Link to="/products/$productId" params={{ productId: product.id }} className="ui-button ui-button--secondary ui-button--sm">
              {canEdit ? t("drawer.edit") : t("drawer.open")}
            </Link>
            <Button variant="ghost" size="sm" aria-label={t("drawer.close")} onClick={onClose}>
              ×
            </Button>
          </span>
        </header>
        <div className="products-drawer__body">
          <dl className="products-dl">
            <dt>{t("drawer.pimId")}</dt>
            <dd className="products__mono">{product.pim_id}</dd>
            <dt>{t("drawer.category")}</dt>
            <dd>{formatValue(product.category_key)}</dd>
            <dt>{t("drawer.lagertyp")}</dt>
            <dd>{formatValue(product.lagertyp)}</dd>
            <dt>{t("drawer.cad")}</dt>
            <dd>
              {!product.cad_file_id ? (
                t("drawer.noCad")
              ) : cadFile ? (
                <span className="products__cad">
                  <Link to="/cad/$cadId" params={{ cadId: cadFile.id }}>
                    {cadFile.original_name}
                  </Link>
                  <StatusPill status={cadFile.status} />
                </span>
              ) : (
                t("drawer.linked")
              )}
            </dd>
            <dt>{t("drawer.updated")}</dt>
            <dd>{fmt.dateTime(product.updated_at)}</dd>
            <dt>{t("drawer.created")}</dt>
            <dd>{fmt.dateTime(product.created_at)}</dd>
          </dl>
          {cadFile?.status === "failed" && cadFile.error && <Alert>{t("drawer.cadFailed", { error: cadFile.error })}</Alert>}

          <h3 className="products-drawer__section">{t("drawer.attributes")}</h3>
          {attributes.length === 0 ? (
            <p className="products__muted">{t("drawer.noAttributes")}</p>
          ) : (
            <dl className="products-dl" data-testid="product-attributes">
              {attributes.map(([key, value]) => (
                <div key={key} className="products-dl__row">
                  <dt>{key}</dt>
                  <dd>{formatValue(value)}</dd>
                </div>
              ))}
            </dl>
          )}

          {overrides.length > 0 && (
            <>
              <h3 className="products-drawer__section">{t("drawer.overrides")}</h3>
              <dl className="products-dl">
                {overrides.map(([part, material]) => (
                  <div key={part} className="products-dl__row">
                    <dt>{part}</dt>
                    <dd>{material}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
        </div>
      </aside>
    </div>,
    document.body,
  );
}
