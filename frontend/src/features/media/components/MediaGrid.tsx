import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { KeyboardEvent, MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { Spinner, cx } from "@/components/ui";
import { useFileBlob, useObjectUrl } from "../api/media";
import type { MediaAsset } from "../api/media";
import { GRID_KEYS, columnsFor, moveFocus, rowCount, rowHeightFor, shouldLoadMore } from "./grid-window";
import type { GridKey } from "./grid-window";
import { assetTypeLabel } from "./media-search";
import { isSelected } from "./selection";
import type { Modifiers, Selection } from "./selection";

export interface MediaGridProps {
  items: MediaAsset[];
  selection: Selection;
  /** The focused tile (keyboard and preview), -1 for none. */
  active: number;
  /** A tile was clicked or reached by keyboard: focus it, select by the modifiers, maybe preview. */
  onActivate: (index: number, modifiers: Modifiers, options: { preview: boolean; select: boolean }) => void;
  /** Space on the focused tile / its checkbox. */
  onToggle: (index: number, shift: boolean) => void;
  onSelectAll: () => void;
  onClearSelection: () => void;
  canLoadMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** A global admin's All tenants: each tile names its tenant. */
  tenantName?: (tenantId: string) => string;
}

/** The tile's caption: product name (else file name), PIM id, kind. */
function label(asset: MediaAsset): string {
  return asset.product_name ?? asset.file_name;
}

const cellId = (id: string) => `media-cell-${id}`;

function KindIcon({ asset }: { asset: MediaAsset }) {
  const ext = asset.file_name.split(".").pop()?.toUpperCase() ?? "";
  const video = asset.content_type.startsWith("video/");
  return (
    <span className="media-tile__icon" aria-hidden="true">
      {video ? (
        <svg width="36" height="36" viewBox="0 0 24 24" fill="currentColor">
          <path d="M8 5v14l11-7z" />
        </svg>
      ) : (
        <svg width="36" height="36" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5">
          <path d="M12 2 3 7v10l9 5 9-5V7z" strokeLinejoin="round" />
          <path d="M3 7l9 5 9-5M12 12v10" strokeLinejoin="round" />
        </svg>
      )}
      <span>{ext}</span>
    </span>
  );
}

function Thumbnail({ asset }: { asset: MediaAsset }) {
  const { t } = useTranslation("media");
  const blob = useFileBlob(asset.thumbnail_url);
  const url = useObjectUrl(blob.data);
  if (!asset.thumbnail_url) return <KindIcon asset={asset} />;
  if (blob.isError) return <span className="media-tile__icon" title={t("grid.thumbError")}>!</span>;
  if (!url) return <span className="media-tile__icon"><Spinner /></span>;
  return <img className="media-tile__img" src={url} alt="" draggable={false} />;
}

const Tile = memo(function Tile({
  asset,
  index,
  selected,
  active,
  tenant,
  onClick,
  onCheck,
}: {
  asset: MediaAsset;
  index: number;
  selected: boolean;
  active: boolean;
  tenant?: string;
  onClick: (index: number, event: MouseEvent) => void;
  onCheck: (index: number, shift: boolean) => void;
}) {
  const { t } = useTranslation("media");
  return (
    <div
      role="gridcell"
      id={cellId(asset.id)}
      aria-selected={selected}
      className={cx("media-tile", selected && "media-tile--selected", active && "media-tile--active")}
      data-testid="media-tile"
      data-asset-id={asset.id}
      data-kind={asset.kind}
      data-content-type={asset.content_type}
      onClick={(event) => onClick(index, event)}
      title={`${label(asset)} · ${asset.file_name}`}
    >
      <div className="media-tile__picture">
        <Thumbnail asset={asset} />
        <input
          type="checkbox"
          className="media-tile__check"
          checked={selected}
          aria-label={t("grid.select", { name: asset.file_name })}
          tabIndex={-1}
          onClick={(event) => {
            event.stopPropagation();
            onCheck(index, event.shiftKey);
          }}
          onChange={() => undefined}
        />
      </div>
      <div className="media-tile__caption">
        <span className="media-tile__name">{label(asset)}</span>
        <span className="media-tile__meta">
          <span className="media-tile__kind">{assetTypeLabel(asset.kind)}</span>
          {asset.role === "poster" && <span> · {t("grid.poster")}</span>}
          {asset.pim_id && <span className="media-tile__pim"> · {asset.pim_id}</span>}
        </span>
        {tenant && (
          <span className="media-tile__tenant" data-testid="media-tenant">
            {tenant}
          </span>
        )}
      </div>
    </div>
  );
});

/**
 * The thumbnail grid: rows virtualized with TanStack Virtual (only the visible rows and a few
 * around them are in the DOM), in a scroll box of its own. The grid keeps the keyboard focus
 * itself (`aria-activedescendant`), so a focused tile may scroll out of the DOM and back.
 *
 * Keys: arrows, Home/End, Page Up/Down move; with Shift they select the range; Space selects the
 * focused tile; Enter opens its preview; Ctrl/Cmd+A selects every matching asset; Escape clears.
 */
export function MediaGrid(props: MediaGridProps) {
  const { items, selection, active, onActivate, onToggle, onSelectAll, onClearSelection, canLoadMore, loadingMore, onLoadMore, tenantName } = props;
  const { t } = useTranslation("media");
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [viewport, setViewport] = useState(600);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => {
      setWidth(element.clientWidth);
      setViewport(element.clientHeight);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const columns = columnsFor(width);
  const rowHeight = rowHeightFor(width, columns);
  const rows = rowCount(items.length, columns);
  const virtualizer = useVirtualizer({
    count: rows + (canLoadMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 3,
  });
  useEffect(() => virtualizer.measure(), [virtualizer, rowHeight]);

  const virtualRows = virtualizer.getVirtualItems();
  const lastVisible = virtualRows[virtualRows.length - 1]?.index ?? 0;
  useEffect(() => {
    if (shouldLoadMore(lastVisible, rows, canLoadMore, loadingMore)) onLoadMore();
  }, [lastVisible, rows, canLoadMore, loadingMore, onLoadMore]);

  // The focused tile comes into view when it moves (keyboard) or the columns change; not when a
  // page loads while the user scrolls elsewhere.
  const activeRow = active >= 0 ? Math.floor(active / columns) : -1;
  const scrolledTo = useRef("");
  useEffect(() => {
    const key = `${active}/${columns}`;
    if (activeRow < 0 || activeRow >= rows || scrolledTo.current === key) return;
    scrolledTo.current = key;
    virtualizer.scrollToIndex(activeRow, { align: "auto" });
  }, [active, activeRow, columns, rows, virtualizer]);

  const onClick = (index: number, event: MouseEvent) => {
    scroller.current?.focus({ preventScroll: true });
    onActivate(index, { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey }, { preview: true, select: true });
  };
  const onCheck = (index: number, shift: boolean) => {
    scroller.current?.focus({ preventScroll: true });
    onToggle(index, shift);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (GRID_KEYS.has(event.key)) {
      event.preventDefault();
      const pageRows = Math.max(1, Math.floor(viewport / rowHeight));
      const next = moveFocus(active, event.key as GridKey, columns, items.length, pageRows);
      if (next >= 0) onActivate(next, { shift: event.shiftKey, toggle: false }, { preview: false, select: event.shiftKey });
    } else if (event.key === " " && active >= 0) {
      event.preventDefault();
      onToggle(active, event.shiftKey);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      onActivate(active, { shift: false, toggle: false }, { preview: true, select: false });
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "a") {
      event.preventDefault();
      onSelectAll();
    } else if (event.key === "Escape") {
      onClearSelection();
    }
  };

  const activeAsset = active >= 0 ? items[active] : undefined;
  return (
    <div
      ref={scroller}
      className="media-grid"
      role="grid"
      aria-label={t("grid.label")}
      aria-multiselectable="true"
      aria-rowcount={rows}
      aria-activedescendant={activeAsset ? cellId(activeAsset.id) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="media-grid"
      data-columns={columns}
    >
      <div className="media-grid__sizer" style={{ height: virtualizer.getTotalSize() }} data-testid="media-grid-sizer">
        {virtualRows.map((row) => {
          const start = row.index * columns;
          const rowItems = items.slice(start, start + columns);
          return (
            <div
              key={row.key}
              role="row"
              aria-rowindex={row.index + 1}
              className="media-grid__row"
              style={{ transform: `translateY(${row.start}px)`, height: rowHeight, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
            >
              {row.index >= rows ? (
                <div className="media-grid__more" role="gridcell">
                  <Spinner /> {t("grid.loadingMore")}
                </div>
              ) : (
                rowItems.map((asset, offset) => (
                  <Tile
                    key={asset.id}
                    asset={asset}
                    index={start + offset}
                    selected={isSelected(selection, asset.id)}
                    active={start + offset === active}
                    tenant={tenantName?.(asset.tenant_id)}
                    onClick={onClick}
                    onCheck={onCheck}
                  />
                ))
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
