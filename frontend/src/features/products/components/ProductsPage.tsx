import { Link } from "@tanstack/react-router";
import { useCallback, useState } from "react";
import { Alert, DataTable, DisabledAction, EmptyState, Input, LoadMore, PageHeader, Spinner } from "@/components/ui";
import type { Column } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { allItems, totalOf } from "@/lib/paging";
import { useCan, useTenantView } from "@/lib/session";
import { useProducts } from "../api/list-products";
import type { Product } from "../api/list-products";
import { CadCell } from "./CadCell";
import { countLabel, useProductSearch } from "./search";
import { ProductDrawer } from "./ProductDrawer";
import "./products.css";

/** Everyone in the tenant reads the products; project managers and above import them. */
export function ProductsPage() {
  // Product writes are for project managers and above: the roles with trigger_renders.
  const canWrite = useCan("trigger_renders");
  // A global admin's "All tenants" is an overview: a tenant column, and importing needs a tenant.
  const { overview, tenantName } = useTenantView();
  const canImport = canWrite && !overview;
  const search = useProductSearch();
  const products = useProducts(search.term);
  const [selected, setSelected] = useState<Product | null>(null);
  const close = useCallback(() => setSelected(null), []);

  const data = products.data;
  const rows = allItems(data);
  const { total, estimate } = totalOf(data);

  const columns: Array<Column<Product>> = [
    { key: "pim", header: "PIM id", width: "16%", render: (p) => <span className="products__mono">{p.pim_id}</span> },
    { key: "name", header: "Name", fullText: (p) => p.name, render: (p) => p.name },
    ...(overview
      ? [{ key: "tenant", header: "Tenant", width: "14%", fullText: (p: Product) => tenantName(p.tenant_id), render: (p: Product) => tenantName(p.tenant_id) }]
      : []),
    { key: "category", header: "Category", width: "14%", render: (p) => p.category_key ?? <span className="products__none">—</span> },
    { key: "lagertyp", header: "Bearing type", width: "14%", render: (p) => p.lagertyp ?? <span className="products__none">—</span> },
    {
      key: "cad",
      header: "CAD file",
      width: "22%",
      render: (p) => <CadCell cadFileId={p.cad_file_id} file={p.cad_file ?? undefined} waitingFor={p.waiting_for_cad_file} />,
    },
  ];

  return (
    <>
      <PageHeader
        title="Products"
        description={`${overview ? "Every tenant's products" : "Your tenant's product list"}. Search by PIM id or name; click a row for its attributes.`}
        actions={
          canImport ? (
            <Link to="/products/import" className="ui-button ui-button--primary">
              Import from Excel
            </Link>
          ) : (
            canWrite && (
              <DisabledAction reason="Pick a tenant to import products">Import from Excel</DisabledAction>
            )
          )
        }
      />

      <div className="products__toolbar">
        <div className="products__search">
          <Input
            type="search"
            placeholder="Search by PIM id or name, e.g. 6204"
            aria-label="Search products"
            value={search.input}
            onChange={(event) => search.setInput(event.target.value)}
            maxLength={200}
          />
          {(search.pending || (products.isFetching && !products.isLoading)) && <Spinner />}
        </div>
        <span className="products__count" data-testid="products-count" aria-live="polite">
          {data ? countLabel(rows.length, total, !estimate) : ""}
        </span>
      </div>

      {products.isError ? (
        <Alert>The products could not be loaded: {errorMessage(products.error)}</Alert>
      ) : products.isLoading ? (
        <div className="products__loading">
          <Spinner /> Loading products…
        </div>
      ) : (
        <DataTable
          caption="Products"
          columns={columns}
          rows={rows}
          rowKey={(p) => p.id}
          onRowClick={setSelected}
          empty={
            search.term ? (
              <EmptyState title={`No product matches “${search.term}”`}>
                The search finds PIM ids and names starting with each word you type.
              </EmptyState>
            ) : (
              <EmptyState
                title="No products yet"
                action={
                  canImport ? (
                    <Link to="/products/import" className="ui-button ui-button--primary">
                      Import from Excel
                    </Link>
                  ) : undefined
                }
              >
                {canImport
                  ? "Import your product list from an Excel workbook (.xlsx) to get started."
                  : "A project manager of your team imports the product list."}
              </EmptyState>
            )
          }
        />
      )}

      {data && rows.length > 0 && (
        <LoadMore
          shown={rows.length}
          total={total}
          estimate={estimate}
          hasNext={products.hasNextPage}
          loading={products.isFetchingNextPage}
          onMore={() => void products.fetchNextPage()}
        />
      )}

      <ProductDrawer product={selected} onClose={close} />
    </>
  );
}
