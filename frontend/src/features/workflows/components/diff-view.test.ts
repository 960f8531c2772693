import { diffPicture, diffSummary } from "./diff-view";
import type { VersionDiff } from "./diff-view";

const V1 = {
  version: 1,
  nodes: [
    { id: "check_cad", step: "check_cad", step_version: 1, params: {} },
    { id: "render", step: "render_still", step_version: 1, params: {} },
    { id: "thumb", step: "render_thumbnail", step_version: 1, params: {} },
    { id: "deliver", step: "deliver", step_version: 1, params: {} },
  ],
  edges: [
    { from: "check_cad", to: "render" },
    { from: "check_cad", to: "thumb" },
    { from: "render", to: "deliver" },
  ],
};
const V2 = {
  version: 1,
  nodes: [
    { id: "check_cad", step: "check_cad", step_version: 1, params: {} },
    { id: "render", step: "render_still", step_version: 1, params: { position: "front" } },
    { id: "render_2", step: "render_still", step_version: 1, params: {} },
    { id: "deliver", step: "deliver", step_version: 1, params: {} },
  ],
  edges: [
    { from: "check_cad", to: "render" },
    { from: "render", to: "deliver" },
    { from: "check_cad", to: "render_2" },
    { from: "render_2", to: "deliver" },
  ],
};
const DIFF: VersionDiff = {
  from_version: 1,
  to_version: 2,
  nodes_added: [V2.nodes[2] as Record<string, unknown>],
  nodes_removed: [V1.nodes[2] as Record<string, unknown>],
  nodes_changed: [{ id: "render", params: { position: { before: null, after: "front" } } }],
  edges_added: [
    { from: "check_cad", to: "render_2" },
    { from: "render_2", to: "deliver" },
  ],
  edges_removed: [{ from: "check_cad", to: "thumb" }],
};

describe("the visual diff of two versions", () => {
  const picture = diffPicture(V1, V2, DIFF);

  it("shows the newer version plus what the older had, each marked", () => {
    expect(picture.graph.nodes.map((n) => n.id)).toEqual(["check_cad", "render", "render_2", "deliver", "thumb"]);
    expect(Object.fromEntries(picture.marks.nodes)).toEqual({ render_2: "added", thumb: "removed", render: "changed" });
    expect(Object.fromEntries(picture.marks.edges)).toEqual({
      "check_cad->render_2": "added",
      "render_2->deliver": "added",
      "check_cad->thumb": "removed",
    });
    expect(picture.graph.edges).toHaveLength(5);
  });

  it("keeps each changed parameter's value before and after", () => {
    expect(picture.marks.changes.get("render")).toEqual({ position: { before: null, after: "front" } });
  });

  it("lays the removed node out with the rest (right of its parent)", () => {
    const thumb = picture.graph.nodes.find((n) => n.id === "thumb");
    const check = picture.graph.nodes.find((n) => n.id === "check_cad");
    expect(thumb!.position.x).toBeGreaterThan(check!.position.x);
  });

  it("sums it up in words", () => {
    expect(diffSummary(DIFF)).toBe("1 node added, 1 node removed, 1 node changed, 2 edges added, 1 edge removed");
    expect(diffSummary({ ...DIFF, nodes_added: [], nodes_removed: [], nodes_changed: [], edges_added: [], edges_removed: [] })).toBe(
      "nothing changed",
    );
  });
});
