import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Button, Dialog, EmptyState, Input, Spinner, StatusPill, Truncate } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { cadChoicesQueryOptions } from "../api/product";
import { cadChoices, cadChoicesQuery } from "./cad-picker";
import { useDebouncedValue } from "./search";

export interface CadPickerProps {
  open: boolean;
  onClose: () => void;
  /** The product's tenant: only its files are offered. */
  tenantId: string;
  /** The file linked now: not offered again. */
  linkedId: string | null;
  onPick: (cadFileId: string, name: string) => void;
  busy?: boolean;
}

/**
 * Choose a file of the CAD library: the server searches the whole library by name as you type;
 * ready files only unless asked for every state.
 */
export function CadPicker({ open, onClose, tenantId, linkedId, onPick, busy = false }: CadPickerProps) {
  const { t } = useTranslation("products");
  const [query, setQuery] = useState("");
  const [allStates, setAllStates] = useState(false);
  const typed = useDebouncedValue(query, 250);
  const files = useQuery({ ...cadChoicesQueryOptions(cadChoicesQuery(typed, { allStates, tenantId })), enabled: open });
  const { shown, more } = cadChoices(files.data?.items ?? [], linkedId);

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t("picker.title")}
      footer={
        <Button variant="ghost" onClick={onClose}>
          {t("picker.cancel")}
        </Button>
      }
    >
      <div className="cad-picker">
        <Input
          type="search"
          placeholder={t("picker.search")}
          aria-label={t("picker.searchLabel")}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          maxLength={200}
        />
        <label className="cad-picker__states">
          <input type="checkbox" checked={allStates} onChange={(event) => setAllStates(event.target.checked)} /> Show files
          that are processing or failed
        </label>
        {files.isError ? (
          <Alert>{t("picker.error", { error: errorMessage(files.error) })}</Alert>
        ) : files.isPending ? (
          <div className="products__loading">
            <Spinner /> Loading the CAD library…
          </div>
        ) : shown.length === 0 ? (
          <EmptyState title={query ? t("picker.noMatch", { query }) : t("picker.none")}>
            {allStates ? t("picker.uploadFirst") : t("picker.onlyReady")}
          </EmptyState>
        ) : (
          <ul className="cad-picker__list" aria-label={t("picker.list")}>
            {shown.map((file) => (
              <li key={file.id} className="cad-picker__item">
                <Truncate text={file.original_name} className="cad-picker__name" />
                <StatusPill status={file.status} />
                <Button size="sm" variant="primary" disabled={busy} onClick={() => onPick(file.id, file.original_name)} aria-label={t("picker.linkLabel", { name: file.original_name })}>
                  {t("picker.link")}
                </Button>
              </li>
            ))}
            {more && <li className="products__muted">{t("picker.more")}</li>}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
