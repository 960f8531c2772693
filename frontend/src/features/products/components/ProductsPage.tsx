import { EmptyState, PageHeader } from "@/components/ui";

/** Placeholder of the foundation: the products feature replaces it. */
export function ProductsPage() {
  return (
    <>
      <PageHeader title="Products" />
      <EmptyState title="Coming here soon">Search your products by name or PIM id and import product lists from Excel here; the import log shows every row.</EmptyState>
    </>
  );
}
