import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { i18n } from "@/i18n";
import { LoadMore } from "./LoadMore";

describe("LoadMore", () => {
  afterEach(() => act(() => void i18n.changeLanguage("en")));

  it("says how many of how many are shown and loads the next page", async () => {
    const onMore = vi.fn();
    render(<LoadMore shown={50} total={1204} hasNext loading={false} onMore={onMore} />);
    expect(screen.getByTestId("pager")).toHaveTextContent("Showing 50 of 1,204");
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(onMore).toHaveBeenCalledOnce();
  });

  it("says when the count is capped, and has no button on the last page", () => {
    render(<LoadMore shown={10000} total={10000} estimate hasNext={false} loading={false} onMore={() => {}} />);
    expect(screen.getByTestId("pager")).toHaveTextContent("Showing 10,000 of more than 10,000 · That is all.");
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("speaks German when the user does", async () => {
    await act(() => i18n.changeLanguage("de"));
    render(<LoadMore shown={50} total={1204} hasNext loading={false} onMore={() => {}} />);
    expect(screen.getByTestId("pager")).toHaveTextContent("50 von 1.204");
    expect(screen.getByRole("button", { name: "Mehr laden" })).toBeInTheDocument();
  });
});
