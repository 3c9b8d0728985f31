"""Result tables: duals against finite differences, pickling, result folders."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

import siting
from siting.errors import InputError
from siting.timeseries import HOURS_PER_YEAR

from conftest import east_west

H = HOURS_PER_YEAR


def test_demand_duals_match_finite_difference(edwc, edwc_result):
    duals = edwc_result.duals.set_index("key")
    key = "Shanghai/batch"
    step = 10.0
    dem = edwc.demand.copy()
    row = (dem["origin"] == "Shanghai") & (dem["workload"] == "batch")
    dem.loc[row, "it_mw"] += step
    more = siting.solve(edwc.replace(demand=dem))
    assert (more.objective_cny - edwc_result.objective_cny) / step == pytest.approx(duals.loc[key, "value"], rel=1e-3)


def test_result_is_picklable(edwc_result):
    again = pickle.loads(pickle.dumps(edwc_result))
    assert again.objective_cny == edwc_result.objective_cny
    pd.testing.assert_frame_equal(again.sites, edwc_result.sites)


def test_site_water_limit_has_a_shadow_price():
    # West saves 300 CNY/MWh and uses 1 m3/MWh: one more m3 at West is worth 300 CNY
    scn = east_west(west={"wue_l_per_kwh": 1.0, "water_m3_max": 10 * H}, water_limits=True)
    duals = siting.solve(scn).duals.set_index("key")
    assert duals.loc["water_m3_max_site:West", "value"] == pytest.approx(300.0, rel=1e-9)
    assert duals.loc["water_m3_max_site:West", "unit"] == "CNY per m3"


def test_to_dir_and_from_dir_round_trip(tmp_path, edwc_result):
    import geopandas as gpd
    import pyogrio

    out = edwc_result.to_dir(tmp_path / "r", maps=False)
    again = siting.Result.from_dir(out)
    assert again.status == edwc_result.status == "optimal"
    assert again.objective_cny == pytest.approx(edwc_result.objective_cny, rel=1e-12)
    pd.testing.assert_frame_equal(again.allocation, edwc_result.allocation, check_dtype=False)
    pd.testing.assert_series_equal(again.summary, edwc_result.summary, check_dtype=False)
    assert again.scenario.equals(edwc_result.scenario)
    layers = set(pyogrio.list_layers(out / "result.gpkg")[:, 0])
    assert layers == {"sites", "flows"}
    flows = gpd.read_file(out / "result.gpkg", layer="flows")
    assert len(flows) == len(edwc_result.allocation)
    assert flows.crs.to_epsg() == 4326
    with pytest.raises(InputError, match="not a result folder"):
        siting.Result.from_dir(tmp_path)
