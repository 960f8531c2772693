"""The floor's shadow from a small pass of its own looks like the shadow catcher's (real Blender)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from skimage.metrics import structural_similarity

from automat.rendering.host_client import RenderHost
from tests.blender.conftest import Model, completed, job, rgba

SIZE = 128


def over_white(pixels: np.ndarray) -> np.ndarray:
    alpha = pixels[..., 3:4] / 255.0
    return pixels[..., :3] * alpha + 255.0 * (1 - alpha)


def shadow_of(pixels: np.ndarray) -> np.ndarray:
    """Alpha of the pixels that are shadow: neither empty nor the (opaque) model."""
    alpha = pixels[..., 3].astype(np.float64)
    return np.where(alpha < 250, alpha, 0.0)


def test_the_shadow_pass_keeps_the_catchers_shadow(
    host: RenderHost, bearing: Model, library: Path, tmp_path: Path
) -> None:
    common = {
        "library_blend": str(library), "width": SIZE, "height": SIZE, "samples": 8, "denoise": True,
        "denoiser": "fast",
    }  # fmt: skip
    one = tmp_path / "catcher.png"
    completed(host.run(job(bearing, one, shadow_pass_px=None, **common)))
    two = tmp_path / "split.png"
    split = completed(host.run(job(bearing, two, shadow_pass_px=32, **common)))

    assert "shadow" in split.timings  # the shadow was its own pass
    assert not list(tmp_path.glob("_shadow_*"))  # and its image is gone
    a, b = rgba(one), rgba(two)
    assert (b[..., 3] >= 250).sum() > 0.15 * SIZE * SIZE  # the model, opaque
    assert (b[..., 3] == 0).any()  # on a transparent film
    sa, sb = shadow_of(a), shadow_of(b)
    assert sb.sum() > 0.6 * sa.sum()  # as much shadow …
    assert sb.sum() < 1.4 * sa.sum()
    ys, xs = np.indices(sa.shape)
    for coords in (xs, ys):  # … in the same place
        assert abs((coords * sa).sum() / sa.sum() - (coords * sb).sum() / sb.sum()) < 0.05 * SIZE
    assert structural_similarity(over_white(a), over_white(b), channel_axis=2, data_range=255.0) > 0.9


def test_an_opaque_jpeg_keeps_the_catcher_in_its_render(
    host: RenderHost, bearing: Model, library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "opaque.jpg"
    result = completed(host.run(job(bearing, out, library_blend=str(library), shadow_pass_px=32)))
    assert "shadow" not in result.timings
    assert out.stat().st_size > 0
