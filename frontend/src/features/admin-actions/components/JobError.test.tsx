import { render, screen } from "@testing-library/react";
import { act } from "react";
import { i18n } from "@/i18n";
import { JobError } from "./AdminActionsPage";

const STALLED = {
  error: "stalled: no progress for 12 min — the worker was probably lost; start it again",
  progress: { stalled: { minutes: 12, heartbeat_at: "2026-12-03T10:00:00+00:00" } },
};

describe("JobError", () => {
  afterEach(() => act(() => void i18n.changeLanguage("en")));

  it("says a stalled job's worker was lost and what to do, in the UI's language", async () => {
    render(<JobError job={STALLED} />);
    expect(screen.getByTestId("job-stalled")).toHaveTextContent(
      "Stalled: no progress for 12 min — the worker was probably lost. Start the action again.",
    );
    await act(() => i18n.changeLanguage("de"));
    expect(screen.getByTestId("job-stalled")).toHaveTextContent("12 min lang kein Fortschritt");
  });

  it("shows the server's words for other failures, and nothing without an error", () => {
    const { rerender } = render(<JobError job={{ error: "abc: the file is no longer ready", progress: {} }} />);
    expect(screen.getByText("abc: the file is no longer ready")).toBeInTheDocument();
    expect(screen.queryByTestId("job-stalled")).not.toBeInTheDocument();
    rerender(<JobError job={{ error: null, progress: {} }} />);
    expect(screen.queryByText(/./)).not.toBeInTheDocument();
  });
});
