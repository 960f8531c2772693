import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import type { DragEvent } from "react";
import { Button, ProgressBar, cx } from "@/components/ui";
import { formatBytes } from "./format";
import { allItems } from "@/lib/paging";
import { useCadFiles } from "../api/list-cad-files";
import { afterUploadNote, itemFraction, queueSummary } from "./upload-queue";
import type { UploadItem, UploadedFile } from "./upload-queue";
import { uploadStore, useUploads } from "./upload-store";
import { useTranslation } from "react-i18next";

const ACCEPT = ".stp,.step,.STP,.STEP,model/step,application/step";

/** Pick or drop STEP files; each one gets a row with its progress and, if it fails, the reason. */
export function UploadPanel() {
  const { t } = useTranslation("cad");
  const queryClient = useQueryClient();
  const items = useUploads();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  useEffect(() => uploadStore.attach(queryClient), [queryClient]);

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    uploadStore.add(Array.from(event.dataTransfer.files));
  };
  const summary = queueSummary(items);
  // The library's list (polled while files move): each finished upload follows its file's state.
  const list = useCadFiles();
  const files = new Map(allItems(list.data).map((file) => [file.id, file]));

  return (
    <section className="cad-upload" aria-label={t("upload.label")}>
      <div
        className={cx("cad-dropzone", dragging && "cad-dropzone--over")}
        data-testid="cad-dropzone"
        onDragEnter={(event) => {
          event.preventDefault();
          depth.current++;
          setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={() => {
          depth.current = Math.max(0, depth.current - 1);
          if (depth.current === 0) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <div className="cad-dropzone__text">
          <strong>{t("upload.drop")}</strong>
          <span>{t("upload.or")}</span>
        </div>
        <Button variant="primary" onClick={() => input.current?.click()}>
          {t("upload.choose")}
        </Button>
        <span className="cad-dropzone__hint">{t("upload.hint")}</span>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          className="sr-only"
          aria-label={t("upload.input")}
          data-testid="cad-file-input"
          onChange={(event) => {
            uploadStore.add(Array.from(event.target.files ?? []));
            event.target.value = ""; // the same file can be picked again
          }}
        />
      </div>

      {items.length > 0 && (
        <div className="cad-queue">
          <div className="cad-queue__header">
            <span>
              {[
                summary.active > 0 && t("upload.uploading", { active: summary.active, total: items.length }),
                summary.done > 0 && t("upload.uploaded", { count: summary.done }),
                summary.failed > 0 && t("upload.failed", { count: summary.failed }),
              ]
                .filter(Boolean)
                .join(" · ")}
            </span>
            {summary.active < items.length && (
              <Button variant="ghost" size="sm" onClick={uploadStore.clearFinished}>
                {t("upload.clearFinished")}
              </Button>
            )}
          </div>
          <ul className="cad-queue__list">
            {items.map((item) => (
              <UploadRow key={item.id} item={item} file={item.cadId ? files.get(item.cadId) : undefined} />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function UploadRow({ item, file }: { item: UploadItem; file: UploadedFile | undefined }) {
  const { t } = useTranslation("cad");
  const label = `${item.name} · ${formatBytes(item.size)}`;
  const note = item.state === "done" ? afterUploadNote(item.duplicate ?? false, file) : null;
  return (
    <li className="cad-queue__item" data-testid="cad-upload-item" data-state={item.state}>
      <div className="cad-queue__progress">
        {item.state === "failed" ? (
          <>
            <ProgressBar value={itemFraction(item)} label={label} tone="danger" showValue={false} />
            <div className="cad-queue__error" role="alert">
              {item.error}
            </div>
          </>
        ) : (
          <ProgressBar
            value={itemFraction(item)}
            label={label}
            tone={item.state === "done" ? "success" : "default"}
            showValue={item.state !== "done"}
          />
        )}
        {item.state === "queued" && <div className="cad-queue__note">{t("upload.waiting")}</div>}
        {item.state === "done" && item.cadId && (
          <div className={cx("cad-queue__note", `cad-queue__note--${note?.tone ?? "default"}`)} data-testid="cad-upload-note">
            {note?.text}{" "}
            <Link to="/cad/$cadId" params={{ cadId: item.cadId }}>
              {t("upload.open")}
            </Link>
          </div>
        )}
      </div>
      <div className="cad-queue__actions">
        {item.state === "failed" && (
          <Button size="sm" onClick={() => uploadStore.retry(item.id)}>
            {t("upload.retry")}
          </Button>
        )}
        {item.state !== "uploading" && item.state !== "queued" && (
          <Button variant="ghost" size="sm" aria-label={t("upload.dismiss", { name: item.name })} onClick={() => uploadStore.dismiss(item.id)}>
            ×
          </Button>
        )}
      </div>
    </li>
  );
}
