import { ApiError } from "@/lib/api";
import { placeProblems, problemCount, problemField, problemsOf } from "./problems";

const CONFIG = {
  version: 1,
  nodes: [
    { id: "check_cad", step: "check_cad", params: {} },
    { id: "render", step: "render_still", params: {} },
  ],
  edges: [
    { from: "check_cad", to: "render" },
    { from: "render", to: "check_cad" },
  ],
};

describe("server problems placed on what they name", () => {
  it("puts node problems on the node, edge problems on the edge by index, the rest on the workflow", () => {
    const placed = placeProblems(
      [
        { code: "invalid_params", message: "width too small", node: "render", field: "width" },
        { code: "artifact_mismatch", message: "does not fit", edge: 1 },
        { code: "no_entry_point", message: "nothing can start" },
        { code: "unknown_node", message: "gone", node: "ghost" },
      ],
      CONFIG,
    );
    expect(placed.nodes.get("render")?.map((p) => p.code)).toEqual(["invalid_params"]);
    expect(placed.edges.get("render->check_cad")?.map((p) => p.code)).toEqual(["artifact_mismatch"]);
    expect(placed.general.map((p) => p.code)).toEqual(["no_entry_point", "unknown_node"]);
    expect(problemCount(placed)).toBe(4);
  });

  it("names the parameter of a field problem", () => {
    expect(problemField({ code: "invalid_params", message: "", field: "width" })).toBe("width");
    expect(problemField({ code: "invalid_params", message: "", field: "tags.0" })).toBe("tags");
    expect(problemField({ code: "cycle", message: "" })).toBeNull();
  });

  it("reads the problems of a refused save", () => {
    const problems = [{ code: "cycle", message: "x", node: "a" }];
    expect(problemsOf(new ApiError(422, "workflow_invalid", "bad", { problems }))).toEqual(problems);
    expect(problemsOf(new ApiError(409, "builtin_workflow", "no"))).toBeNull();
    expect(problemsOf(new Error("x"))).toBeNull();
  });
});
