import { render, screen, within } from "@testing-library/react";
import { configToGraph } from "./graph";
import { placeProblems } from "./problems";
import type { RunOverlay } from "./run-status";
import { STEP_MAP, STILL_CONFIG } from "./test-steps";
import { WorkflowCanvas } from "./WorkflowCanvas";

// jsdom has no layout: xyflow needs these to mount (it measures nodes with them).
class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}

beforeAll(() => {
  globalThis.ResizeObserver ??= NoResize as unknown as typeof ResizeObserver;
  (globalThis as { DOMMatrixReadOnly?: unknown }).DOMMatrixReadOnly ??= class {
    m22 = 1;
  };
});

// The Still built-in with a camera position on its render node.
const CONFIG = {
  ...STILL_CONFIG,
  nodes: STILL_CONFIG.nodes.map((n) => (n.id === "render" ? { ...n, params: { position: "front" } } : n)),
};

// Nodes stay visibility: hidden until xyflow has measured them, which jsdom never does: role
// queries must include hidden elements.
describe("the workflow canvas", () => {
  it("shows each node's step label, id and set parameters", () => {
    render(<WorkflowCanvas graph={configToGraph(CONFIG)} steps={STEP_MAP} />);
    const render_ = screen.getByTestId("wf-node-render");
    expect(within(render_).getByText("Render still")).toBeInTheDocument();
    expect(within(render_).getByRole("tooltip", { hidden: true })).toHaveTextContent(/one camera position/);
    expect(within(render_).getByLabelText("Parameters")).toHaveTextContent("position front");
  });

  it("overlays a run's status and duration per node", () => {
    const run: RunOverlay = {
      check_cad: { status: "done", duration_s: 0.42 },
      render: { status: "failed", duration_s: 125, error: "Blender crashed" },
      deliver: { status: "skipped" },
    };
    render(<WorkflowCanvas graph={configToGraph(CONFIG)} steps={STEP_MAP} runStatus={run} />);
    const check = within(screen.getByTestId("wf-node-check_cad")).getByTestId("wf-run");
    expect(check).toHaveTextContent("Done");
    expect(check).toHaveTextContent("0.4 s");
    expect(screen.getByTestId("wf-node-render")).toHaveClass("wf-node--run-failed");
    expect(screen.getByTestId("wf-node-render")).toHaveTextContent("2 min 05 s");
    expect(screen.getByTestId("wf-node-render")).toHaveTextContent("Blender crashed");
    expect(within(screen.getByTestId("wf-node-deliver")).getByTestId("wf-run")).toHaveTextContent("Skipped");
  });

  it("shows the server's problems on the node they name", () => {
    const problems = placeProblems([{ code: "invalid_params", message: "Render still: width: too small.", node: "render", field: "width" }], CONFIG);
    render(<WorkflowCanvas graph={configToGraph(CONFIG)} steps={STEP_MAP} problems={problems} />);
    const node = screen.getByTestId("wf-node-render");
    expect(node).toHaveClass("wf-node--problem");
    expect(within(node).getByLabelText("Problems")).toHaveTextContent("width: too small");
    expect(screen.getByTestId("wf-node-check_cad")).not.toHaveClass("wf-node--problem");
  });
});
