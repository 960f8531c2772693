import { useTranslation } from "react-i18next";
import { Link } from "@tanstack/react-router";
import { Spinner, Truncate } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useLinkedProducts } from "../api/product";
import { formatCount } from "./search";

/**
 * The products linked to a CAD file, for the question before it is deleted: how many, the first
 * of them (each a link to its page), and what deleting does to them.
 */
export function LinkedProducts({ cadFileId }: { cadFileId: string }) {
  const { t } = useTranslation("products");
  const linked = useLinkedProducts(cadFileId);
  if (linked.isPending)
    return (
      <p className="products__muted">
        <Spinner /> Looking for products linked to this file…
      </p>
    );
  if (linked.isError) return <p className="products__danger">{t("linked.error", { error: errorMessage(linked.error) })}</p>;
  const { items, total } = linked.data;
  if (total === 0) return <p data-testid="linked-products">{t("linked.none")}</p>;
  return (
    <div className="linked-products" data-testid="linked-products">
      <p>
        <strong>
          {t("linked.count", { count: total, n: formatCount(total) })}
        </strong>{" "}
        {t("linked.consequence")}
      </p>
      <ul>
        {items.map((product) => (
          <li key={product.id}>
            <Link to="/products/$productId" params={{ productId: product.id }}>
              <span className="products__mono">{product.pim_id}</span> <Truncate text={product.name} />
            </Link>
          </li>
        ))}
        {total > items.length && <li className="products__muted">{t("linked.more", { n: formatCount(total - items.length) })}</li>}
      </ul>
    </div>
  );
}
