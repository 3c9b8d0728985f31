"""Scenario.replace: re-validation and the keyword shortcuts."""

from __future__ import annotations

import numpy as np
import pytest

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
