"""Infeasible scenarios are explained: before building, or by the elastic diagnosis."""

from __future__ import annotations


import numpy as np
import pytest

import siting
from siting.errors import InfeasibleError
from siting.timeseries import HOURS_PER_YEAR

from conftest import east_west, make_scenario, solar_block

H = HOURS_PER_YEAR


def test_no_site_within_latency_is_explained_before_building():
    scn = east_west(workloads={"interactive": {"rtt_max_ms": 2.0, "flexible": False},
                               "batch": {"rtt_max_ms": np.nan, "flexible": False}})
    with pytest.raises(InfeasibleError, match=r"O/interactive .*RTT limit of 2 ms; the nearest eligible site is East at 5.0 ms"):
        siting.solve(scn)


def test_capacity_shortfall_is_explained():
    scn = east_west(west={"it_capacity_max_mw": 1.0})
    scn = scn.replace(sites=scn.sites.assign(it_capacity_max_mw=[5.0, 1.0]))
    with pytest.raises(InfeasibleError, match="exceeds the capacity"):
        siting.solve(scn)


def test_unreachable_green_target_is_diagnosed():
    sites = {"S": {"solar_max_mw": 1.0}}
    scn = make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0}, solar={"S": solar_block()},
                        green_share_min=0.9)
    with pytest.raises(InfeasibleError, match="green_share_min=90% cannot be reached"):
        siting.solve(scn)


def test_unreachable_green_target_on_a_preset_is_diagnosed(edwc):
    with pytest.raises(InfeasibleError, match=r"green_share_min=95% cannot be reached: .* fall short by"):
        siting.solve(edwc.replace(green_share_min=0.95))


def test_grid_limit_infeasibility_is_diagnosed():
    sites = {"S": {"grid_mw_max": 5.0}}
    scn = make_scenario(sites, [("O", "batch", 10.0)], {("O", "S"): 1.0}, grid_limits=True)
    with pytest.raises(InfeasibleError, match=r"grid import limit at site 'S' \(grid_mw_max=5.0 MW\).*exceeded by up to 5.0 MW"):
        siting.solve(scn)
