import { Badge, Truncate } from "@/components/ui";
import { i18n } from "@/i18n";

/** "waiting for CAD file X": the product's import named a CAD file that is not uploaded (or not
 * ready) yet; it is linked as soon as a file of that name is ready. Nothing when it waits for none. */
export function WaitingForCad({ name }: { name: string | null | undefined }) {
  if (!name) return null;
  return (
    <Badge tone="progress" className="products__waiting" data-testid="waiting-for-cad" title={i18n.t("products:cad.waitingTitle", { name })}>
      <Truncate text={i18n.t("products:cad.waiting", { name })} />
    </Badge>
  );
}
