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
  const linked = useLinkedProducts(cadFileId);
  if (linked.isPending)
    return (
      <p className="products__muted">
        <Spinner /> Looking for products linked to this file…
      </p>
    );
  if (linked.isError) return <p className="products__danger">The linked products could not be listed: {errorMessage(linked.error)}</p>;
  const { items, total } = linked.data;
  if (total === 0) return <p data-testid="linked-products">No product is linked to this file.</p>;
  return (
    <div className="linked-products" data-testid="linked-products">
      <p>
        <strong>
          {total === 1 ? "1 product is" : `${formatCount(total)} products are`} linked to this file
        </strong>{" "}
        and will have no CAD file: their order lines cannot render until you link another one on the product's page.
      </p>
      <ul>
        {items.map((product) => (
          <li key={product.id}>
            <Link to="/products/$productId" params={{ productId: product.id }}>
              <span className="products__mono">{product.pim_id}</span> <Truncate text={product.name} />
            </Link>
          </li>
        ))}
        {total > items.length && <li className="products__muted">and {formatCount(total - items.length)} more</li>}
      </ul>
    </div>
  );
}
