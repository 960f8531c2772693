import { Alert, LoadMore, PageHeader, PageSpinner } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useTenantView } from "@/lib/session";
import { allItems, totalOf } from "@/lib/paging";
import { useCadFiles } from "../api/list-cad-files";
import { CadFilesTable } from "./CadFilesTable";
import { UploadPanel } from "./UploadPanel";
import { useCadLiveEvents } from "./use-cad-live-events";
import "./cad.css";

/** The tenant's STEP files: upload, watch them convert (live), open one. */
export function CadLibraryPage() {
  const files = useCadFiles();
  useCadLiveEvents();
  const { overview } = useTenantView(); // a global admin's "All tenants": uploading needs a tenant

  return (
    <>
      <PageHeader
        title="CAD library"
        description={`STEP files of ${overview ? "every tenant" : "your team"}. Each upload is converted, measured and given materials; open a file for its parts and a 3D view.`}
      />
      {overview ? (
        <Alert tone="info">Pick a tenant to upload: “All tenants” is a read-only overview of every tenant's files.</Alert>
      ) : (
        <UploadPanel />
      )}
      {files.isPending ? (
        <PageSpinner label="Loading CAD files" />
      ) : files.isError ? (
        <Alert>{errorMessage(files.error)}</Alert>
      ) : (
        <>
          <CadFilesTable files={allItems(files.data)} />
          <LoadMore
            shown={allItems(files.data).length}
            {...totalOf(files.data)}
            hasNext={files.hasNextPage}
            loading={files.isFetchingNextPage}
            onMore={() => void files.fetchNextPage()}
          />
        </>
      )}
    </>
  );
}
