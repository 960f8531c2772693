import type { ElementType, ReactNode } from "react";
import { cx } from "./cx";

export interface TruncateProps {
  /** The full text: shown on hover (title) and read in full by screen readers. */
  text: string;
  /** What to show, when not just the text (a link, …); it is cut the same way. */
  children?: ReactNode;
  /** The element to render (default span). */
  as?: ElementType;
  className?: string;
  /** Up to this many lines before the ellipsis (default 1). */
  lines?: 1 | 2 | 3;
}

/**
 * Text that may be long (a product name, a title, a file name): cut with an ellipsis where its box
 * ends, the full text on hover (title) and, for a focused link or button inside, shown in full.
 * It never widens its container, so a long name cannot push a page sideways.
 */
export function Truncate({ text, children, as: Tag = "span", className, lines = 1 }: TruncateProps) {
  return (
    <Tag className={cx("ui-truncate", lines > 1 && `ui-truncate--${lines}`, className)} title={text}>
      {children ?? text}
    </Tag>
  );
}
