"""Shared fixtures: tiny hand-solvable scenarios and a solved preset."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import siting
from siting.scenario import Scenario
from siting.timeseries import HOURS_PER_YEAR

HOURS = pd.date_range("2023-01-01", periods=8760, freq="h", tz="Asia/Shanghai", name="time")


def solar_block(first: int = 8, last: int = 16) -> np.ndarray:
    """A synthetic solar profile: capacity factor 1 from ``first`` to ``last`` o'clock, else 0."""
    hour = HOURS.hour.to_numpy()
    return ((hour >= first) & (hour <= last)).astype(float)


def make_scenario(
    sites: dict[str, dict],
    demand: list[tuple[str, str, float]],
    rtt: dict[tuple[str, str], float],
    workloads: dict[str, dict] | None = None,
    solar: dict[str, np.ndarray] | None = None,
    **params,
) -> Scenario:
    """A small scenario with every number given explicitly.

    ``sites`` maps a site name to overrides of a neutral site (PUE 1, no
    renewables, no water); ``rtt`` maps (origin, site) to ms (distances are
    set equal to RTT so network cost can be computed by hand).
    """
    base = {
        "province": "Beijing",
        "lat": 40.0,
        "lon": 116.0,
        "role": "east",
        "local_only": False,
        "pue": 1.0,
        "pue_max": np.nan,
        "it_capacity_max_mw": 1e6,
        "electricity_price_cny_per_kwh": 0.5,
        "grid_ef_t_co2_per_mwh": 0.5,
        "grid_renewable_share": 0.0,
        "wue_l_per_kwh": 0.0,
        "solar_max_mw": 0.0,
        "wind_max_mw": 0.0,
    }
    site_table = pd.DataFrame({name: {**base, **over} for name, over in sites.items()}).T
    site_table.index.name = "site"
    origins = sorted({o for o, _ in rtt})
    matrix = pd.DataFrame(np.nan, index=pd.Index(origins, name="origin"), columns=site_table.index)
    for (o, s), ms in rtt.items():
        matrix.loc[o, s] = ms
    workloads = workloads or {"interactive": {"rtt_max_ms": 20.0, "flexible": False}, "batch": {"rtt_max_ms": np.nan, "flexible": False}}
    wl = pd.DataFrame(workloads).T
    wl.index.name = "workload"
    cols = pd.MultiIndex.from_product([site_table.index, ["solar", "wind"]], names=["location", "technology"])
    re = pd.DataFrame(0.0, index=HOURS, columns=cols)
    for s, profile in (solar or {}).items():
        re[(s, "solar")] = profile
    loads = pd.DataFrame(1.0, index=HOURS, columns=wl.index)
    defaults = dict(
        resolution="average",
        dc_capex_cny_per_mw=0.0,
        dc_fixed_om_cny_per_mw_year=0.0,
        solar_capex_cny_per_kw=0.0,
        wind_capex_cny_per_kw=0.0,
        pue_caps=False,
    )
    return Scenario(
        name="tiny",
        sites=site_table,
        demand=pd.DataFrame(demand, columns=["origin", "workload", "it_mw"]),
        workloads=wl,
        rtt_ms=matrix,
        distance_km=matrix.copy(),
        re_profiles=re,
        load_profiles=loads,
        **{**defaults, **params},
    )


@pytest.fixture(scope="session")
def edwc() -> Scenario:
    """The headline preset with 2 representative days (fast)."""
    return Scenario.preset("east-data-west-computing", resolution="days", representative_days=2)


@pytest.fixture(scope="session")
def edwc_result(edwc):
    return siting.solve(edwc)


def east_west(**params):
    """Origin O; site East 5 ms away at 0.6 CNY/kWh, West 30 ms away at 0.3 CNY/kWh."""
    sites = {
        "East": {"electricity_price_cny_per_kwh": 0.6, "role": "east"},
        "West": {"electricity_price_cny_per_kwh": 0.3, "role": "west", **params.pop("west", {})},
    }
    demand = [("O", "interactive", 10.0), ("O", "batch", 20.0)]
    return make_scenario(sites, demand, {("O", "East"): 5.0, ("O", "West"): 30.0}, **params)


def allocated(res, site, workload):
    a = res.allocation
    return a.loc[(a["site"] == site) & (a["workload"] == workload), "it_mw"].sum()


def check_invariants(scn, res):
    """Demand met, latency limits and local edges respected, energy balances closed."""
    assert res.status == "optimal"
    served = res.allocation.groupby(["origin", "workload"])["it_mw"].sum()
    wanted = scn.demand.set_index(["origin", "workload"])["it_mw"]
    wanted = wanted[wanted > 0]
    pd.testing.assert_series_equal(served.sort_index(), wanted.sort_index(), check_names=False, rtol=1e-7)
    limit = scn.workloads["rtt_max_ms"].reindex(res.allocation["workload"]).to_numpy()
    assert (np.isnan(limit) | (res.allocation["rtt_ms"].to_numpy() <= limit + 1e-9)).all()
    # local edge sites serve only their own province
    local = scn.sites.index[scn.sites["local_only"]]
    edge = res.allocation[res.allocation["site"].isin(local)]
    assert (edge["origin"].to_numpy() == scn.sites.loc[edge["site"], "province"].to_numpy()).all()
    # energy balances close: facility energy (PUE x IT energy) + battery charge = grid + renewables + discharge
    s = res.sites
    np.testing.assert_allclose(s["energy_mwh"] + s["charge_mwh"], s["grid_mwh"] + s["renewable_mwh"] + s["discharge_mwh"],
                               rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(s["energy_mwh"], s["pue"] * s["it_load_mw"] * HOURS_PER_YEAR, rtol=1e-6, atol=1e-3)
    d = res.dispatch
    assert (d.groupby("site")["weight_h"].sum() == HOURS_PER_YEAR).all()
    it_energy = (d["it_mw"] * d["weight_h"]).groupby(d["site"]).sum()
    np.testing.assert_allclose(it_energy.reindex(s.index), s["it_load_mw"] * HOURS_PER_YEAR, rtol=1e-6, atol=1e-3)
    assert (d["it_mw"] <= s["it_capacity_mw"].reindex(d["site"]).to_numpy() + 1e-6).all()
    assert (d["renewable_mw"] <= d["renewable_available_mw"] + 1e-6).all()
    assert (s["it_capacity_mw"] <= scn.sites["it_capacity_max_mw"] + 1e-6).all()
    # cost components add up to the objective
    assert res.summary["cost_total_cny"] == pytest.approx(res.objective_cny, rel=1e-9)
