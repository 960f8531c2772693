import { useTranslation } from "react-i18next";
import { cx } from "@/components/ui";
import { statusLabel } from "@/components/ui";
import type { FacetCount, MediaFacets } from "../api/media";
import { formatTotal } from "./grid-window";
import { assetTypeLabel, toggleType, withFilter } from "./media-search";
import type { AssetType, MediaSearch, RenderStatus } from "./media-search";

interface Group {
  /** Its name's key in `media:chips`. */
  name: "type" | "status" | "category" | "lagertyp";
  facet: keyof MediaFacets;
  label: (value: string) => string;
  isOn: (search: MediaSearch, value: string) => boolean;
  toggle: (search: MediaSearch, value: string) => MediaSearch;
}

/** One filter group per facet: asset types combine (any of them); the others take one value. */
const GROUPS: Group[] = [
  {
    name: "type",
    facet: "asset_type",
    label: assetTypeLabel,
    isOn: (search, value) => !!search.type?.includes(value as AssetType),
    toggle: (search, value) => toggleType(search, value as AssetType),
  },
  {
    name: "status",
    facet: "render_status",
    label: statusLabel,
    isOn: (search, value) => search.status === value,
    toggle: (search, value) => withFilter(search, "status", search.status === value ? undefined : (value as RenderStatus)),
  },
  {
    name: "category",
    facet: "category_key",
    label: (value) => value,
    isOn: (search, value) => search.category === value,
    toggle: (search, value) => withFilter(search, "category", search.category === value ? undefined : value),
  },
  {
    name: "lagertyp",
    facet: "lagertyp",
    label: (value) => value,
    isOn: (search, value) => search.lagertyp === value,
    toggle: (search, value) => withFilter(search, "lagertyp", search.lagertyp === value ? undefined : value),
  },
];

/** A chosen value the facets do not list (no match left): still shown, so it can be switched off. */
function withChosen(counts: FacetCount[], chosen: string[]): FacetCount[] {
  const missing = chosen.filter((value) => !counts.some((c) => c.value === value));
  return [...counts, ...missing.map((value) => ({ value, count: 0, is_estimate: false }))];
}

function chosenOf(search: MediaSearch, facet: keyof MediaFacets): string[] {
  switch (facet) {
    case "asset_type":
      return search.type ?? [];
    case "render_status":
      return search.status ? [search.status] : [];
    case "category_key":
      return search.category ? [search.category] : [];
    case "lagertyp":
      return search.lagertyp ? [search.lagertyp] : [];
  }
}

/**
 * The filter chips with their counts (each count: what choosing the chip gives, among what the
 * other filters leave). A chip is a toggle button (`aria-pressed`).
 */
export function FilterChips({
  facets,
  search,
  onChange,
}: {
  facets: MediaFacets | undefined;
  search: MediaSearch;
  onChange: (next: MediaSearch) => void;
}) {
  const { t } = useTranslation("media");
  return (
    <div className="media-chips" data-testid="media-chips">
      {GROUPS.map((group) => {
        const counts = withChosen(facets?.[group.facet] ?? [], chosenOf(search, group.facet));
        if (counts.length === 0) return null;
        return (
          <div key={group.facet} className="media-chips__group" role="group" aria-label={t(`chips.${group.name}`)}>
            <span className="media-chips__name">{t(`chips.${group.name}`)}</span>
            {counts.map((count) => {
              const on = group.isOn(search, count.value);
              return (
                <button
                  key={count.value}
                  type="button"
                  className={cx("media-chip", on && "media-chip--on")}
                  aria-pressed={on}
                  data-value={count.value}
                  onClick={() => onChange(group.toggle(search, count.value))}
                >
                  {group.label(count.value)}
                  <span className="media-chip__count">{formatTotal(count.count, count.is_estimate)}</span>
                </button>
              );
            })}
          </div>
        );
      })}
    </div>
  );
}
