import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, authHeader, toApiError } from "@/lib/api";
import { withTenant } from "@/lib/tenant-scope";
import type { Schemas } from "@/lib/api";
import { refreshTokens } from "@/lib/auth";

export type ImportRecord = Schemas["ProductImportRead"];

export interface UploadExcelInput {
  file: File;
  /** Header → field (or "ignore"); sent as the `mapping` form field. */
  mapping?: Record<string, string> | null;
}

const REFRESHABLE = new Set(["token_expired", "not_authenticated"]);

function send(input: UploadExcelInput, onProgress: (fraction: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append("file", input.file, input.file.name);
    if (input.mapping) form.append("mapping", JSON.stringify(input.mapping));
    const xhr = new XMLHttpRequest();
    xhr.open("POST", withTenant("/api/imports/excel")); // a global admin's picked tenant
    for (const [name, value] of Object.entries(authHeader())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = undefined;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new ApiError(0, "network_error", "Automat cannot be reached. Check your connection."));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "The upload was cancelled."));
    xhr.send(form);
  });
}

/**
 * POST /api/imports/excel with upload progress (XHR: fetch has no upload progress). An expired
 * session is refreshed once and the upload sent again. Errors are ApiErrors (422 bad_excel,
 * missing_columns with the header row found, invalid_mapping, 413 too large…).
 */
export async function uploadExcel(input: UploadExcelInput, onProgress: (fraction: number) => void = () => {}): Promise<ImportRecord> {
  let result = await send(input, onProgress);
  if (result.status === 401) {
    const error = toApiError(401, result.body);
    if (REFRESHABLE.has(error.code) && (await refreshTokens())) {
      onProgress(0);
      result = await send(input, onProgress);
    }
  }
  if (result.status < 200 || result.status >= 300) throw toApiError(result.status, result.body);
  onProgress(1);
  return result.body as ImportRecord;
}

/** The upload as a mutation, with its progress (0–1) for a ProgressBar. */
export function useUploadExcel() {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState(0);
  const mutation = useMutation({
    mutationFn: (input: UploadExcelInput) => {
      setProgress(0);
      return uploadExcel(input, setProgress);
    },
    onSuccess: (record) => {
      queryClient.setQueryData(["imports", record.id], record);
      void queryClient.invalidateQueries({ queryKey: ["imports", "list"] });
    },
  });
  return { ...mutation, progress };
}
