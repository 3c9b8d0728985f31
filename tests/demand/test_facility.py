"""Tests of siting.demand.facility: PUE, cooling share, free cooling and water."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siting import demand
from siting.errors import InputError


def test_pue_implied_by_60_percent_cooling():
    assert demand.pue_from_cooling_share(0.6) == pytest.approx(2.5, rel=1e-12)
    assert demand.cooling_share(2.5) == pytest.approx(0.6, rel=1e-12)
    # the measured industry average PUE 1.58 (Uptime 2023) leaves at most 37 % for cooling,
    # consistent with the US DOE "up to 40 %"
    assert demand.cooling_share(1.58) < 0.40
    assert demand.cooling_share(1.58, electrical_overhead=0.1) == pytest.approx(0.48 / 1.58, rel=1e-12)


def test_facility_power_scalar_array_series():
    assert demand.facility_power(10.0, 1.25) == pytest.approx(12.5)
    np.testing.assert_allclose(demand.facility_power(np.array([1.0, 2.0]), 1.5), [1.5, 3.0])
    s = pd.Series([1.0, 2.0], index=["a", "b"])
    out = demand.facility_power(s, 1.2)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b"]
    with pytest.raises(InputError, match="pue: 0.9 is below 1"):
        demand.facility_power(1.0, 0.9)


def test_pue_from_cooling_share_validation():
    with pytest.raises(InputError, match="must be below 1"):
        demand.pue_from_cooling_share(0.7, other_share=0.3)
    with pytest.raises(InputError, match="exceeds PUE - 1"):
        demand.cooling_share(1.1, electrical_overhead=0.2)


def test_free_cooling_fraction_limits_and_hours():
    assert demand.free_cooling_fraction(0.0, threshold_c=0.0) == pytest.approx(0.5)
    assert demand.free_cooling_fraction(-30.0, threshold_c=10.0) == 1.0
    assert demand.free_cooling_fraction(40.0, threshold_c=10.0) == 0.0
    temps = pd.Series(np.tile(np.arange(24, dtype=float), 365))  # 0..23 C every day
    assert demand.free_cooling_hours(temps, threshold_c=11.5) == pytest.approx(8760 / 2)


def test_pue_from_climate_colder_is_better():
    temps = pd.Series([5.0, 12.0, 22.0], index=["Heilongjiang", "Beijing", "Guangdong"])
    pue = demand.pue_from_climate(temps, cooling="chiller_economizer")
    assert isinstance(pue, pd.Series)
    assert pue.is_monotonic_increasing
    tech = demand.COOLING_TECHNOLOGIES["chiller_economizer"]
    assert (pue >= tech["pue_free"]).all() and (pue <= tech["pue_mechanical"]).all()
    assert demand.pue_from_climate(12.0, cooling="liquid") < demand.pue_from_climate(12.0, cooling="air_chiller")
    assert demand.pue_from_climate(30.0, free_fraction=1.0, cooling="liquid") == pytest.approx(1.10)
    with pytest.raises(InputError, match=r"unknown cooling technology 'fans'; valid: \["):
        demand.pue_from_climate(10.0, cooling="fans")


def test_water():
    assert demand.wue("chiller_economizer") == pytest.approx(1.8)
    # 1 MWh of IT energy at 1.8 L/kWh = 1,800 L = 1.8 m3
    assert demand.water_m3(1.0, 1.8) == pytest.approx(1.8)
    table = demand.cooling_technologies()
    assert set(table.columns) >= {"pue_mechanical", "pue_free", "free_cooling_max_temp_c", "wue_l_per_kwh"}

