import { useEffect, useState } from "react";
import { ProgressBar } from "@/components/ui";
import { useLanguage } from "@/i18n/language";
import type { OrderLine } from "../api/get-order";
import { formatTimeLeft, progressLabel, queueLabel, secondsLeft } from "./line-progress";
import "./lightbox.css";

/** Re-renders every second while `active` (the time left counts down between events). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * Under a line's status: while it renders, what it is doing ("Frame 3 / 36") with a bar and the
 * time left; while it is queued, its place in the queue and why it waits.
 */
export function LineProgress({ line }: { line: Pick<OrderLine, "render_status" | "progress" | "queue"> }) {
  useLanguage(); // the labels below read the language themselves: render again when it changes
  const running = line.render_status === "running" && line.progress ? line.progress : null;
  const now = useNow(running !== null);
  if (running) {
    const left = formatTimeLeft(secondsLeft(running, now));
    return (
      <div className="line-progress" data-testid="line-progress" data-phase={running.phase}>
        <ProgressBar value={running.fraction ?? 0} label={progressLabel(running)} showValue={running.fraction !== null} />
        {left && (
          <div className="line-progress__eta muted" data-testid="line-eta">
            {left}
          </div>
        )}
      </div>
    );
  }
  if (line.render_status === "queued" && line.queue) {
    return (
      <div className="line-progress" data-testid="line-queue" data-reason={line.queue.reason}>
        <div className="line-progress__place">{queueLabel(line.queue)}</div>
        <div className="line-note">{line.queue.message}</div>
      </div>
    );
  }
  return null;
}
