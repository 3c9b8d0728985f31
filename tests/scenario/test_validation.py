"""Validation: bad tables and parameters are refused before any model is built."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import siting
from siting.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def test_bad_tables_are_refused_before_building(edwc_avg):
    dem = edwc_avg.demand.copy()
    dem.loc[0, "it_mw"] = -1.0
    with pytest.raises(InputError, match=r"demand: row 0, column 'it_mw': -1 is negative"):
        edwc_avg.replace(demand=dem)
    dem = edwc_avg.demand.copy()
    dem.loc[0, "origin"] = "Taipei"
    with pytest.raises(InputError, match=r"demand: column 'origin' names unknown origin"):
        edwc_avg.replace(demand=dem)
    dem = edwc_avg.demand.copy()
    dem.loc[0, "workload"] = "gaming"
    with pytest.raises(InputError, match=r"unknown workload class 'gaming'"):
        edwc_avg.replace(demand=dem)
    sites = edwc_avg.sites.copy()
    sites.loc["Wuhu", "electricity_price_cny_per_kwh"] = np.nan
    with pytest.raises(InputError, match=r"sites: row 'Wuhu', column 'electricity_price_cny_per_kwh': missing value"):
        edwc_avg.replace(sites=sites)
    rtt = edwc_avg.rtt_ms.drop(columns="Wuhu")
    with pytest.raises(InputError, match=r"rtt_ms: no column for site 'Wuhu'"):
        edwc_avg.replace(rtt_ms=rtt)
    with pytest.raises(InputError, match="resolution was 'weekly'"):
        edwc_avg.replace(resolution="weekly")


def test_bad_parameters_are_refused_before_building(edwc_avg):
    # NaN/inf water limits reached PuLP ("Cannot set constraint RHS to NaN"), a
    # fractional day count was truncated, a text flag was truthy
    for value in (np.nan, np.inf, "lots"):
        with pytest.raises(InputError, match="parameter water_m3_max"):
            edwc_avg.replace(water_m3_max=value)
    for value in (2.7, "x", 0, True):
        with pytest.raises(InputError, match="representative_days must be a whole number"):
            edwc_avg.replace(representative_days=value)
    assert edwc_avg.replace(representative_days=np.int64(4)).representative_days == 4
    for flag in ("pue_caps", "water_limits", "grid_limits", "integer"):
        with pytest.raises(InputError, match=f"parameter {flag}: 'no' must be true or false"):
            edwc_avg.replace(**{flag: "no"})
    assert edwc_avg.replace(pue_caps=np.bool_(False)).pue_caps is False
    with pytest.raises(InputError, match="parameter carbon_price_cny_per_t: 'abc'"):
        edwc_avg.replace(carbon_price_cny_per_t="abc")
    with pytest.raises(InputError, match="parameter green_share_min"):
        edwc_avg.replace(green_share_min="half")


def test_an_empty_demand_table_is_refused_naming_what_it_could_not_test(edwc_avg):
    # used to solve "optimal" at cost 0, even with a 90 % green target; rows of 0 MW still solve (test_solve)
    with pytest.raises(InputError, match=r"^demand: the table has no rows; .*no policy \(green_share_min"):
        edwc_avg.replace(demand=edwc_avg.demand.iloc[:0])
    assert edwc_avg.replace(demand_scale=0.0).total_demand_mw == 0.0


@pytest.mark.parametrize(("flag", "column"), [("water_limits", "water_m3_max"), ("grid_limits", "grid_mw_max")])
def test_a_limit_switched_on_without_limits_is_refused(edwc_avg, flag, column):
    # used to have no effect, without a word
    with pytest.raises(InputError, match=rf"parameter {flag}: true, but no site has a value in column '{column}'"):
        edwc_avg.replace(**{flag: True})
    sites = edwc_avg.sites.assign(**{column: np.nan})
    with pytest.raises(InputError, match=rf"parameter {flag}: true"):
        edwc_avg.replace(sites=sites, **{flag: True})
    limited = sites.copy()
    limited.loc["Wuhu", column] = 1e12
    assert getattr(edwc_avg.replace(sites=limited, **{flag: True}), flag)


def test_a_name_must_be_a_text(edwc_avg):
    for name in (["a", "b"], "", None, 3):
        with pytest.raises(InputError, match="parameter name: .* must be a non-empty text"):
            edwc_avg.replace(name=name)


def test_a_text_in_an_rtt_file_is_named_by_line_and_column(tmp_path, edwc_avg):
    # used to be "could not convert string to float: 'x'"
    rtt = edwc_avg.rtt_ms.astype(object)
    rtt.loc["Hebei", "Wuhu"] = "x"
    rtt.to_csv(tmp_path / "rtt.csv")
    line = 2 + list(rtt.index).index("Hebei")
    with pytest.raises(InputError, match=rf"^rtt.csv: line {line}, column 'Wuhu': 'x' is not a number; "
                                         r"expected a round-trip time \[ms\] >= 0$"):
        siting.Scenario.from_data("mine", rtt_ms=tmp_path / "rtt.csv")
    rtt.loc["Hebei", "Wuhu"] = np.inf
    with pytest.raises(InputError, match=r"rtt_ms: row 'Hebei', column 'Wuhu': inf is infinite"):
        edwc_avg.replace(rtt_ms=rtt.astype(float))


def test_a_text_in_a_load_profile_is_refused(edwc_avg):
    loads = edwc_avg.load_profiles.astype(object)
    loads.iloc[3, 0] = "busy"
    with pytest.raises(InputError, match=r"load_profiles: row .*, column 'interactive': 'busy' is not a number"):
        edwc_avg.replace(load_profiles=loads)


def test_checks_inside_a_scenario_name_the_file_and_line(tmp_path):
    # used to name the table ("demand: row 2") with a 0-based position
    demand = pd.read_csv(ROOT / "examples" / "data" / "my_demand.csv")
    demand.loc[2, "it_mw"] = -1.0
    demand.to_csv(tmp_path / "my_demand.csv", index=False)
    with pytest.raises(InputError, match=r"^my_demand.csv: line 4, column 'it_mw': -1 is negative"):
        siting.Scenario.from_data("mine", demand=tmp_path / "my_demand.csv")
    demand.loc[2, "it_mw"] = 1.0
    demand.loc[5] = demand.loc[0]
    demand.to_csv(tmp_path / "my_demand.csv", index=False)
    with pytest.raises(InputError, match=r"^my_demand.csv: line 7: origin 'Beijing', workload 'interactive' appears "
                                         "more than once"):
        siting.Scenario.from_data("mine", demand=tmp_path / "my_demand.csv")
    sites = siting.datasets.sites().loc[["Wuhu", "Zhongwei"]].assign(pue=[1.3, 0.9])
    sites.to_csv(tmp_path / "my_sites.csv")
    with pytest.raises(InputError, match=r"^my_sites.csv: line 3, column 'pue': 0.9 is below the minimum 1"):
        siting.Scenario.from_data("mine", sites=tmp_path / "my_sites.csv")
