"""Tests of siting.maps.values: which input values are estimates."""

from __future__ import annotations

import pandas as pd

from siting import datasets
from siting.maps.values import estimated


def test_estimates_from_the_status_or_source_column():
    prov = datasets.provinces()
    water = estimated("water_stress", None)
    assert water.dtype == bool and set(water.index) == set(prov.index)
    assert set(water[water].index) == set(prov.index[prov["water_stress_source"].str.startswith("estimate")])
    assert list(estimated("grid_ef_t_co2_per_mwh", None).pipe(lambda s: s[s].index)) == ["Tibet"]  # grid_ef_source
    assert not estimated("electricity_price_cny_per_kwh", None).any()  # status "derived: ..."
    assert not estimated("land_area_km2", None).any()  # no provenance column


def test_estimates_of_a_user_table_and_of_a_series():
    table = pd.DataFrame(
        {"price_cny_per_kwh": [0.5, 0.6, 0.7], "price_status": ["sourced", "Estimate (my guess)", None]},
        index=["Beijing", "Tianjin", "Hebei"],
    )
    assert estimated("price_cny_per_kwh", table).tolist() == [False, True, False]
    assert not estimated(pd.Series({"Beijing": 1.0}), None).any()
