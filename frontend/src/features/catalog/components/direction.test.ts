import { describe as describeCamera, normaliseAzimuth, sideView, topView, towardsCamera } from "./direction";

describe("camera direction preview", () => {
  it("puts the presets where the render host puts the camera", () => {
    expect(towardsCamera(0, 0)).toEqual([0, -1, 0]); // front: the camera at -Y
    expect(towardsCamera(90, 0)).toEqual([1, 0, 0]); // side: from the right
    expect(towardsCamera(0, 90)).toEqual([0, 0, 1]); // top
    const [x, y, z] = towardsCamera(45, 35.264); // iso: equally far along every axis
    expect(x).toBeCloseTo(0.57735, 4);
    expect(-y).toBeCloseTo(0.57735, 4);
    expect(z).toBeCloseTo(0.57735, 4);
  });

  it("draws the view from above with the front at the bottom and a high camera near the middle", () => {
    expect(topView(0, 0, 40)).toEqual({ x: 0, y: 40 });
    expect(topView(90, 0, 40)).toEqual({ x: 40, y: 0 });
    expect(topView(180, 0, 40)).toEqual({ x: 0, y: -40 });
    expect(topView(270, 0, 40)).toEqual({ x: -40, y: 0 });
    expect(topView(0, 90, 40)).toEqual({ x: 0, y: 0 });
    expect(topView(45, 60, 40).x).toBeCloseTo(40 * Math.cos(Math.PI / 3) * Math.SQRT1_2, 6);
  });

  it("draws the view from the side with up as negative SVG y", () => {
    expect(sideView(0, 30)).toEqual({ x: 30, y: 0 });
    expect(sideView(90, 30)).toEqual({ x: 0, y: -30 });
    expect(sideView(-45, 30).y).toBeCloseTo(30 * Math.SQRT1_2, 6);
  });

  it("normalises azimuths like the server and names the direction", () => {
    expect(normaliseAzimuth(-90)).toBe(270);
    expect(normaliseAzimuth(720)).toBe(0);
    expect(normaliseAzimuth(405)).toBe(45);
    expect(describeCamera(0, 0)).toEqual({ side: "front", height: "level" });
    expect(describeCamera(-45, 30)).toEqual({ side: "frontLeft", height: "above" });
    expect(describeCamera(180, 89)).toEqual({ side: "back", height: "top" });
    expect(describeCamera(100, -20)).toEqual({ side: "right", height: "below" });
  });
});
