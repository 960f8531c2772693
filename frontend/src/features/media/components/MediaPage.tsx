import { getRouteApi } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, EmptyState, Input, PageHeader, ProgressBar, Select, Spinner, toast } from "@/components/ui";
import { useFormat } from "@/i18n/format";
import { errorMessage } from "@/lib/api";
import { useCan, useTenantView } from "@/lib/session";
import { bulkDownload, useArchiveJob } from "../api/bulk-download";
import type { ArchiveJob, BulkRequest } from "../api/bulk-download";
import { useMediaAsset, useMediaFacets, useMediaPages } from "../api/media";
import { FilterChips } from "./FilterChips";
import { WINDOW_SIZE, formatTotal, windowRange } from "./grid-window";
import { MediaGrid } from "./MediaGrid";
import { MediaPreviewPane } from "./MediaPreviewPane";
import type { ModelViewer } from "./MediaPreviewPane";
import { SORTS, sortLabel, apiFilters, clearFilters, compact, hasFilters, listQuery, tenantParam, withFilter } from "./media-search";
import type { MediaSearch, MediaSort } from "./media-search";
import { EMPTY_SELECTION, clickSelect, selectAllMatching, selectedCount, selectedIds } from "./selection";
import type { Modifiers, Selection } from "./selection";
import "./media.css";

const route = getRouteApi("/_app/media");

/** The search as the API takes it: trimmed, inner runs of spaces collapsed, undefined when empty. */
export function searchTerm(input: string): string | undefined {
  const term = input.trim().replace(/\s+/g, " ");
  return term === "" ? undefined : term.slice(0, 200);
}

/** The search box: typing is debounced, then the term goes into the URL (one history entry). */
function SearchBox({ value, onSearch, busy }: { value: string | undefined; onSearch: (term: string | undefined) => void; busy: boolean }) {
  const { t } = useTranslation("media");
  const [input, setInput] = useState(value ?? "");
  const latest = useRef({ value, onSearch });
  latest.current = { value, onSearch };
  // The URL changed by itself (Back, a link): show its term (what is typed stays if it says the same).
  useEffect(() => setInput((typed) => (searchTerm(typed) === value ? typed : (value ?? ""))), [value]);
  useEffect(() => {
    const timer = setTimeout(() => {
      const term = searchTerm(input);
      if (term !== latest.current.value) latest.current.onSearch(term);
    }, 350);
    return () => clearTimeout(timer);
  }, [input]);
  return (
    <div className="media-toolbar__search">
      <Input
        type="search"
        placeholder={t("search.placeholder")}
        aria-label={t("search.label")}
        value={input}
        onChange={(event) => setInput(event.target.value)}
        maxLength={200}
      />
      {(busy || searchTerm(input) !== value) && <Spinner />}
    </div>
  );
}

type DownloadState =
  | { phase: "idle" }
  | { phase: "running"; label: string; received: number; total: number | null }
  | { phase: "queued"; job: ArchiveJob };

/** A large archive a worker builds: its progress, then its link (or why it failed). */
function ArchiveProgress({ initial, onDone }: { initial: ArchiveJob; onDone: () => void }) {
  const { t } = useTranslation("media");
  const format = useFormat();
  const job = useArchiveJob(initial).data ?? initial;
  const files = job.file_count ? t("archive.files", { count: job.file_count, n: format.number(job.file_count) }) : t("archive.theFiles");
  return (
    <div className="media-archive" data-testid="archive-progress" data-status={job.status}>
      {job.status === "ready" && job.download_url ? (
        <Alert tone="info">
          {t("archive.ready", { files })}{" "}
          <a href={job.download_url} download={job.file_name}>
            {t("archive.download", { name: job.file_name ?? t("archive.theArchive") })}
          </a>
          {job.expires_at ? t("archive.until", { date: format.dateTime(job.expires_at) }) : ""}.{" "}
          <Button size="sm" variant="ghost" onClick={onDone}>
            {t("archive.dismiss")}
          </Button>
        </Alert>
      ) : job.status === "failed" || job.status === "expired" ? (
        <Alert>
          {job.error ? t("archive.failedWhy", { error: job.error }) : t("archive.failed")}.{" "}
          <Button size="sm" variant="ghost" onClick={onDone}>
            {t("archive.dismiss")}
          </Button>
        </Alert>
      ) : (
        <Alert tone="info">
          <ProgressBar value={job.progress ?? 0} label={t("archive.building", { files })} />
          {t("archive.leave")}
        </Alert>
      )}
    </div>
  );
}

