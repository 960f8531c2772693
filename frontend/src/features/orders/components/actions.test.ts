import { availableActions } from "./OrderActions";

const order = (status: string, allowed: string[], created_by = "creator") => ({ status, allowed_transitions: allowed, created_by });

describe("order actions by role and allowed transitions", () => {
  it("lets the creator submit and delete a draft, but not reject", () => {
    expect(availableActions(order("draft", ["submit"]), { id: "creator", canManage: false })).toEqual({
      submit: true,
      reject: false,
      resubmit: false,
      cancelRenders: false,
      delete: true,
      renderAgain: true,
    });
  });

  it("lets only the creator or a manager choose which finished lines of a draft render again", () => {
    const draft = order("draft", ["submit"]);
    expect(availableActions(draft, { id: "pm", canManage: true }).renderAgain).toBe(true);
    expect(availableActions(draft, { id: "someone", canManage: false }).renderAgain).toBe(false);
    expect(availableActions(order("rejected", ["resubmit"]), { id: "creator", canManage: false }).renderAgain).toBe(false);
  });

  it("lets a project manager reject and cancel a live order", () => {
    const live = order("processing", ["complete", "reject", "cancel"]);
    expect(availableActions(live, { id: "pm", canManage: true })).toMatchObject({ reject: true, cancelRenders: true, submit: false });
    expect(availableActions(live, { id: "creator", canManage: false })).toMatchObject({ reject: false, cancelRenders: false });
  });

  it("offers resubmit on a rejected order to its creator or a manager only", () => {
    const rejected = order("rejected", ["resubmit"]);
    expect(availableActions(rejected, { id: "creator", canManage: false }).resubmit).toBe(true);
    expect(availableActions(rejected, { id: "pm", canManage: true }).resubmit).toBe(true);
    expect(availableActions(rejected, { id: "someone", canManage: false }).resubmit).toBe(false);
  });

  it("offers nothing the order's transitions do not allow", () => {
    expect(Object.values(availableActions(order("completed", []), { id: "pm", canManage: true })).some(Boolean)).toBe(false);
  });
});
