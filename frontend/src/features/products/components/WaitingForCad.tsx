import { useTranslation } from "react-i18next";
import { Badge, Truncate } from "@/components/ui";

/** "waiting for CAD file X": the product's import named a CAD file that is not uploaded (or not
 * ready) yet; it is linked as soon as a file of that name is ready. Nothing when it waits for none. */
export function WaitingForCad({ name }: { name: string | null | undefined }) {
  const { t } = useTranslation("products");
  if (!name) return null;
  return (
    <Badge tone="progress" className="products__waiting" data-testid="waiting-for-cad" title={t("cad.waitingTitle", { name })}>
      <Truncate text={t("cad.waiting", { name })} />
    </Badge>
  );
}
