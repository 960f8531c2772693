import { Group, Mesh, Object3D } from "three";
import { fitDistance, partNodeOf } from "./viewer-scene";

describe("fitDistance", () => {
  it("puts a sphere fully in view with the margin", () => {
    // 90° vertical field of view, square view: sin(45°) → r / 0.7071
    expect(fitDistance(1, 90, 1, 1)).toBeCloseTo(Math.SQRT2, 5);
    expect(fitDistance(2, 90, 1, 1)).toBeCloseTo(2 * Math.SQRT2, 5);
  });
  it("backs off further in a narrow (portrait) view", () => {
    expect(fitDistance(1, 35, 0.5)).toBeGreaterThan(fitDistance(1, 35, 1));
    expect(fitDistance(1, 35, 2)).toBeCloseTo(fitDistance(1, 35, 1), 5); // vertical limits
  });
  it("survives a zero radius", () => {
    expect(fitDistance(0, 35, 1)).toBeGreaterThan(0);
  });
});

describe("partNodeOf", () => {
  it("finds the named node of a mesh, with the CAD name rather than the unique one", () => {
    const root = new Group();
    const assembly = new Object3D();
    assembly.userData.name = "Bearing_20x37x9";
    const ball = new Mesh();
    ball.name = "Ball_3";
    ball.userData.name = "Ball";
    assembly.add(ball);
    root.add(assembly);
    expect(partNodeOf(ball, root)).toEqual({ node: ball, name: "Ball" });
  });

  it("climbs from a primitive to its named node", () => {
    const root = new Group();
    const node = new Group();
    node.userData.name = "Outer_Ring";
    const primitive = new Mesh();
    node.add(primitive);
    root.add(node);
    expect(partNodeOf(primitive, root)?.node).toBe(node);
  });

  it("falls back to the object's own name, or nothing", () => {
    const root = new Group();
    const mesh = new Mesh();
    root.add(mesh);
    expect(partNodeOf(mesh, root)).toBeNull();
    mesh.name = "mesh_0";
    expect(partNodeOf(mesh, root)?.name).toBe("mesh_0");
  });
});