/**
 * The media library: every rendered file the user may see, filtered by chips with counts, searched
 * by PIM id or name, sorted, in a virtualized thumbnail grid with keyboard navigation and
 * multi-select; the preview pane beside it; bulk download as a ZIP. Everything chosen is in the
 * URL. `viewer` is the 3D viewer for GLB files (the app passes the CAD library's).
 */
export function MediaPage({ viewer }: { viewer: ModelViewer }) {
  const { t } = useTranslation("media");
  const format = useFormat();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { overview, tenants, tenantName } = useTenantView();
  const canOpenCad = useCan("trigger_renders");
  const query = useMemo(() => listQuery(search, overview), [search, overview]);
  const queryKey = JSON.stringify(query);

  const go = useCallback(
    (next: MediaSearch, replace = false) => void navigate({ search: compact(next), replace }),
    [navigate],
  );

  // The window of pages (grid-window.ts) and the selection belong to one filter state.
  const [state, setState] = useState<{ key: string; starts: Array<string | null>; selection: Selection; active: number }>({
    key: queryKey,
    starts: [null],
    selection: EMPTY_SELECTION,
    active: -1,
  });
  const current = state.key === queryKey ? state : { key: queryKey, starts: [null], selection: EMPTY_SELECTION, active: -1 };
  const update = (change: Partial<typeof current>) => setState({ ...current, ...change });
  const windowIndex = current.starts.length - 1;

  const pages = useMediaPages(query, current.starts[windowIndex] ?? null);
  const facets = useMediaFacets(query);
  const items = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const order = useMemo(() => items.map((item) => item.id), [items]);
  const first = pages.data?.pages[0];
  const last = pages.data?.pages[pages.data.pages.length - 1];
  const total = first?.total ?? 0;
  const isEstimate = first?.total_is_estimate ?? false;
  const nextWindow = !pages.hasNextPage && last?.next_cursor ? last.next_cursor : null;

  // The preview: the asset in the URL, from the loaded pages or fetched on its own (a shared link).
  const loaded = search.asset ? items.find((item) => item.id === search.asset) : undefined;
  const fetched = useMediaAsset(search.asset, !loaded);
  const previewed = loaded ?? fetched.data;

  const onActivate = (index: number, modifiers: Modifiers, options: { preview: boolean; select: boolean }) => {
    const asset = items[index];
    if (!asset) return;
    let selection = current.selection;
    if (options.select) {
      // Keyboard ranges start at the focused tile when nothing was clicked yet.
      const anchored = modifiers.shift && !selection.anchor && current.active >= 0 ? { ...selection, anchor: order[current.active] ?? null } : selection;
      selection = clickSelect(anchored, order, asset.id, modifiers);
    } else if (!selection.all) {
      // A plain move of the focus moves the anchor too: the next Shift range starts here.
      selection = { ...selection, anchor: asset.id };
    }
    update({ active: index, selection });
    if (options.preview || (search.asset && search.asset !== asset.id)) go({ ...search, asset: asset.id }, true);
  };
  const onToggle = (index: number, shift: boolean) => {
    const asset = items[index];
    if (!asset) return;
    update({ active: index, selection: clickSelect(current.selection, order, asset.id, { shift, toggle: true }) });
  };
  const loadMore = useCallback(() => void pages.fetchNextPage(), [pages]);

  // -- bulk download ---------------------------------------------------------------------------
  const [download, setDownload] = useState<DownloadState>({ phase: "idle" });
  const count = selectedCount(current.selection, total);
  const runDownload = async (body: BulkRequest, label: string) => {
    setDownload({ phase: "running", label, received: 0, total: null });
    try {
      const outcome = await bulkDownload(body, {
        tenantId: tenantParam(search, overview),
        onProgress: (received, size) => setDownload({ phase: "running", label, received, total: size }),
      });
      if (outcome.kind === "saved") {
        setDownload({ phase: "idle" });
        toast({ title: t("download.readyTitle"), message: t("download.readyMessage", { file: outcome.fileName }), tone: "success" });
      } else if (outcome.kind === "queued") {
        setDownload({ phase: "queued", job: outcome.job });
      } else {
        setDownload({ phase: "idle" });
        toast({ title: t("download.unavailableTitle"), message: t("download.unavailableMessage"), tone: "danger" });
      }
    } catch (cause) {
      setDownload({ phase: "idle" });
      toast({ title: t("download.failed"), message: errorMessage(cause), tone: "danger" });
    }
  };
  const downloadSelected = () => {
    if (current.selection.all) void runDownload({ filters: apiFilters(search) }, t("download.whatAll", { total: formatTotal(total, isEstimate) }));
    else {
      const ids = selectedIds(current.selection, order);
      void runDownload({ asset_ids: ids }, t("download.whatSelected", { count: ids.length, n: format.number(ids.length) }));
    }
  };
  const downloadAll = () => void runDownload({ filters: apiFilters(search) }, t("download.whatAll", { total: formatTotal(total, isEstimate) }));

  const range = windowRange(windowIndex, items.length);
  const countLabel = !first
    ? ""
    : total === 0
      ? t("count.none")
      : windowIndex === 0 && !nextWindow && !pages.hasNextPage
        ? t("count.assets", { count: total, total: formatTotal(total, isEstimate) })
        : t("count.range", { first: format.number(range.first), last: format.number(range.last), total: formatTotal(total, isEstimate) });
  const filtered = hasFilters(search);

  return (
    <div className="media-page">
      <PageHeader
        title={t("page.title")}
        description={overview ? t("page.descriptionAll") : t("page.descriptionOwn")}
      />

      <div className="media-toolbar">
        <SearchBox value={search.q} onSearch={(term) => go(withFilter(search, "q", term))} busy={pages.isFetching && !pages.isFetchingNextPage} />
        <label className="media-toolbar__field">
          <span>{t("sort.label")}</span>
          <Select
            aria-label={t("sort.label")}
            value={search.sort ?? "newest"}
            onChange={(event) => go({ ...search, sort: event.target.value === "newest" ? undefined : (event.target.value as MediaSort) })}
          >
            {SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {sortLabel(sort)}
              </option>
            ))}
          </Select>
        </label>
        {overview && (
          <label className="media-toolbar__field">
            <span>{t("tenant.label")}</span>
            <Select aria-label={t("tenant.filter")} value={search.tenant ?? ""} onChange={(event) => go(withFilter(search, "tenant", event.target.value || undefined))}>
              <option value="">{t("tenant.all")}</option>
              {tenants.map((tenant) => (
                <option key={tenant.id} value={tenant.id}>
                  {tenant.name}
                </option>
              ))}
            </Select>
          </label>
        )}
        <span className="media-toolbar__count" data-testid="media-count" aria-live="polite">
          {countLabel}
        </span>
      </div>

      <FilterChips facets={facets.data} search={search} onChange={(next) => go(next)} />
      {facets.isError && <p className="media-page__note">{t("facetsError", { error: errorMessage(facets.error) })}</p>}

      <div className="media-selectionbar" data-testid="media-selectionbar">
        <span data-testid="selected-count">
          {count > 0 ? t("selection.count", { n: current.selection.all ? formatTotal(total, isEstimate) : format.number(count) }) : t("selection.none")}
        </span>
        {total > 0 && !current.selection.all && (
          <Button size="sm" variant="ghost" onClick={() => update({ selection: selectAllMatching() })}>
            {t("selection.selectAll", { total: formatTotal(total, isEstimate) })}
          </Button>
        )}
        {count > 0 && (
          <Button size="sm" variant="ghost" onClick={() => update({ selection: EMPTY_SELECTION })}>
            {t("selection.clear")}
          </Button>
        )}
        <span className="media-selectionbar__spacer" />
        {download.phase === "running" ? (
          <div className="media-selectionbar__progress" data-testid="download-progress">
            <ProgressBar
              value={download.total ? download.received / download.total : 0}
              label={t("download.progress", {
                what: download.total ? download.label : t("download.received", { what: download.label, kb: format.number(Math.round(download.received / 1024)) }),
              })}
              showValue={!!download.total}
            />
          </div>
        ) : (
          <>
            {count > 0 && !current.selection.all && (
              <Button size="sm" variant="primary" onClick={downloadSelected}>
                {t("download.selected", { n: format.number(count) })}
              </Button>
            )}
            <Button size="sm" variant={count > 0 && !current.selection.all ? "secondary" : "primary"} disabled={total === 0} onClick={downloadAll}>
              {total > 0 ? t("download.all", { total: formatTotal(total, isEstimate) }) : t("download.allNone")}
            </Button>
          </>
        )}
      </div>
      {download.phase === "queued" && <ArchiveProgress initial={download.job} onDone={() => setDownload({ phase: "idle" })} />}

      <div className={`media-body${search.asset ? " media-body--preview" : ""}`}>
        <div className="media-body__list">
          {windowIndex > 0 && (
            <div className="media-window">
              <Button size="sm" onClick={() => update({ starts: current.starts.slice(0, -1), active: -1 })}>
                {t("window.previous", { n: format.number(WINDOW_SIZE) })}
              </Button>
              <span>
                {t("window.range", { first: format.number(range.first), last: format.number(range.last) })}
              </span>
            </div>
          )}
          {pages.isError ? (
            <Alert>
              {t("list.error", { error: errorMessage(pages.error) })}{" "}
              <Button size="sm" onClick={() => void pages.refetch()}>
                {t("list.retry")}
              </Button>
            </Alert>
          ) : pages.isLoading ? (
            <div className="media-page__loading" data-testid="media-loading">
              <Spinner /> {t("list.loading")}
            </div>
          ) : items.length === 0 ? (
            filtered ? (
              <EmptyState
                title={search.q ? t("list.noMatchTerm", { q: search.q }) : t("list.noMatch")}
                action={
                  <Button variant="primary" onClick={() => go(clearFilters(search))}>
                    {t("list.clearFilters")}
                  </Button>
                }
              >
                {t("list.searchHint")}
              </EmptyState>
            ) : (
              <EmptyState title={t("list.empty")}>{t("list.emptyBody")}</EmptyState>
            )
          ) : (
            <MediaGrid
              items={items}
              selection={current.selection}
              active={current.active}
              onActivate={onActivate}
              onToggle={onToggle}
              onSelectAll={() => update({ selection: selectAllMatching() })}
              onClearSelection={() => update({ selection: EMPTY_SELECTION })}
              canLoadMore={!!pages.hasNextPage}
              loadingMore={pages.isFetchingNextPage}
              onLoadMore={loadMore}
              tenantName={overview ? tenantName : undefined}
            />
          )}
          {nextWindow && (
            <div className="media-window">
              <span>
                {t("window.showing", { first: format.number(range.first), last: format.number(range.last) })}
              </span>
              <Button size="sm" onClick={() => update({ starts: [...current.starts, nextWindow], active: -1 })}>
                {t("window.next", { n: format.number(WINDOW_SIZE) })}
              </Button>
            </div>
          )}
        </div>
        {search.asset && (
          <MediaPreviewPane
            asset={previewed}
            loading={!previewed && fetched.isLoading}
            error={!previewed ? fetched.error : null}
            viewer={viewer}
            canOpenCad={canOpenCad}
            tenant={overview && previewed ? tenantName(previewed.tenant_id) : undefined}
            onClose={() => go({ ...search, asset: undefined }, true)}
          />
        )}
      </div>
    </div>
  );
}
