import { EmptyState, PageHeader } from "@/components/ui";

/** Placeholder of the foundation: the orders feature replaces it. */
export function OrdersPage() {
  return (
    <>
      <PageHeader title="Orders" />
      <EmptyState title="Coming here soon">Order renders here: pick products and output types, save a draft or submit, follow every line live on the board and download the finished media.</EmptyState>
    </>
  );
}
