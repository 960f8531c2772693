/**
 * The upload queue as a store outside React: uploads go on while the user looks at another page
 * of the app, and come back into view with the library. Logging out cancels them.
 */
import type { QueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { errorMessage } from "@/lib/api";
import { authStore } from "@/lib/auth";
import { cadKeys } from "../api/keys";
import { uploadCadFile } from "../api/upload-cad-file";
import { nextToStart, uploadReducer } from "./upload-queue";
import type { UploadAction, UploadItem } from "./upload-queue";

let items: UploadItem[] = [];
let nextId = 1;
let queryClient: QueryClient | null = null;
const running = new Map<string, AbortController>();
const listeners = new Set<() => void>();

function dispatch(action: UploadAction) {
  items = uploadReducer(items, action);
  for (const listener of listeners) listener();
  if (action.type !== "progress") pump();
}

function pump() {
  for (const item of nextToStart(items)) {
    if (running.has(item.id)) continue;
    const controller = new AbortController();
    running.set(item.id, controller);
    dispatch({ type: "start", id: item.id });
    uploadCadFile(item.file, {
      signal: controller.signal,
      onProgress: (loaded) => dispatch({ type: "progress", id: item.id, loaded }),
    })
      .then(({ cad, created }) => {
        running.delete(item.id);
        void queryClient?.invalidateQueries({ queryKey: cadKeys.list() });
        void queryClient?.invalidateQueries({ queryKey: cadKeys.detail(cad.id) });
        dispatch({ type: "done", id: item.id, cadId: cad.id, duplicate: !created });
      })
      .catch((error: unknown) => {
        running.delete(item.id);
        if (!controller.signal.aborted) dispatch({ type: "fail", id: item.id, error: errorMessage(error) });
      });
  }
}

export const uploadStore = {
  get: (): UploadItem[] => items,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** The query cache to refresh when an upload lands (set by the library page). */
  attach(client: QueryClient) {
    queryClient = client;
  },
  add(files: File[]) {
    if (files.length === 0) return;
    dispatch({ type: "add", files, ids: files.map(() => `upload-${nextId++}`) });
  },
  retry: (id: string) => dispatch({ type: "retry", id }),
  dismiss: (id: string) => dispatch({ type: "dismiss", id }),
  clearFinished: () => dispatch({ type: "clearFinished" }),
  /** Stop every upload and forget the queue. */
  reset() {
    for (const controller of running.values()) controller.abort();
    running.clear();
    items = [];
    for (const listener of listeners) listener();
  },
};

export function useUploads(): UploadItem[] {
  return useSyncExternalStore(uploadStore.subscribe, uploadStore.get, uploadStore.get);
}

authStore.subscribe(() => {
  if (!authStore.isLoggedIn() && items.length > 0) uploadStore.reset();
});

if (typeof window !== "undefined") {
  window.addEventListener("beforeunload", (event) => {
    if (running.size > 0) event.preventDefault();
  });
}
