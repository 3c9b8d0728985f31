"""Tests of siting.maps.labels: site labels placed beside their markers."""

from __future__ import annotations

import numpy as np
import pytest

from siting.maps.labels import label_offsets, text_size_pt


def _box(xy, offset, ha, va, size):
    w, h = size
    x = xy[0] + offset[0] - {"left": 0, "center": w / 2, "right": w}[ha]
    y = xy[1] + offset[1] - {"bottom": 0, "center": h / 2, "top": h}[va]
    return np.array([x, y, x + w, y + h])


def _distance(box, centre) -> float:
    nearest = np.clip(centre, box[:2], box[2:])
    return float(np.hypot(*(nearest - centre)))


def test_labels_leave_their_own_and_other_markers_free():
    rng = np.random.default_rng(1)
    xy = rng.uniform(0, 300, size=(25, 2))
    radius = rng.uniform(2, 10, size=25)
    size = np.array([text_size_pt(f"site {i}", 6.5) for i in range(25)])
    placed = label_offsets(xy, radius, size, gap_pt=6.0)
    assert len(placed) == 25
    boxes = []
    for i, (offset, ha, va) in enumerate(placed):
        assert np.hypot(*offset) == pytest.approx(radius[i] + 6.0)  # anchored off the marker
        box = _box(xy[i], offset, ha, va, size[i])
        assert _distance(box, xy[i]) >= radius[i] + 6.0 - 1e-9  # the text never covers its own marker
        boxes.append(box)
    # with room around them, most labels clear every other marker
    clear = [all(_distance(b, xy[j]) >= radius[j] for j in range(25)) for b in boxes]
    assert np.mean(clear) > 0.8


def test_a_crowded_label_moves_to_a_free_side():
    # a second marker right of the first, at the height of its preferred (upper right) label
    xy = np.array([[0.0, 0.0], [20.0, 12.0]])
    radius = np.array([5.0, 5.0])
    size = np.array([[30.0, 8.0], [30.0, 8.0]])
    (offset, ha, _va), _ = label_offsets(xy, radius, size, gap_pt=4.0)
    assert offset[0] < 0 and ha == "right"  # upper left instead


def test_text_size_counts_chinese_as_wide():
    assert text_size_pt("北京", 10)[0] > text_size_pt("ab", 10)[0]
