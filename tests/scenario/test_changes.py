"""Scenario.replace: re-validation and the keyword shortcuts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import siting
from siting.errors import InputError


def test_replace_revalidates_and_shortcuts(edwc_avg):
    tighter = edwc_avg.replace(rtt_max_ms_interactive=10)
    assert tighter.workloads.at["interactive", "rtt_max_ms"] == 10
    assert edwc_avg.workloads.at["interactive", "rtt_max_ms"] != 10  # original untouched
    doubled = edwc_avg.replace(demand_scale=2.0)
    assert doubled.total_demand_mw == pytest.approx(2 * edwc_avg.total_demand_mw)
    pricier = edwc_avg.replace(electricity_price_scale=1.1)
    np.testing.assert_allclose(
        pricier.sites["electricity_price_cny_per_kwh"], 1.1 * edwc_avg.sites["electricity_price_cny_per_kwh"]
    )
    with pytest.raises(InputError, match="unknown scenario field 'carbon_tax'"):
        edwc_avg.replace(carbon_tax=1)
    with pytest.raises(InputError, match="unknown workload class 'gaming'"):
        edwc_avg.replace(rtt_max_ms_gaming=5)
    with pytest.raises(InputError, match="parameter carbon_price_cny_per_t: -5 must be a finite number >= 0"):
        edwc_avg.replace(carbon_price_cny_per_t=-5)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # each used to be a raw ValueError (could not convert string to float)
        ({"demand_scale": "abc"}, r"demand_scale: 'abc' is not a finite number >= 0"),
        ({"rtt_max_ms_interactive": "abc"}, r"rtt_max_ms_interactive: 'abc' is not a number of ms >= 0"),
        ({"electricity_price_scale": -1.0}, r"electricity_price_scale: -1.0 is not a finite number >= 0"),
        ({"capex_scale": np.inf}, r"capex_scale: inf is not a finite number >= 0"),
        ({"grid_ef_scale": True}, r"grid_ef_scale: True is not a finite number >= 0"),
    ],
)
def test_shortcut_values_that_are_not_numbers_are_refused(edwc_avg, change, message):
    with pytest.raises(InputError, match=message):
        edwc_avg.replace(**change)


def test_a_scaled_table_is_no_longer_named_by_its_file(tmp_path):
    demand = pd.DataFrame({"origin": ["Beijing"], "workload": ["batch"], "it_mw": [10.0]})
    demand.to_csv(tmp_path / "d.csv", index=False)
    scn = siting.Scenario.from_data("mine", demand=tmp_path / "d.csv")
    assert scn.demand.attrs["source"] == "d.csv"
    assert "source" not in scn.replace(demand_scale=2.0).demand.attrs  # its numbers are not the file's
