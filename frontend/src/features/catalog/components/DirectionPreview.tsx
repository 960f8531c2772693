import { useTranslation } from "react-i18next";
import { describe, sideView, topView } from "./direction";

const SIZE = 84;
const R = 32;
const C = SIZE / 2;

/**
 * Where the camera of a position is: seen from above (the product's front at the bottom) and from
 * the side, the camera a dot with its line of sight to the product.
 */
export function DirectionPreview({ azimuth, elevation }: { azimuth: number; elevation: number }) {
  const { t } = useTranslation("catalog");
  const ok = Number.isFinite(azimuth) && Number.isFinite(elevation);
  const top = ok ? topView(azimuth, elevation, R) : { x: 0, y: R };
  const side = ok ? sideView(elevation, R) : { x: R, y: 0 };
  const where = ok ? describe(azimuth, elevation) : { side: "front" as const, height: "level" as const };
  const label = t("positions.preview.label", {
    side: t(`positions.side.${where.side}`),
    height: t(`positions.height.${where.height}`),
  });
  return (
    <span className="cat-direction" role="img" aria-label={label} data-testid="direction-preview" data-side={where.side} data-height={where.height}>
      <svg width={SIZE} height={SIZE} viewBox={`0 0 ${SIZE} ${SIZE}`} aria-hidden="true">
        <title>{t("positions.preview.top")}</title>
        <circle cx={C} cy={C} r={R} className="cat-direction__orbit" />
        <rect x={C - 7} y={C - 7} width={14} height={14} className="cat-direction__product" />
        <line x1={C - 7} y1={C + 7} x2={C + 7} y2={C + 7} className="cat-direction__front" />
        <line x1={C + top.x} y1={C + top.y} x2={C} y2={C} className="cat-direction__sight" />
        <circle cx={C + top.x} cy={C + top.y} r={5} className="cat-direction__camera" data-testid="camera-top" />
      </svg>
      <svg width={SIZE} height={SIZE} viewBox={`0 0 ${SIZE} ${SIZE}`} aria-hidden="true">
        <title>{t("positions.preview.side")}</title>
        <path d={`M ${C} ${C - R} A ${R} ${R} 0 0 1 ${C} ${C + R}`} className="cat-direction__orbit" />
        <line x1={8} y1={C + 7} x2={SIZE - 8} y2={C + 7} className="cat-direction__ground" />
        <rect x={C - 7} y={C - 7} width={14} height={14} className="cat-direction__product" />
        <line x1={C + side.x} y1={C + side.y} x2={C} y2={C} className="cat-direction__sight" />
        <circle cx={C + side.x} cy={C + side.y} r={5} className="cat-direction__camera" data-testid="camera-side" />
      </svg>
    </span>
  );
}
