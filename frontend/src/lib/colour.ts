/** Linear RGB(A) 0..1 (a material's base colour) → a CSS sRGB hex colour for a swatch. */
export function linearToCss(color: readonly number[]): string {
  const channel = (linear: number) => {
    const c = Math.min(1, Math.max(0, linear));
    const srgb = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
    return Math.round(srgb * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${color.slice(0, 3).map(channel).join("")}`;
}
