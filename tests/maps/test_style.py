"""Tests of siting.maps.style: the colour map of each quantity, flow colours, texts in both languages."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from siting.errors import InputError
from siting.maps import style


@pytest.mark.parametrize(
    "column, cmap",
    [
        ("emissions_t", "Reds"),
        ("grid_ef_t_co2_per_mwh", "Reds"),
        ("green_share", "Greens"),
        ("renewable_share", "Greens"),
        ("grid_renewable_share", "Greens"),
        ("electricity_price_cny_per_kwh", "cividis"),
        ("total_cny", "cividis"),
        ("carbon_cny", "cividis"),
        ("water_m3", "Blues"),
        ("water_stress", "Blues"),
        ("curtailed_mwh", "Oranges"),
        ("pue", "Purples"),
        ("it_capacity_mw", "YlGn"),
        ("energy_mwh", "YlGn"),
        ("population_million", style.DEFAULT_COLORMAP),
    ],
)
def test_colormap_of_each_quantity(column, cmap):
    assert style.colormap_of(column) == cmap
    assert style.as_colormap(None, column).name == cmap


def test_every_colormap_is_a_matplotlib_one_and_a_given_one_wins():
    from matplotlib import colormaps

    assert all(name in colormaps for name in [*style.COLORMAPS.values(), style.DEFAULT_COLORMAP])
    assert style.as_colormap("Greys", "emissions_t").name == "Greys"
    assert style.as_colormap(colormaps["magma"], "emissions_t").name == "magma"
    with pytest.raises(InputError, match="unknown colour map 'nope'; use a matplotlib colour map name such as"):
        style.as_colormap("nope", "emissions_t")


def test_workload_colours_are_far_apart():
    from matplotlib.colors import to_rgb

    colours = style.workload_colors(["interactive", "near_realtime", "batch", "other"])
    assert len(set(colours.values())) == 4
    for a, b in itertools.combinations(["interactive", "near_realtime", "batch"], 2):
        assert np.linalg.norm(np.subtract(to_rgb(colours[a]), to_rgb(colours[b]))) > 0.5, (a, b)


def test_labels_and_texts_in_both_languages():
    assert style.label("emissions_t") == ("Emissions [Mt CO2/yr]", 1e-6)
    assert style.label("emissions_t", "zh") == ("排放 [百万吨CO2/年]", 1e-6)
    assert style.label("mean_temp_c", "zh")[0] == "年平均气温 [°C]"
    assert style.label("demand_mw", "zh")[0] == "需求 [MW]"
    assert style.text("estimate", "zh") == "估计值"
    assert style.workload_label("near_realtime", "en") == "near realtime"
    assert style.workload_label("batch", "zh") == "批处理"
    assert style.workload_label("my_class", "zh") == "my class"

    def cjk(s: str) -> bool:
        return any(ord(c) >= 0x2E80 for c in s)

    assert all(cjk(zh) for key, (_en, zh) in style._LABELS.items() if key != "pue")
    assert all(cjk(zh) for _en, zh in style._TEXTS.values())
    assert style.unit_stem("grid_ef_t_co2_per_mwh") == "grid_ef" and style.unit_stem("water_stress") == "water_stress"
