import { useRouterState } from "@tanstack/react-router";
import { useEffect, useId, useRef, useState } from "react";

/**
 * A disclosure (a button that shows a panel): closed on navigation, on Escape (focus back to the
 * button, where `buttonRef` is on it) and on a click outside `root`. The header's Admin and
 * account menus and the notification bell use it.
 */
export function useDisclosure() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const path = useRouterState({ select: (state) => state.location.pathname });

  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return {
    open,
    root,
    path,
    buttonRef: button,
    close: () => setOpen(false),
    /** Spread on the button that opens and closes the panel. */
    toggleProps: {
      type: "button" as const,
      "aria-expanded": open,
      "aria-controls": panelId,
      onClick: () => setOpen((was) => !was),
    },
    /** Spread on the panel. */
    panelProps: { id: panelId, hidden: !open },
  };
}
