import { useTranslation } from "react-i18next";
import { useFormat } from "@/i18n/format";
import { Alert, Card, LoadMore, Spinner } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { allItems, totalOf } from "@/lib/paging";
import { useProductHistory } from "../api/product-history";
import { productHistory } from "./product-history";


/** What happened to the product and who did it (project managers and above read the activity). */
export function ProductHistory({ productId }: { productId: string }) {
  const { t } = useTranslation("products");
  const fmt = useFormat(); // dates in the UI's language, again after a switch
  const history = useProductHistory(productId);
  const entries = allItems(history.data);
  const lines = productHistory(entries);
  return (
    <Card title={t("history.title")}>
      {history.isPending ? (
        <Spinner label={t("history.loading")} />
      ) : history.isError ? (
        <Alert>{t("history.error", { error: errorMessage(history.error) })}</Alert>
      ) : lines.length === 0 ? (
        <p className="products__muted">{t("history.nothing")}</p>
      ) : (
        <ol className="product-history" data-testid="product-history">
          {lines.map((line) => (
            <li key={line.id}>
              <span>
                {line.what} <span className="products__muted">by {line.who}</span>
                {line.why && <span className="products__muted"> · {line.why}</span>}
              </span>
              <time className="products__muted" dateTime={line.at}>
                {fmt.dateTime(line.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {lines.length > 0 && (
        <LoadMore
          shown={entries.length}
          {...totalOf(history.data)}
          hasNext={history.hasNextPage}
          loading={history.isFetchingNextPage}
          onMore={() => void history.fetchNextPage()}
        />
      )}
    </Card>
  );
}
