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

const ACCEPT = ".stp,.step,.STP,.STEP,model/step,application/step";

/** Pick or drop STEP files; each one gets a row with its progress and, if it fails, the reason. */
export function UploadPanel() {
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
    <section className="cad-upload" aria-label="Upload STEP files">
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
          <strong>Drop STEP files here</strong>
          <span>or</span>
        </div>
        <Button variant="primary" onClick={() => input.current?.click()}>
          Choose files…
        </Button>
        <span className="cad-dropzone__hint">.stp / .step, one or many; the same file twice is kept once.</span>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          className="sr-only"
          aria-label="STEP files to upload"
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
                summary.active > 0 && `Uploading ${summary.active} of ${items.length}…`,
                summary.done > 0 && `${summary.done} uploaded`,
                summary.failed > 0 && `${summary.failed} failed`,
              ]
                .filter(Boolean)
                .join(" · ")}
            </span>
            {summary.active < items.length && (
              <Button variant="ghost" size="sm" onClick={uploadStore.clearFinished}>
                Clear finished
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
        {item.state === "queued" && <div className="cad-queue__note">Waiting…</div>}
        {item.state === "done" && item.cadId && (
          <div className={cx("cad-queue__note", `cad-queue__note--${note?.tone ?? "default"}`)} data-testid="cad-upload-note">
            {note?.text}{" "}
            <Link to="/cad/$cadId" params={{ cadId: item.cadId }}>
              Open
            </Link>
          </div>
        )}
      </div>
      <div className="cad-queue__actions">
        {item.state === "failed" && (
          <Button size="sm" onClick={() => uploadStore.retry(item.id)}>
            Retry
          </Button>
        )}
        {item.state !== "uploading" && item.state !== "queued" && (
          <Button variant="ghost" size="sm" aria-label={`Dismiss ${item.name}`} onClick={() => uploadStore.dismiss(item.id)}>
            ×
          </Button>
        )}
      </div>
    </li>
  );
}
