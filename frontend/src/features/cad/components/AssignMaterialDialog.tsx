import { useMemo, useState } from "react";
import { Alert, Button, Dialog, Field, Select, Spinner, toast } from "@/components/ui";
import { HelpTooltip } from "@/components/help/HelpTooltip";
import { errorMessage } from "@/lib/api";
import type { CadFileRead } from "../api/get-cad-file";
import { useAliasPreview, useAssignMaterial, useMaterials } from "../api/assign-material";
import type { AliasCandidate } from "../api/assign-material";
import { linearToCss } from "@/lib/colour";
import { suggestPatterns } from "./suggest-patterns";
import { useTranslation } from "react-i18next";

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
  const { t } = useTranslation("cad");
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
            title: t("assign.assigned"),
            message: t("assign.assignedMessage", { pattern: candidate.pattern, material: candidate.material, count: result.reprocessed.length }),
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
      title={t("assign.title", { part })}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {t("common:cancel")}
          </Button>
          <Button disabled={!candidate || preview.isError} loading={assign.isPending} onClick={save}>
            {t("assign.save")}
          </Button>
        </>
      }
    >
      <div className="cad-assign" data-testid="assign-material">
        <div className="cad-assign__row">
          <Field
            label={t("assign.material")}
            hint={chosen?.description || t("assign.materialHint")}
          >
            <Select value={material} onChange={(event) => setMaterial(event.target.value)} disabled={materials.isPending}>
              <option value="">{t("assign.choose")}</option>
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
            {t("assign.appliesTo")} <HelpTooltip entry="action.assign_material.pattern" />
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
            <p className="cad-assign__hint">{t("assign.pickFirst")}</p>
          ) : preview.isPending ? (
            <Spinner label={t("assign.checking")} />
          ) : preview.isError ? (
            <Alert>{errorMessage(preview.error)}</Alert>
          ) : (
            <>
              <p data-testid="assign-preview-here">
                {t("assign.here", { count: changedHere.length })} <code>{candidate.material}</code>:{" "}
                {changedHere.map((r) => r.part).join(", ") || t("assign.none")}.
              </p>
              {otherTotal > 0 ? (
                <>
                  <p data-testid="assign-preview-others">
                    {t("assign.others", { count: otherTotal })}
                  </p>
                  <ul className="cad-assign__files">
                    {otherFiles.slice(0, 8).map((f) => (
                      <li key={f.id}>
                        {f.name} <span className="cad-assign__hint">({f.parts.join(", ")})</span>
                      </li>
                    ))}
                    {otherTotal > 8 && <li className="cad-assign__hint">{t("assign.more", { count: otherTotal - 8 })}</li>}
                  </ul>
                  <label className="cad-assign__pattern">
                    <input type="checkbox" checked={alsoOthers} onChange={(event) => setAlsoOthers(event.target.checked)} />
                    {otherFiles.length === 1 ? t("assign.alsoOne") : t("assign.alsoMany", { count: otherFiles.length })}
                  </label>
                </>
              ) : (
                <p className="cad-assign__hint" data-testid="assign-preview-others">
                  {t("assign.noOthers")}
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
