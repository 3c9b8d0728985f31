"""Validation: bad tables and parameters are refused before any model is built."""

from __future__ import annotations

import numpy as np
import pytest

from siting.errors import InputError


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
