import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError } from "@/lib/api";
import { ImportError } from "./ImportError";

describe("ImportError", () => {
  it("says plainly that a file is not a workbook", () => {
    render(<ImportError error={new ApiError(422, "bad_excel", "The file is not an Excel workbook (.xlsx).")} retrying={false} onRetryWithMapping={vi.fn()} />);
    expect(screen.getByRole("alert")).toHaveTextContent("This file is not a readable Excel workbook");
    // The reason in the UI's words from the errors catalogue (lib/api errorMessage), not the server's.
    expect(screen.getByRole("alert")).toHaveTextContent("This is not a readable Excel workbook (.xlsx).");
  });

  it("shows the header row it found and uploads again with the columns picked", async () => {
    const retry = vi.fn();
    const error = new ApiError(422, "missing_columns", "No column for pim_id in the header row (Nr., Bezeichnung).", {
      missing: ["pim_id"],
      header: ["Nr.", "Bezeichnung"],
    });
    render(<ImportError error={error} retrying={false} onRetryWithMapping={retry} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Required columns are missing");
    const again = screen.getByRole("button", { name: "Upload again with this mapping" });
    expect(again).toBeDisabled();
    expect(screen.getByText("Still needed: PIM id")).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText("Field for column Nr."), "pim_id");
    expect(again).toBeEnabled();
    await userEvent.click(again);
    expect(retry).toHaveBeenCalledWith({ "Nr.": "pim_id" });
  });
});
