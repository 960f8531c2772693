/**
 * Where a camera position puts the camera, for the small diagrams of the positions page. The same
 * convention as the render host (`automat/blender/camera.py`): azimuth 0 is in front of the product
 * (the camera at -Y looks along +Y), counter-clockwise seen from above (90: from the right, +X);
 * elevation is up from the ground plane (90: straight from above).
 */

/** Unit vector from the product towards the camera, in Blender's axes (Z up). */
export function towardsCamera(azimuthDeg: number, elevationDeg: number): [number, number, number] {
  const az = (azimuthDeg * Math.PI) / 180;
  const el = (elevationDeg * Math.PI) / 180;
  return [clean(Math.sin(az) * Math.cos(el)), clean(-Math.cos(az) * Math.cos(el)), clean(Math.sin(el))];
}

/** Any angle as the same direction in [0, 360), like the server stores it. */
export function normaliseAzimuth(degrees: number): number {
  const turned = ((degrees % 360) + 360) % 360;
  return turned >= 360 ? 0 : clean(turned);
}

export interface Point {
  x: number;
  y: number;
}

/**
 * The camera in the view from above, `radius` = the full distance: SVG coordinates around the
 * product at (0, 0), x to the right, y down (the front of the product is at the bottom). A camera
 * high above comes close to the middle.
 */
export function topView(azimuthDeg: number, elevationDeg: number, radius: number): Point {
  const [x, y] = towardsCamera(azimuthDeg, elevationDeg);
  return { x: clean(x * radius), y: clean(-y * radius) };
}

/** The camera in the view from the side: x = how far out it is, y up is negative (SVG). */
export function sideView(elevationDeg: number, radius: number): Point {
  const el = (elevationDeg * Math.PI) / 180;
  return { x: clean(Math.cos(el) * radius), y: clean(-Math.sin(el) * radius) };
}

/** A word for where the camera is, for the diagram's accessible name: "front right, above". */
export function describe(azimuthDeg: number, elevationDeg: number): { side: Side; height: Height } {
  const az = normaliseAzimuth(azimuthDeg);
  const sides: Side[] = ["front", "frontRight", "right", "backRight", "back", "backLeft", "left", "frontLeft"];
  const side = sides[Math.round(az / 45) % 8] ?? "front";
  const height: Height = elevationDeg >= 75 ? "top" : elevationDeg > 5 ? "above" : elevationDeg >= -5 ? "level" : "below";
  return { side, height };
}

export type Side = "front" | "frontRight" | "right" | "backRight" | "back" | "backLeft" | "left" | "frontLeft";
export type Height = "top" | "above" | "level" | "below";

/** Rounds away float noise (cos 90° = 6e-17) so diagrams and tests see clean numbers. */
function clean(value: number): number {
  const rounded = Math.round(value * 1e9) / 1e9;
  return rounded === 0 ? 0 : rounded;
}
