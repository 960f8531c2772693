import { useTranslation } from "react-i18next";
import { formatNumber } from "@/i18n/format";
import { Button } from "./Button";

export interface LoadMoreProps {
  /** Items loaded so far. */
  shown: number;
  /** The list's total (with its filters), as the API counted it. */
  total: number;
  /** True: the API capped its count, there are more than `total`. */
  estimate?: boolean;
  hasNext: boolean;
  loading: boolean;
  onMore: () => void;
  /** Names the button for a screen reader where a page has several lists ("Load more users"). */
  label?: string;
}

/** The pager under every list: how many of how many are shown, and "Load more" while there are. */
export function LoadMore({ shown, total, estimate = false, hasNext, loading, onMore, label }: LoadMoreProps) {
  const { t, i18n } = useTranslation("common");
  const lng = i18n.language === "de" ? "de" : "en";
  const counts = { shown: formatNumber(shown, lng), total: formatNumber(total, lng) };
  return (
    <div className="load-more" data-testid="pager">
      <span className="muted">
        {estimate ? t("pager.showingEstimate", counts) : t("pager.showing", counts)}
        {hasNext ? "" : ` · ${t("pager.end")}`}
      </span>
      {hasNext && (
        <Button size="sm" loading={loading} onClick={onMore} aria-label={label}>
          {t("pager.loadMore")}
        </Button>
      )}
    </div>
  );
}
