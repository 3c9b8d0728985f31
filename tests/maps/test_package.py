"""Tests of the siting.maps package: its public names, a light import, and
the maps of Result.to_dir."""

from __future__ import annotations

import subprocess
import sys

from siting import maps


def test_public_names():
    assert maps.__all__ == [
        "CRS", "COLORMAPS", "ROLE_COLORS", "WORKLOAD_COLORS", "plot", "plot_provinces", "compare", "save", "explore"
    ]
    assert all(hasattr(maps, name) for name in maps.__all__)


def test_result_to_dir_writes_maps(edwc, tmp_path):
    out = edwc.to_dir(tmp_path / "out")
    assert (out / "map.png").stat().st_size > 10_000
    assert "siting-province" in (out / "map.html").read_text(encoding="utf-8")


def test_import_stays_light():
    code = "import sys, siting, siting.maps; print(sorted(m for m in ('matplotlib', 'folium') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
