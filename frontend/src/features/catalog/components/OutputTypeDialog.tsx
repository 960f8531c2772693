/**
 * Create or edit an output type with its render settings (the /output-types page opens it):
 * name, kind, price, render template, workflow, active; resolution, samples, engine, format,
 * transparent background, camera position, and frames and fps for turntables. Exports (GLB,
 * .blend) render nothing: they have a format only. Every field shows its help entry
 * (`output_type.*`, `output_type.render_settings.*`); the server's refusal is shown as it says it.
 */
import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Dialog, Input, Select } from "@/components/ui";
import { errorMessage } from "@/lib/api";
import { usePositions, useSaveOutputType, useSetOutputTypeActive, useTemplates } from "../api/catalog";
import type { OutputType, OutputTypeCreate } from "../api/catalog";
import { HelpField } from "./HelpField";
import "./catalog.css";

type Kind = OutputType["kind"];
const KINDS: Kind[] = ["thumbnail", "still", "turntable", "glb", "blend"];
export const FORMATS: Record<Kind, string[]> = {
  thumbnail: ["png", "jpeg", "webp"],
  still: ["png", "jpeg", "webp"],
  turntable: ["mp4", "webm"],
  glb: ["glb"],
  blend: ["blend"],
};
const RENDERED = new Set<Kind>(["thumbnail", "still", "turntable"]);

interface Draft {
  name: string;
  kind: Kind;
  price: string;
  template: string;
  workflow: string;
  active: boolean;
  width: string;
  height: string;
  samples: string;
  engine: string;
  format: string;
  transparent: boolean;
  position: string;
  frames: string;
  fps: string;
  denoise: boolean;
}

function draftOf(type: OutputType | null): Draft {
  const s = (type?.render_settings ?? {}) as Record<string, unknown>;
  const str = (value: unknown, fallback: string) => (value === null || value === undefined ? fallback : String(value));
  return {
    name: type?.name ?? "",
    kind: type?.kind ?? "still",
    price: str(type?.price, "0"),
    template: type?.template_id ?? "",
    workflow: type?.workflow_id ?? "",
    active: type?.is_active ?? true,
    width: str(s.width, "1024"),
    height: str(s.height, "1024"),
    samples: str(s.samples, ""),
    engine: str(s.engine, "cycles"),
    format: str(s.format, FORMATS[type?.kind ?? "still"][0]!),
    transparent: s.transparent_bg === undefined ? true : Boolean(s.transparent_bg),
    position: str(s.position, "iso"),
    frames: str(s.frames, "36"),
    fps: str(s.fps, "24"),
    denoise: Boolean(s.denoise),
  };
}

/** The request body: render settings for the kind (exports only their format). */
export function bodyOf(d: Draft): OutputTypeCreate {
  const rendered = RENDERED.has(d.kind);
  const settings: Record<string, unknown> = { format: d.format };
  if (rendered) {
    Object.assign(settings, {
      width: Number(d.width),
      height: Number(d.height),
      samples: d.samples.trim() ? Number(d.samples) : null,
      engine: d.engine,
      transparent_bg: d.transparent,
      position: d.position,
      denoise: d.denoise,
    });
    if (d.kind === "turntable") Object.assign(settings, { frames: Number(d.frames), fps: Number(d.fps) });
  }
  return {
    name: d.name.trim(),
    kind: d.kind,
    price: d.price.trim() || "0",
    render_settings: settings,
    template_id: d.template || null,
    workflow_id: d.workflow || null,
    is_active: d.active,
  };
}

/** A choice of the workflow select; value "" is the built-in of the kind. */
export interface WorkflowChoice {
  value: string;
  label: string;
}

/** The workflows an output type of `kind` can run (given by whoever composes the page). */
export type WorkflowChoices = (kind: Kind, workflowId: string | null) => WorkflowChoice[];

export interface OutputTypeDialogProps {
  /** null: a new output type. */
  type: OutputType | null;
  workflows: WorkflowChoices;
  onClose: () => void;
}

