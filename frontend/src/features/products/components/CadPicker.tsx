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
  const [query, setQuery] = useState("");
  const [allStates, setAllStates] = useState(false);
  const typed = useDebouncedValue(query, 250);
  const files = useQuery({ ...cadChoicesQueryOptions(cadChoicesQuery(typed, { allStates, tenantId })), enabled: open });
  const { shown, more } = cadChoices(files.data?.items ?? [], linkedId);

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Link a CAD file"
      footer={
        <Button variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      }
    >
      <div className="cad-picker">
        <Input
          type="search"
          placeholder="Search the CAD library by file name"
          aria-label="Search CAD files"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          maxLength={200}
        />
        <label className="cad-picker__states">
          <input type="checkbox" checked={allStates} onChange={(event) => setAllStates(event.target.checked)} /> Show files
          that are processing or failed
        </label>
        {files.isError ? (
          <Alert>The CAD library could not be loaded: {errorMessage(files.error)}</Alert>
        ) : files.isPending ? (
          <div className="products__loading">
            <Spinner /> Loading the CAD library…
          </div>
        ) : shown.length === 0 ? (
          <EmptyState title={query ? `No CAD file matches “${query}”` : "No CAD file to link"}>
            {allStates ? "Upload the STEP file in the CAD library first." : "Only ready files are shown; tick the box to see the others."}
          </EmptyState>
        ) : (
          <ul className="cad-picker__list" aria-label="CAD files">
            {shown.map((file) => (
              <li key={file.id} className="cad-picker__item">
                <Truncate text={file.original_name} className="cad-picker__name" />
                <StatusPill status={file.status} />
                <Button size="sm" variant="primary" disabled={busy} onClick={() => onPick(file.id, file.original_name)} aria-label={`Link ${file.original_name}`}>
                  Link
                </Button>
              </li>
            ))}
            {more && <li className="products__muted">More files match: type more of the name.</li>}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
