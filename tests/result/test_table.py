"""Result.summary: a Series of floats that prints as a table with units, through pickling and folders."""

from __future__ import annotations

import pickle
import re

import pandas as pd
import pytest

import siting
from siting.result.table import Summary, format_value, unit_of


def test_summary_prints_with_units_and_stays_a_series_of_floats(edwc_result, capsys):
    s = edwc_result.summary
    print(s)
    text = capsys.readouterr().out
    assert "bn CNY" in text and "bn CNY/yr" in text
    assert re.search(r"\d{1,3}(,\d{3})+ MWh/yr", text), text  # thousands separators in MWh figures
    assert "2 representative days, weather year 0" in text.splitlines()[0]
    assert "Mt CO2/yr" in text and " %" in text and " ms" in text
    assert "e+" not in text
    assert isinstance(s["cost_total_cny"], float)
    assert isinstance(s, pd.Series) and s.dtype == float
    assert list(s.index) == list(pd.Series(s).index)  # keys unchanged
    # arithmetic and selections are plain Series, printed as numbers
    assert type(s / 1e9) is pd.Series and type(s[["cost_total_cny", "emissions_t"]]) is pd.Series
    assert (s / 1e9)["cost_total_cny"] == pytest.approx(s["cost_total_cny"] / 1e9)
    assert "bn CNY" in s._repr_html_() and "<table>" in s._repr_html_()


def test_summary_survives_pickling_and_a_result_folder(tmp_path, edwc_result):
    again = pickle.loads(pickle.dumps(edwc_result))
    assert type(again.summary) is Summary
    assert again.summary.attrs["resolution"] == edwc_result.resolution
    pd.testing.assert_series_equal(again.summary, edwc_result.summary)

    read = siting.Result.from_dir(edwc_result.to_dir(tmp_path / "r", maps=False))
    assert type(read.summary) is Summary
    assert read.summary.header() == f"{edwc_result.scenario.name}: {edwc_result.resolution} ({edwc_result.method})"
    assert str(read.summary).splitlines()[0] == read.summary.header()
    pd.testing.assert_series_equal(read.summary, edwc_result.summary, check_dtype=False)


@pytest.mark.parametrize("key, value, number, unit", [
    ("cost_total_cny", 152.7e9, "152.7", "bn CNY/yr"),
    ("cost_network_cny", 8.5e8, "850.0", "million CNY/yr"),
    ("cost_fixed_cny", 0.0, "0", "CNY/yr"),
    ("energy_mwh", 237_682_147.0, "237,682,147", "MWh/yr (237.7 TWh/yr)"),
    ("curtailed_mwh", 12_345.0, "12,345", "MWh/yr"),
    ("battery_mwh", 4_000.0, "4,000", "MWh"),
    ("it_capacity_mw", 22_579.2, "22,579", "MW"),
    ("emissions_t", 64.99e6, "64.99", "Mt CO2/yr"),
    ("emissions_t", 1234.0, "1,234", "t CO2/yr"),
    ("water_m3", 68.6e6, "68.60", "million m3/yr"),
    ("green_share", 0.6715, "67.2", "%"),
    ("west_share_interactive", 0.5, "50.0", "%"),
    ("rtt_mean_ms_interactive", 6.03, "6.0", "ms"),
    ("mean_pue", 1.2184, "1.218", "-"),
    ("cost_cny_per_mwh_it", 788.56, "788.6", "CNY/MWh of IT energy"),
    ("shadow_emissions_cny_per_t", 120.0, "120.0", "CNY/t"),
    ("something_else", 3.0, "3", ""),
    ("cost_total_cny", float("nan"), "-", ""),
])
def test_units_from_the_suffix(key, value, number, unit):
    assert format_value(key, value) == (number, unit)


def test_unit_kinds():
    assert unit_of("demand_it_mw") == "mw" and unit_of("it_energy_mwh") == "mwh"
    assert unit_of("rtt_max_ms_batch") == "ms" and unit_of("contracted_renewable_share") == "share"


def test_a_summary_made_by_hand_prints_its_header():
    s = Summary({"cost_total_cny": 1e10}, name="x", resolution="1 average slice, weather year 0", method="direct")
    assert str(s).splitlines() == ["x: 1 average slice, weather year 0 (direct)", "cost_total_cny  10.00 bn CNY/yr"]
    assert repr(Summary({}, name="y", dtype=float)).startswith("y")
