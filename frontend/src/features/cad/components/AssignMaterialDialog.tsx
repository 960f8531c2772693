import { useMemo, useState } from "react";
import { Alert, Button, Dialog, Field, Select, Spinner, toast } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { errorMessage } from "@/lib/api";
import type { CadFileRead } from "../api/get-cad-file";
import { useAliasPreview, useAssignMaterial, useMaterials } from "../api/assign-material";
import type { AliasCandidate } from "../api/assign-material";
import { linearToCss } from "@/lib/colour";
import { suggestPatterns } from "./suggest-patterns";

export interface AssignMaterialDialogProps {
  cad: CadFileRead;
  /** The unmatched part the user started from. */
  part: string;
  onClose: () => void;
}

/**
 * The fix for a magenta part: pick a material, choose the exact name or a pattern made from it,
 * see what else it would match (this file's parts, the tenant's other files), then save the alias
 * and process the file again so its thumbnail is rendered with the material.
 */
export function AssignMaterialDialog({ cad, part, onClose }: AssignMaterialDialogProps) {
  const suggestions = useMemo(() => suggestPatterns(part), [part]);
  const [material, setMaterial] = useState("");
  const [choice, setChoice] = useState(0);
  const [alsoOthers, setAlsoOthers] = useState(false);
  const materials = useMaterials(true);
  const assign = useAssignMaterial(cad.id);
  const partNames = useMemo(() => [...new Set(cad.parts.map((p) => p.name))], [cad.parts]);
  const picked = suggestions[choice] ?? suggestions[0];
  const candidate: AliasCandidate | null =
    material && picked ? { material, pattern: picked.pattern, kind: picked.kind, priority: 0 } : null;
  const preview = useAliasPreview(partNames, candidate);

  const changedHere = (preview.data?.results ?? []).filter((r) => r.before !== null && r.before !== r.material);
  const otherFiles = (preview.data?.impact?.files ?? []).filter((f) => f.id !== cad.id);
  const otherTotal = Math.max(0, (preview.data?.impact?.files_total ?? 0) - (preview.data?.impact?.files.some((f) => f.id === cad.id) ? 1 : 0));
  const chosen = materials.data?.find((m) => m.name === material);

  const save = () => {
    if (!candidate) return;
    assign.mutate(
      { ...candidate, also_reprocess: alsoOthers ? otherFiles.map((f) => f.id) : [] },
      {
        onSuccess: (result) => {
          toast({
            title: "Material assigned",
            message: `${candidate.pattern} → ${candidate.material}; re-rendering ${result.reprocessed.length} file(s).`,
            tone: "success",
          });
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      open
      onClose={onClose}
      wide
      title={<>Assign a material to “{part}”</>}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={!candidate || preview.isError} loading={assign.isPending} onClick={save}>
            Save and re-render
          </Button>
        </>
      }
    >
      <div className="cad-assign" data-testid="assign-material">
        <div className="cad-assign__row">
          <Field
            label={
              <>
                Material
              </>
            }
            hint={chosen?.description || "From the material library and this tenant's own materials."}
          >
            <Select value={material} onChange={(event) => setMaterial(event.target.value)} disabled={materials.isPending}>
              <option value="">Choose a material…</option>
              {(materials.data ?? []).map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name}
                </option>
              ))}
            </Select>
          </Field>
          <span
            className="cad-assign__swatch"
            data-testid="assign-swatch"
            aria-hidden="true"
            style={{ background: chosen ? linearToCss(chosen.base_color) : "transparent" }}
          />
          <span className="cad-assign__help">
            <HelpTooltip entry="action.assign_material.material" />
          </span>
        </div>
        {materials.isError && <Alert>{errorMessage(materials.error)}</Alert>}

        <fieldset className="cad-assign__patterns">
          <legend>
            Parts it applies to <HelpTooltip entry="action.assign_material.pattern" />
          </legend>
          {suggestions.map((s, index) => (
            <label key={`${s.kind}:${s.pattern}`} className="cad-assign__pattern">
              <input type="radio" name="assign-pattern" checked={choice === index} onChange={() => setChoice(index)} />
              <code>{s.pattern}</code> <span className="cad-assign__hint">{s.label}</span>
            </label>
          ))}
        </fieldset>

        <section className="cad-assign__preview" aria-live="polite" data-testid="assign-preview">
          {!candidate ? (
            <p className="cad-assign__hint">Choose a material to see which parts it would change.</p>
          ) : preview.isPending ? (
            <Spinner label="Checking what the alias would change" />
          ) : preview.isError ? (
            <Alert>{errorMessage(preview.error)}</Alert>
          ) : (
            <>
              <p data-testid="assign-preview-here">
                In this file, {changedHere.length} part name{changedHere.length === 1 ? "" : "s"} would get{" "}
                <code>{candidate.material}</code>: {changedHere.map((r) => r.part).join(", ") || "none"}.
              </p>
              {otherTotal > 0 ? (
                <>
                  <p data-testid="assign-preview-others">
                    It would also change {otherTotal} other file{otherTotal === 1 ? "" : "s"} of this tenant (once
                    processed again):
                  </p>
                  <ul className="cad-assign__files">
                    {otherFiles.slice(0, 8).map((f) => (
                      <li key={f.id}>
                        {f.name} <span className="cad-assign__hint">({f.parts.join(", ")})</span>
                      </li>
                    ))}
                    {otherTotal > 8 && <li className="cad-assign__hint">… and {otherTotal - 8} more</li>}
                  </ul>
                  <label className="cad-assign__pattern">
                    <input type="checkbox" checked={alsoOthers} onChange={(event) => setAlsoOthers(event.target.checked)} />
                    Re-render {otherFiles.length === 1 ? "that file" : `those ${otherFiles.length} files`} too
                  </label>
                </>
              ) : (
                <p className="cad-assign__hint" data-testid="assign-preview-others">
                  No other file of this tenant has a part it would change.
                </p>
              )}
            </>
          )}
        </section>
        {assign.isError && <Alert>{errorMessage(assign.error)}</Alert>}
      </div>
    </Dialog>
  );
}
