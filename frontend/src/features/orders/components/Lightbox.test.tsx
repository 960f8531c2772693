import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { MediaSummary } from "../api/get-order";
import { MediaPreview, galleryItem } from "./MediaPreview";
import type { LightboxItem } from "./Lightbox";
import { wrapIndex } from "./Lightbox";

function asset(id: string, role = "main", contentType = "image/png"): MediaSummary {
  return {
    id,
    kind: "still",
    role,
    file_name: `${id}.png`,
    content_type: contentType,
    file_size: 1000,
    width: 64,
    height: 64,
    duration_s: null,
    download_url: `/api/media/assets/${id}/download`,
  };
}

const LINES: { title: string; media: MediaSummary[] }[] = [
  { title: "Bearing A · Still", media: [asset("a")] },
  { title: "Bearing B · Turntable", media: [asset("b-video", "main", "video/mp4"), asset("b", "poster")] },
  { title: "Bearing C · Still", media: [asset("c")] },
];

function renderOrder() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  // The pictures are "downloaded" already: the test is about moving between them.
  for (const id of ["a", "b", "c"]) client.setQueryData(["media", "blob", id], new Blob(["png"], { type: "image/png" }));
  globalThis.URL.createObjectURL ??= () => "blob:test";
  globalThis.URL.revokeObjectURL ??= () => undefined;
  const gallery = LINES.flatMap((line) => galleryItem(line.media, line.title) ?? []);
  render(
    <QueryClientProvider client={client}>
      <button type="button">before</button>
      {LINES.map((line) => (
        <MediaPreview key={line.title} media={line.media} name={line.title} gallery={gallery} />
      ))}
    </QueryClientProvider>,
  );
  return gallery;
}

describe("the preview lightbox", () => {
  it("opens large on the clicked picture and steps through the order's pictures with the arrow keys", async () => {
    const user = userEvent.setup();
    const gallery = renderOrder();
    expect(gallery.map((item: LightboxItem) => item.asset.id)).toEqual(["a", "b", "c"]); // the poster, not the video

    const opener = screen.getByRole("button", { name: "Open the poster of Bearing B · Turntable large" });
    await user.click(opener);
    const dialog = screen.getByRole("dialog", { name: /Bearing B · Turntable · 2 of 3/ });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(screen.getByRole("button", { name: /Play the turntable/ })).toBeInTheDocument();

    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("dialog", { name: /Bearing C · Still · 3 of 3/ })).toBeInTheDocument();
    expect(screen.getByTestId("lightbox-image")).toHaveAttribute("alt", "Bearing C · Still");
    await user.keyboard("{ArrowRight}"); // past the last: back to the first
    expect(screen.getByRole("dialog", { name: /Bearing A · Still · 1 of 3/ })).toBeInTheDocument();
    await user.keyboard("{ArrowLeft}");
    expect(screen.getByRole("dialog", { name: /3 of 3/ })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Previous image" }));
    expect(screen.getByRole("dialog", { name: /2 of 3/ })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Next image" }));
    expect(screen.getByRole("dialog", { name: /3 of 3/ })).toBeInTheDocument();

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(opener).toHaveFocus(); // focus returns to where it was
  });

  it("keeps Tab inside while open", async () => {
    const user = userEvent.setup();
    renderOrder();
    await user.click(screen.getByRole("button", { name: "Open the preview of Bearing A · Still large" }));
    const dialog = screen.getByRole("dialog");
    for (let i = 0; i < 8; i++) {
      await user.tab();
      expect(dialog).toContainElement(document.activeElement as HTMLElement);
    }
    for (let i = 0; i < 8; i++) {
      await user.tab({ shift: true });
      expect(dialog).toContainElement(document.activeElement as HTMLElement);
    }
    await user.click(screen.getByRole("button", { name: "Close the preview" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("wraps around both ends", () => {
    expect(wrapIndex(2, 1, 3)).toBe(0);
    expect(wrapIndex(0, -1, 3)).toBe(2);
    expect(wrapIndex(0, 1, 0)).toBe(0);
  });
});
