import { dryRunVerdict, resolvedParams } from "./dry-run";

const node = (level: number, extra: Record<string, unknown> = {}) => ({
  node_id: `n${level}`,
  step: "render_still",
  label: "Render still",
  queue: "thumbnail_rendering",
  level,
  after: [],
  params: {},
  resolved_params: {},
  note: "",
  would_fail: false,
  ...extra,
});

describe("the dry run for people", () => {
  it("lists what a node would run with, marking what it sets itself", () => {
    const params = resolvedParams({
      params: { position: "side", width: null },
      resolved_params: { width: 64, position: "side", samples: 4, template: null, transparent_bg: false },
    });
    expect(params).toEqual([
      { key: "position", value: "side", own: true },
      { key: "samples", value: "4", own: false },
      { key: "transparent_bg", value: "no", own: false },
      { key: "width", value: "64", own: false },
    ]);
  });

  it("says whether a run would go through, or where it stops", () => {
    expect(dryRunVerdict({ nodes: [node(0), node(1), node(1)], problems: [] })).toEqual({
      ok: true,
      text: "Would run through: 3 nodes on 2 levels.",
    });
    expect(
      dryRunVerdict({
        nodes: [node(0, { would_fail: true }), node(1)],
        problems: ["check_cad: Product P-1 has no CAD file: the line would fail here.", "x: y"],
      }),
    ).toEqual({ ok: false, text: "Would stop at check_cad: Product P-1 has no CAD file: the line would fail here. (and 1 more)" });
  });
});
