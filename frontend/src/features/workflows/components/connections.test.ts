import { connectionProblem, fits, likelyParent, reaches } from "./connections";
import type { ConnectionContext } from "./connections";
import { STEP_MAP, testStep } from "./test-steps";

const STEP_OF: Record<string, string> = {
  check: "check_cad",
  render: "render_still",
  render2: "render_still",
  glb: "export_glb",
  deliver: "deliver",
  deliver2: "deliver",
  upload: "upload_step",
};

const context = (edges: Array<[string, string]>): ConnectionContext => ({
  stepOf: (id) => STEP_OF[id],
  steps: STEP_MAP,
  edges: edges.map(([source, target]) => ({ source, target })),
});

describe("artifact types", () => {
  it("fit when the target consumes what the source produces, or anything", () => {
    expect(fits(testStep("check_cad"), testStep("render_still"))).toBe(true); // glb → glb
    expect(fits(testStep("render_still"), testStep("deliver"))).toBe(true); // image → any
    expect(fits(testStep("render_still"), testStep("export_glb"))).toBe(false); // image ↛ glb
    expect(fits(testStep("deliver"), testStep("check_cad"))).toBe(false); // media_asset ↛ product
  });
});

describe("connections refused while dragging", () => {
  const chain = context([
    ["check", "render"],
    ["render", "deliver"],
  ]);

  it("allow a fitting edge to a new node", () => {
    expect(connectionProblem(chain, "check", "render2")).toBeNull();
    expect(connectionProblem(chain, "render2", "deliver")).toBeNull();
  });

  it("refuse artifact types that do not fit, saying what each side takes and makes", () => {
    expect(connectionProblem(chain, "deliver", "check")).toBe("Check CAD file takes product, but Deliver media makes media_asset.");
    expect(connectionProblem(chain, "render", "glb")).toBe("Export GLB takes glb, but Render still makes image.");
  });

  it("refuse a cycle, a loop on one node, a repeated edge, and input into an entry-only step", () => {
    // deliver takes anything: only the cycle rule stops an edge back to a node before it
    const twoDeliveries = context([
      ["render", "deliver"],
      ["deliver", "deliver2"],
    ]);
    expect(connectionProblem(twoDeliveries, "deliver2", "deliver")).toBe("That would make a cycle: deliver already leads to deliver2.");
    expect(connectionProblem(twoDeliveries, "deliver2", "render")).toMatch(/takes glb/);
    expect(connectionProblem(context([["render", "deliver"]]), "deliver", "deliver2")).toBeNull();
    expect(connectionProblem(chain, "render", "render")).toBe("A node cannot feed itself.");
    expect(connectionProblem(chain, "check", "render")).toBe("These two nodes are connected already.");
    expect(connectionProblem(chain, "render", "upload")).toMatch(/takes no input/);
  });

  it("find paths through the graph", () => {
    const e = [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
    ];
    expect(reaches(e, "a", "c")).toBe(true);
    expect(reaches(e, "c", "a")).toBe(false);
  });
});

describe("where a node from the palette goes", () => {
  const nodes = [
    { id: "check", step: "check_cad", position: { x: 0 } },
    { id: "render", step: "render_still", position: { x: 270 } },
    { id: "deliver", step: "deliver", position: { x: 540 } },
  ];

  it("beside the right-most node whose output it takes", () => {
    expect(likelyParent(nodes, testStep("render_still"), STEP_MAP)).toBe("check"); // glb comes from the check only
    expect(likelyParent(nodes, testStep("deliver"), STEP_MAP)).toBe("deliver"); // takes anything: the end of the chain
    expect(likelyParent(nodes, testStep("check_cad"), STEP_MAP)).toBeNull();
  });
});
