"""Helpers of the map tests: artists by gid, rendered pixels, a not-blank check."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.figure import Figure

from siting import datasets

PROVINCES = set(datasets.provinces().index)


def new_ax():
    return Figure(figsize=(8, 6)).add_subplot()


def by_gid(ax, prefix: str) -> dict[str, object]:
    """Artists of ``ax`` whose gid starts with ``prefix``, keyed by the rest."""
    artists = [*ax.patches, *ax.collections, *ax.texts]
    return {a.get_gid()[len(prefix) :]: a for a in artists if (a.get_gid() or "").startswith(prefix)}


def pixels(fig: Figure) -> np.ndarray:
    """RGB pixels [0..1] of the figure rendered to PNG."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    buf.seek(0)
    return matplotlib.image.imread(buf, format="png")[..., :3]


def assert_not_blank(rgb: np.ndarray, min_colours: int = 50) -> None:
    assert rgb.std() > 0.05, "image is (nearly) uniform"
    non_white = (rgb < 0.97).any(axis=-1).mean()
    assert non_white > 0.1, f"only {non_white:.0%} of the image is drawn"
    assert len(np.unique((rgb * 255).astype(np.uint8).reshape(-1, 3), axis=0)) >= min_colours