export function OutputTypeDialog({ type, workflows, onClose }: OutputTypeDialogProps) {
  const { t } = useTranslation("catalog");
  const [d, setD] = useState(() => draftOf(type));
  const templates = useTemplates();
  const positions = usePositions();
  const save = useSaveOutputType();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setD((old) => ({ ...old, [key]: value }));
  const rendered = RENDERED.has(d.kind);
  const linkable = (templates.data ?? []).filter((tpl) => (tpl.is_active && tpl.status !== "invalid") || tpl.id === type?.template_id);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: type?.id ?? null, body: bodyOf(d) }, { onSuccess: onClose });
  };

  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={type ? t("outputTypes.editTitle", { name: type.name }) : t("outputTypes.newTitle")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common:cancel")}
          </Button>
          <Button type="submit" form="output-type-form" loading={save.isPending} disabled={!d.name.trim()}>
            {t("common:save")}
          </Button>
        </>
      }
    >
      <form id="output-type-form" className="cat-form" onSubmit={submit} aria-label={t("outputTypes.form")}>
        <HelpField label={t("outputTypes.field.name")} help="output_type.name">
          <Input value={d.name} onChange={(e) => set("name", e.target.value)} maxLength={200} required />
        </HelpField>
        <HelpField label={t("outputTypes.field.kind")} help="output_type.kind">
          <Select
            value={d.kind}
            onChange={(e) => {
              const kind = e.target.value as Kind;
              setD((old) => ({ ...old, kind, format: FORMATS[kind].includes(old.format) ? old.format : FORMATS[kind][0]! }));
            }}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`outputTypes.kind.${k}`)}
              </option>
            ))}
          </Select>
        </HelpField>
        <HelpField label={t("outputTypes.field.price")} help="output_type.price">
          <Input type="number" min={0} step="0.01" value={d.price} onChange={(e) => set("price", e.target.value)} />
        </HelpField>
        <HelpField label={t("outputTypes.field.template")} help="output_type.template_id">
          <Select value={d.template} onChange={(e) => set("template", e.target.value)}>
            <option value="">{t("outputTypes.noTemplate")}</option>
            {linkable.map((tpl) => (
              <option key={tpl.id} value={tpl.id}>
                {tpl.name}
              </option>
            ))}
          </Select>
        </HelpField>
        <HelpField label={t("outputTypes.field.workflow")} help="output_type.workflow_id">
          <Select value={d.workflow} onChange={(e) => set("workflow", e.target.value)}>
            {workflows(d.kind, d.workflow || null).map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </Select>
        </HelpField>
        <HelpField label={t("outputTypes.field.active")} help="output_type.is_active">
          <input type="checkbox" checked={d.active} onChange={(e) => set("active", e.target.checked)} />
        </HelpField>
        <HelpField label={t("outputTypes.field.format")} help="output_type.render_settings.format">
          <Select value={d.format} onChange={(e) => set("format", e.target.value)}>
            {FORMATS[d.kind].map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </Select>
        </HelpField>
        {rendered && (
          <>
            <HelpField label={t("outputTypes.field.width")} help="output_type.render_settings.width">
              <Input type="number" min={16} max={8192} value={d.width} onChange={(e) => set("width", e.target.value)} required />
            </HelpField>
            <HelpField label={t("outputTypes.field.height")} help="output_type.render_settings.height">
              <Input type="number" min={16} max={8192} value={d.height} onChange={(e) => set("height", e.target.value)} required />
            </HelpField>
            <HelpField label={t("outputTypes.field.samples")} help="output_type.render_settings.samples">
              <Input type="number" min={1} max={4096} value={d.samples} placeholder={t("outputTypes.tenantDefault")} onChange={(e) => set("samples", e.target.value)} />
            </HelpField>
            <HelpField label={t("outputTypes.field.engine")} help="output_type.render_settings.engine">
              <Select value={d.engine} onChange={(e) => set("engine", e.target.value)}>
                <option value="cycles">Cycles</option>
                <option value="eevee">EEVEE</option>
              </Select>
            </HelpField>
            <HelpField label={t("outputTypes.field.position")} help="output_type.render_settings.position">
              <Select value={d.position} onChange={(e) => set("position", e.target.value)}>
                {(positions.data ?? [{ name: d.position }]).map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </Select>
            </HelpField>
            <HelpField label={t("outputTypes.field.transparent")} help="output_type.render_settings.transparent_bg">
              <input type="checkbox" checked={d.transparent} onChange={(e) => set("transparent", e.target.checked)} />
            </HelpField>
            <HelpField label={t("outputTypes.field.denoise")} help="output_type.render_settings.denoise">
              <input type="checkbox" checked={d.denoise} onChange={(e) => set("denoise", e.target.checked)} />
            </HelpField>
          </>
        )}
        {d.kind === "turntable" && (
          <>
            <HelpField label={t("outputTypes.field.frames")} help="output_type.render_settings.frames">
              <Input type="number" min={1} max={3600} value={d.frames} onChange={(e) => set("frames", e.target.value)} required />
            </HelpField>
            <HelpField label={t("outputTypes.field.fps")} help="output_type.render_settings.fps">
              <Input type="number" min={1} max={120} value={d.fps} onChange={(e) => set("fps", e.target.value)} required />
            </HelpField>
          </>
        )}
      </form>
      {save.isError && <Alert>{errorMessage(save.error)}</Alert>}
    </Dialog>
  );
}

/** "New output type": the button and its dialog. */
export function NewOutputTypeButton({ workflows }: { workflows: WorkflowChoices }) {
  const { t } = useTranslation("catalog");
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("outputTypes.new")}</Button>
      {open && <OutputTypeDialog type={null} workflows={workflows} onClose={() => setOpen(false)} />}
    </>
  );
}

/** A row's "Edit" (the dialog) and "Deactivate" / "Activate" (one PATCH of is_active). */
export function OutputTypeActions({ type, workflows }: { type: OutputType; workflows: WorkflowChoices }) {
  const { t } = useTranslation("catalog");
  const [open, setOpen] = useState(false);
  const save = useSetOutputTypeActive();
  const toggle = () => save.mutate({ id: type.id, active: !type.is_active });
  return (
    <span className="cat-form__actions">
      <Button size="sm" variant="secondary" onClick={() => setOpen(true)} aria-label={t("outputTypes.edit", { name: type.name })}>
        {t("common:edit")}
      </Button>
      <Button size="sm" variant="ghost" loading={save.isPending} onClick={toggle} aria-label={t(type.is_active ? "outputTypes.deactivate" : "outputTypes.activate", { name: type.name })}>
        {type.is_active ? t("outputTypes.deactivateShort") : t("outputTypes.activateShort")}
      </Button>
      {save.isError && <span role="alert" className="cat-warning">{errorMessage(save.error)}</span>}
      {open && <OutputTypeDialog type={type} workflows={workflows} onClose={() => setOpen(false)} />}
    </span>
  );
}
