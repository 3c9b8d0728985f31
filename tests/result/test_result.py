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


def test_sites_carry_their_capacity_limit_and_whether_it_binds():
    # one origin, 30 MW of batch; the cheap site West may take at most 12 MW
    scn = east_west(west={"it_capacity_max_mw": 12.0}, dc_capex_cny_per_mw=1e6, dc_lifetime_years=10,
                    discount_rate=0.0)
    res = siting.solve(scn)
    s = res.sites
    assert s.loc["West", "it_capacity_max_mw"] == 12.0
    assert s.loc["West", "it_capacity_mw"] == pytest.approx(12.0)
    assert bool(s.loc["West", "capacity_binds"]) and not bool(s.loc["East", "capacity_binds"])
    duals = res.duals.set_index("key")
    assert duals.loc["West", "value"] > 0 and duals.loc["East", "value"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("kw, method, words", [
    (dict(resolution="days", representative_days=2), "benders", "2 representative days, weather year 0"),
    (dict(resolution="average"), "direct", "1 average slice, weather year 0"),
])
def test_result_says_how_it_was_computed(tmp_path, kw, method, words):
    res = siting.solve(siting.Scenario.preset("east-only", **kw))
    assert res.method == method and res.resolution == words
    assert repr(res).endswith(f"; {words}, {method})")
    again = siting.Result.from_dir(res.to_dir(tmp_path / "r", maps=False))
    assert (again.method, again.resolution) == (method, words)
    import yaml

    meta = yaml.safe_load((tmp_path / "r" / "result.yaml").read_text(encoding="utf-8"))
    assert meta["resolution"] == words and meta["method"] == method


def test_cli_run_prints_the_resolution_and_method(tmp_path, capsys):
    from siting.cli import main

    assert main(["run", "--preset", "east-only", "--days", "2", "--no-maps", "-o", str(tmp_path / "r")]) == 0
    assert "(2 representative days, weather year 0, benders;" in capsys.readouterr().out
