import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { ValueInput, draftOf, valueOf } from "./ValueInput";
import type { ValueDraft, ValueKind } from "./ValueInput";

function Harness({ kind, initial, onValue, ...rest }: { kind: ValueKind; initial: unknown; onValue: (v: unknown) => void } & Record<string, unknown>) {
  const [draft, setDraft] = useState<ValueDraft>(draftOf(kind, initial));
  const input = (
    <ValueInput
      kind={kind}
      value={draft}
      onChange={(next) => {
        setDraft(next);
        onValue(valueOf(kind, next));
      }}
      {...rest}
    />
  );
  // Checkboxes carry their own labels (a label around them would name them all "Value").
  return kind === "multi" ? input : <label>Value{input}</label>;
}

describe("ValueInput", () => {
  it("is a number field with the limits, step and unit, and gives numbers back", async () => {
    const onValue = vi.fn();
    render(<Harness kind="int" initial={30} onValue={onValue} min={1} max={1440} step={1} unit="min" />);
    const input = screen.getByRole("spinbutton", { name: "Value" });
    expect(input).toHaveValue(30);
    expect(input).toHaveAttribute("min", "1");
    expect(input).toHaveAttribute("max", "1440");
    expect(screen.getByText("min")).toBeInTheDocument();
    await userEvent.clear(input);
    await userEvent.type(input, "45");
    expect(onValue).toHaveBeenLastCalledWith(45);
  });

  it("is a switch for booleans and checkboxes for a set, in the order of the choices", async () => {
    const onBool = vi.fn();
    render(<Harness kind="bool" initial={true} onValue={onBool} />);
    await userEvent.click(screen.getByRole("switch"));
    expect(onBool).toHaveBeenLastCalledWith(false);

    const onSet = vi.fn();
    const choices = [
      { value: "cycles", label: "Cycles" },
      { value: "eevee", label: "EEVEE" },
    ];
    render(<Harness kind="multi" initial={["eevee"]} onValue={onSet} choices={choices} />);
    await userEvent.click(screen.getByRole("checkbox", { name: "Cycles" }));
    expect(onSet).toHaveBeenLastCalledWith(["cycles", "eevee"]);
    await userEvent.click(screen.getByRole("checkbox", { name: "EEVEE" }));
    expect(onSet).toHaveBeenLastCalledWith(["cycles"]);
  });

  it("is a select for choices and passes text that is not a number on for the API to refuse", () => {
    render(<Harness kind="select" initial="cpu" onValue={() => {}} choices={["gpu", "cpu"].map((v) => ({ value: v, label: v }))} />);
    expect(screen.getByRole("combobox", { name: "Value" })).toHaveValue("cpu");
    expect(valueOf("float", "0,5")).toBe(0.5);
    expect(valueOf("int", "lots")).toBe("lots");
    expect(draftOf("int", null)).toBe("");
  });
});
