import { Alert, LoadMore, PageHeader, PageSpinner } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { useTenantView } from "@/lib/session";
import { allItems, totalOf } from "@/lib/paging";
import { useCadFiles } from "../api/list-cad-files";
import { CadFilesTable } from "./CadFilesTable";
import { UploadPanel } from "./UploadPanel";
import { useCadLiveEvents } from "./use-cad-live-events";
import "./cad.css";
import { useTranslation } from "react-i18next";

/** The tenant's STEP files: upload, watch them convert (live), open one. */
export function CadLibraryPage() {
  const { t } = useTranslation("cad");
  const files = useCadFiles();
  useCadLiveEvents();
  const { overview } = useTenantView(); // a global admin's "All tenants": uploading needs a tenant

  return (
    <>
      <PageHeader
        title={t("library.title")}
        description={overview ? t("library.descriptionAll") : t("library.descriptionOwn")}
      />
      {overview ? (
        <Alert tone="info">{t("library.pickTenant")}</Alert>
      ) : (
        <UploadPanel />
      )}
      {files.isPending ? (
        <PageSpinner label={t("library.loading")} />
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
