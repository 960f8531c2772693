import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ParamsForm } from "./ParamsForm";
import { formFields } from "./schema-form";
import { testStep } from "./test-steps";

const STILL = formFields(testStep("render_still").params_schema);

describe("the generated parameter form", () => {
  it("has a control per parameter: numbers with limits, selects for enums, a checkbox for booleans", () => {
    render(<ParamsForm fields={STILL} params={{}} onChange={() => {}} />);
    const width = screen.getByLabelText("Width");
    expect(width).toHaveAttribute("type", "number");
    expect(width).toHaveAttribute("min", "16");
    expect(width).toHaveAttribute("max", "8192");
    expect(width).toHaveAttribute("placeholder", "Default");
    expect(screen.getByText("Image width in pixels. A whole number from 16 to 8192. Default: the output type's setting")).toBeInTheDocument();
    expect(screen.getByLabelText("Engine")).toHaveDisplayValue("Default");
    expect([...(screen.getByLabelText("Format") as HTMLSelectElement).options].map((o) => o.value)).toEqual(["", "png", "jpeg", "webp"]);
    const denoise = screen.getByLabelText("Denoise") as HTMLInputElement;
    expect(denoise.type).toBe("checkbox");
    expect(denoise.indeterminate).toBe(true); // not set: the output type's setting applies
  });

  it("reports values that parse, refuses the rest with the limits, and resets to the default", async () => {
    const onChange = vi.fn();
    const { rerender } = render(<ParamsForm fields={STILL} params={{}} onChange={onChange} />);
    fireEvent.change(screen.getByLabelText("Width"), { target: { value: "8" } });
    expect(screen.getByText("Enter a whole number from 16 to 8192.")).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText("Width"), { target: { value: "1024" } });
    expect(onChange).toHaveBeenLastCalledWith("width", 1024);
    await userEvent.selectOptions(screen.getByLabelText("Engine"), "eevee");
    expect(onChange).toHaveBeenLastCalledWith("engine", "eevee");
    await userEvent.click(screen.getByLabelText("Denoise"));
    expect(onChange).toHaveBeenLastCalledWith("denoise", true);

    rerender(<ParamsForm fields={STILL} params={{ width: 1024, denoise: true }} onChange={onChange} />);
    expect(screen.getByLabelText("Width")).toHaveValue(1024);
    expect(screen.getAllByRole("button", { name: "Use default" })).toHaveLength(2);
    await userEvent.click(screen.getAllByRole("button", { name: "Use default" })[0]!);
    expect(onChange).toHaveBeenLastCalledWith("width", null);
  });

  it("follows an undo from outside and shows the server's problem on its field", () => {
    const { rerender } = render(<ParamsForm fields={STILL} params={{ position: "front" }} onChange={() => {}} />);
    expect(screen.getByLabelText("Position")).toHaveValue("front");
    rerender(<ParamsForm fields={STILL} params={{}} onChange={() => {}} errors={{ samples: "Render still: samples: too many." }} />);
    expect(screen.getByLabelText("Position")).toHaveValue("");
    expect(screen.getByLabelText("Samples")).toHaveAccessibleDescription("Render still: samples: too many.");
  });

  it("words the hint once, without doubled full stops", () => {
    const [deflection] = formFields({
      properties: {
        d: { anyOf: [{ type: "number", minimum: 0.001, maximum: 10 }, { type: "null" }], default: null, description: "Tessellation, in mm. (null: the tenant's setting)" },
      },
    });
    render(<ParamsForm fields={[deflection!]} params={{}} onChange={() => {}} />);
    expect(screen.getByText("Tessellation, in mm. A number from 0.001 to 10. Default: the tenant's setting")).toBeInTheDocument();
  });

  it("is read-only without onChange", () => {
    render(<ParamsForm fields={STILL} params={{ position: "iso" }} />);
    expect(screen.getByLabelText("Position")).toHaveAttribute("readonly");
    expect(screen.getByLabelText("Engine")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Use default" })).toBeNull();
  });
});
