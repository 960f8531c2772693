import { Link, getRouteApi, useNavigate } from "@tanstack/react-router";
import { Suspense, lazy, useState } from "react";
import type { ComponentType } from "react";
import { Alert, Button, Card, Dialog, EmptyState, PageHeader, PageSpinner, Spinner, toast, Truncate } from "@/components/ui";
import { ApiError, errorMessage } from "@/lib/api";
import { useCan } from "@/lib/session";
import { useCadGlb } from "../api/get-cad-blob";
import { useCadFile } from "../api/get-cad-file";
import type { CadFileRead } from "../api/get-cad-file";
import { useDeleteCadFile } from "../api/delete-cad-file";
import { isActive } from "../api/polling";
import { useReprocessCadFile } from "../api/reprocess-cad-file";
import { CadMetadata } from "./CadMetadata";
import { CadFailure } from "./CadFailure";
import { CadStatus } from "./CadStatus";
import { CadThumbnail } from "./CadThumbnail";
import { CadWarnings } from "./CadWarnings";
import { thumbnailNote } from "./cad-warnings";
import { JobSteps } from "./JobSteps";
import { MaterialTable } from "./MaterialTable";
import { AssignMaterialDialog } from "./AssignMaterialDialog";
import { readJobDocument } from "@/lib/job-document";
import { useCadLiveEvents } from "./use-cad-live-events";
import "./cad.css";
import { Trans, useTranslation } from "react-i18next";

const CadViewer = lazy(() => import("./CadViewer"));
const route = getRouteApi("/_app/cad/$cadId");

export interface CadDetailPageProps {
  /** Shown when deleting is asked for (src/app gives the products linked to the file). */
  deleteNotice?: ComponentType<{ cadFileId: string }>;
  /** The file's processing run, live on the workflow canvas (src/app gives the workflows' run view). */
  processingRun?: ComponentType<{ subjectId: string }>;
}

/** One CAD file: metadata, 3D view, parts and materials, processing steps; reprocess, delete. */
export function CadDetailPage({ deleteNotice, processingRun }: CadDetailPageProps = {}) {
  const { t } = useTranslation("cad");
  const { cadId } = route.useParams();
  const cad = useCadFile(cadId);
  useCadLiveEvents(cadId);

  if (cad.isPending) return <PageSpinner label={t("detail.loading")} />;
  if (cad.isError) {
    const missing = cad.error instanceof ApiError && (cad.error.status === 404 || cad.error.status === 422);
    return (
      <EmptyState
        title={missing ? t("detail.notFound") : t("detail.loadError")}
        action={<Link to="/cad">{t("detail.back")}</Link>}
      >
        {missing ? t("detail.gone") : errorMessage(cad.error)}
      </EmptyState>
    );
  }
  return <CadDetail cad={cad.data} deleteNotice={deleteNotice} ProcessingRun={processingRun} />;
}

