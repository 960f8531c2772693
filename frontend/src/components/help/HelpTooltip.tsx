import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useHelpEntry } from "@/lib/help";
import type { HelpEntry } from "@/lib/help";
import "./help.css";

export interface HelpTooltipProps {
  /** A key of the help registry: `setting.max_upload_mb`, `wizard.output_types`, … */
  entry: string;
}

/**
 * A "?" button beside a label that shows the registry's help for it: what it does, what it
 * affects, its range, advice and warnings. Keyboard focusable; it opens on hover, focus or click,
 * Escape closes it, and screen readers get the title as the button's name and the text as its
 * description. The text is in the UI's language: switching it loads the other language's help.
 */
export function HelpTooltip({ entry }: HelpTooltipProps) {
  const { t } = useTranslation("common");
  const help = useHelpEntry(entry);
  const [open, setOpen] = useState(false);
  const tipId = useId();
  const root = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        setOpen(false);
      }
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <span
      ref={root}
      className="help-tip"
      data-help-key={entry}
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
    >
      <button
        type="button"
        className="help-tip__button"
        aria-label={t("help.button", { title: help?.title ?? entry })}
        aria-describedby={open ? tipId : undefined}
        aria-expanded={open}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onClick={(event) => {
          event.preventDefault();
          setOpen((value) => !value);
        }}
      >
        ?
      </button>
      {open && (
        <span role="tooltip" id={tipId} className="help-tip__panel">
          {help ? <HelpText help={help} /> : t("help.loading")}
        </span>
      )}
    </span>
  );
}

function HelpText({ help }: { help: HelpEntry }) {
  const { t } = useTranslation("common");
  const unit = help.unit ? ` ${help.unit}` : "";
  const facts = [
    help.range && t("help.range", { value: `${help.range}${unit}` }),
    help.default && t("help.default", { value: `${help.default}${unit}` }),
  ].filter(Boolean);
  return (
    <>
      <strong className="help-tip__title">{help.title}</strong>
      <span className="help-tip__body">{help.body}</span>
      {help.affects && help.affects.length > 0 && (
        <span className="help-tip__line">{t("help.affects", { list: help.affects.join(", ") })}</span>
      )}
      {facts.length > 0 && <span className="help-tip__line">{facts.join(" · ")}</span>}
      {help.recommendation && <span className="help-tip__line">{t("help.tip", { text: help.recommendation })}</span>}
      {help.warning && (
        <span className="help-tip__line help-tip__warning">{t("help.careful", { text: help.warning })}</span>
      )}
    </>
  );
}
