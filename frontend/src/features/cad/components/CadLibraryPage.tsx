import { EmptyState, PageHeader } from "@/components/ui";

/** Placeholder of the foundation: the cad feature replaces it. */
export function CadLibraryPage() {
  return (
    <>
      <PageHeader title="CAD library" />
      <EmptyState title="Coming here soon">Upload STEP files (one or many, with a progress bar each), watch them convert, and open a part's metadata, material assignments and 3D view here.</EmptyState>
    </>
  );
}
