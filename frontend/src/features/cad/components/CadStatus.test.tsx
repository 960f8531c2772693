import { render, screen } from "@testing-library/react";
import { CadStatus } from "./CadStatus";
import { CadWarnings } from "./CadWarnings";
import type { CadWarning } from "./cad-warnings";
import { thumbnailNote, warningBadge } from "./cad-warnings";

const warning = (code: string, message: string, severity: "warning" | "info" = "warning"): CadWarning => ({
  code,
  message,
  severity,
  step: "extract_metadata",
  details: {},
});
const MALFORMED = warning("malformed_records", "1 record of 2180 in the file's DATA section is malformed.");
const MISSING = warning("products_without_geometry", "1 part described in the file produced no geometry: Outer_Ring.");
const BOM = warning("utf8_bom_stripped", "The file starts with a UTF-8 byte-order mark.", "info");

describe("the warnings badge of the CAD list", () => {
  it("counts warnings, not notes", () => {
    expect(warningBadge([MALFORMED, MISSING, BOM])).toBe("2 warnings");
    expect(warningBadge([MISSING])).toBe("1 warning");
    expect(warningBadge([BOM])).toBeNull();
    expect(warningBadge(undefined)).toBeNull();
  });

  it("shows on a ready file, with the messages as its title", () => {
    render(<CadStatus status="ready" warnings={[MALFORMED, MISSING, BOM]} />);
    const badge = screen.getByTestId("cad-warnings-badge");
    expect(badge).toHaveTextContent("2 warnings");
    expect(badge.title).toContain("Outer_Ring");
    expect(badge.title).not.toContain("byte-order mark");
  });

  it("does not show on a ready file without warnings, nor on one being processed again", () => {
    render(<CadStatus status="ready" warnings={[BOM]} />);
    render(<CadStatus status="processing" warnings={[MISSING]} />);
    expect(screen.queryByTestId("cad-warnings-badge")).not.toBeInTheDocument();
  });
});

describe("the thumbnail's state", () => {
  it("tells rendering from failed, with the reason", () => {
    expect(thumbnailNote({ state: "rendering", reason: null }, "ready")?.text).toBe("Rendering thumbnail…");
    expect(thumbnailNote({ state: "failed", reason: "input GLB not found" }, "ready")).toEqual({
      state: "failed",
      text: "Thumbnail failed: input GLB not found",
      failed: true,
    });
    expect(thumbnailNote({ state: "pending", reason: null }, "ready")?.text).toBe("Thumbnail queued");
  });

  it("says nothing while the file is processing, once the thumbnail is there, or when none will come", () => {
    expect(thumbnailNote({ state: "pending", reason: null }, "processing")).toBeNull();
    expect(thumbnailNote({ state: "ready", reason: null }, "ready")).toBeNull();
    expect(thumbnailNote(null, "failed")).toBeNull();
  });

  it("is shown under the status in the list", () => {
    render(<CadStatus status="ready" thumbnail={{ state: "failed", reason: "the render host crashed" }} />);
    const note = screen.getByTestId("cad-thumbnail-state");
    expect(note).toHaveAttribute("data-state", "failed");
    expect(note).toHaveTextContent("Thumbnail failed: the render host crashed");
  });
});

describe("CadWarnings on the detail page", () => {
  it("lists warnings in a warning alert and notes apart, each with its code", () => {
    render(<CadWarnings warnings={[MALFORMED, MISSING, BOM]} />);
    expect(screen.getByText(/Ready with 2 warnings/)).toBeInTheDocument();
    const items = screen.getAllByRole("listitem");
    expect(items.map((item) => item.dataset.code)).toEqual(["malformed_records", "products_without_geometry", "utf8_bom_stripped"]);
    const [problemsAlert, notesAlert] = screen.getAllByRole("status");
    expect(problemsAlert).toHaveClass("ui-alert--warning");
    expect(problemsAlert).not.toHaveTextContent("byte-order mark");
    expect(notesAlert).toHaveClass("ui-alert--info");
    expect(notesAlert).toHaveTextContent("byte-order mark");
  });

  it("renders nothing for a clean file", () => {
    const { container } = render(<CadWarnings warnings={[]} />);
    expect(container).toBeEmptyDOMElement();
  });
});