function CadDetail({
  cad,
  deleteNotice,
  ProcessingRun,
}: {
  cad: CadFileRead;
  deleteNotice?: CadDetailPageProps["deleteNotice"];
  ProcessingRun?: CadDetailPageProps["processingRun"];
}) {
  const { t } = useTranslation("cad");
  const canManage = useCan("manage_cad_files");
  const canAssign = useCan("manage_materials");
  const [assigning, setAssigning] = useState<string | null>(null);
  const hasViewer = !!cad.glb.viewer;
  // A reprocess writes a new job document; its start date marks a new GLB.
  const version = readJobDocument(cad.job_document).created_at ?? cad.updated_at;
  const glb = useCadGlb(cad.id, version, hasViewer && cad.status === "ready");

  return (
    <>
      <div className="cad-breadcrumb">
        <Link to="/cad">{t("detail.breadcrumb")}</Link> / <Truncate text={cad.original_name} />
      </div>
      <PageHeader
        title={
          <span className="cad-title">
            <Truncate text={cad.original_name} /> <CadStatus status={cad.status} warnings={cad.warnings} />
          </span>
        }
        actions={canManage && <DetailActions cad={cad} DeleteNotice={deleteNotice} />}
      />
      {cad.status === "failed" && cad.error && (
        <Alert>
          <CadFailure error={cad.error} detail={cad.error_detail} />
        </Alert>
      )}
      {cad.status === "ready" && <CadWarnings warnings={cad.warnings} />}

      <div className="cad-detail">
        <Card title={t("detail.view")} flush className="cad-detail__viewer">
          {cad.status !== "ready" || !hasViewer ? (
            <div className="cad-viewer cad-viewer--placeholder">
              {isActive(cad.status) ? (
                <span>
                  <Spinner /> {t("detail.viewLater")}
                </span>
              ) : (
                <span>{t("detail.noView")}</span>
              )}
            </div>
          ) : glb.isError ? (
            <div className="cad-viewer cad-viewer--placeholder" role="alert">
              {errorMessage(glb.error)}
            </div>
          ) : !glb.data ? (
            <div className="cad-viewer cad-viewer--placeholder">
              <Spinner size="lg" label={t("detail.downloading")} />
            </div>
          ) : (
            <Suspense
              fallback={
                <div className="cad-viewer cad-viewer--placeholder">
                  <Spinner size="lg" label={t("detail.loadingViewer")} />
                </div>
              }
            >
              <CadViewer glb={glb.data} parts={cad.parts} />
            </Suspense>
          )}
        </Card>
        <Card title={t("detail.details")} className="cad-detail__meta">
          <div className="cad-detail__thumb">
            <CadThumbnail url={cad.thumbnail} version={cad.updated_at} size={128} status={cad.thumbnail_status} />
            <ThumbnailCaption cad={cad} />
          </div>
          <CadMetadata cad={cad} />
        </Card>
      </div>

      <Card title={t("detail.parts", { count: cad.parts.length })} flush className="cad-section">
        <MaterialTable
          parts={cad.parts}
          fix={
            canAssign
              ? (part) => (
                  <Button
                    size="sm"
                    className="cad-assign-button"
                    disabled={isActive(cad.status)}
                    title={isActive(cad.status) ? t("detail.busy") : undefined}
                    onClick={() => setAssigning(part.name)}
                  >
                    {t("detail.assign")}
                  </Button>
                )
              : undefined
          }
        />
      </Card>
      {assigning !== null && <AssignMaterialDialog cad={cad} part={assigning} onClose={() => setAssigning(null)} />}

      <Card title={t("detail.processing")} className="cad-section">
        {ProcessingRun ? (
          <>
            <ProcessingRun subjectId={cad.id} />
            {/* The job document's view of the same steps: the device and engine they ran on. */}
            <details className="cad-steps__details">
              <summary>{t("detail.stepDetails")}</summary>
              <JobSteps jobDocument={cad.job_document} />
            </details>
          </>
        ) : (
          <JobSteps jobDocument={cad.job_document} />
        )}
      </Card>
    </>
  );
}

/** Under the thumbnail: queued, rendering, or why it failed. */
function ThumbnailCaption({ cad }: { cad: CadFileRead }) {
  const note = thumbnailNote(cad.thumbnail_status, cad.status);
  if (!note) return null;
  return (
    <p
      className={note.failed ? "cad-thumb-caption cad-thumb-caption--failed" : "cad-thumb-caption"}
      data-testid="cad-thumbnail-state"
      data-state={note.state}
    >
      {note.text}
    </p>
  );
}

function DetailActions({ cad, DeleteNotice }: { cad: CadFileRead; DeleteNotice?: CadDetailPageProps["deleteNotice"] }) {
  const { t } = useTranslation("cad");
  const navigate = useNavigate();
  const reprocess = useReprocessCadFile();
  const remove = useDeleteCadFile();
  const [confirming, setConfirming] = useState(false);

  return (
    <>
      <Button
        loading={reprocess.isPending}
        disabled={isActive(cad.status)}
        title={isActive(cad.status) ? t("detail.busy") : t("detail.reprocessTitle")}
        onClick={() =>
          reprocess.mutate(cad.id, {
            onSuccess: () => toast({ title: t("detail.reprocessStarted"), message: cad.original_name, tone: "info" }),
            onError: (error) => toast({ title: t("detail.reprocessFailed"), message: errorMessage(error), tone: "danger" }),
          })
        }
      >
        {t("detail.reprocess")}
      </Button>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        {t("detail.delete")}
      </Button>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t("detail.deleteTitle")}
        footer={
          <>
            <Button variant="ghost" onClick={() => setConfirming(false)}>
              {t("detail.keep")}
            </Button>
            <Button
              variant="danger"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(cad.id, {
                  onSuccess: () => {
                    toast({ title: t("detail.deleted"), message: cad.original_name, tone: "success" });
                    void navigate({ to: "/cad" });
                  },
                  onError: (error) => {
                    setConfirming(false);
                    toast({ title: t("detail.deleteFailed"), message: errorMessage(error), tone: "danger" });
                  },
                })
              }
            >
              {t("detail.delete")}
            </Button>
          </>
        }
      >
        <p>
          <Trans t={t} i18nKey="detail.deleteBody" values={{ name: cad.original_name }} components={{ strong: <strong /> }} />
        </p>
        {confirming && DeleteNotice && <DeleteNotice cadFileId={cad.id} />}
      </Dialog>
    </>
  );
}
