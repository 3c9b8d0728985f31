"""The summary of a result: totals, shares and latency per class, from its tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from siting.scenario import Scenario

__all__ = ["summarise", "SITE_INFO"]

#: Columns of the scenario's site table copied into :attr:`Result.sites`.
SITE_INFO = ("province", "lat", "lon", "role", "kind", "hub", "local_only")


def summarise(scn: Scenario, sites: pd.DataFrame, alloc: pd.DataFrame, cost_cols: list[str]) -> pd.Series:
    """Totals of a solution [CNY/yr, MWh/yr, tCO2/yr, m3/yr], shares [0..1] and RTT per class [ms].

    Parameters
    ----------
    scn : Scenario
    sites : pandas.DataFrame
        :attr:`Result.sites`.
    alloc : pandas.DataFrame
        :attr:`Result.allocation`.
    cost_cols : list of str
        Cost columns of ``sites`` [CNY/yr]; each gives ``cost_<name>_cny``.
    """
    s: dict[str, Any] = {}
    for col in cost_cols:
        s[f"cost_{col.removesuffix('_cny')}_cny"] = float(sites[col].sum())
    s["cost_total_cny"] = float(sites["total_cny"].sum())
    s["demand_it_mw"] = scn.total_demand_mw
    s["it_capacity_mw"] = float(sites["it_capacity_mw"].sum())
    s["it_energy_mwh"] = float(sites["it_energy_mwh"].sum())
    s["energy_mwh"] = float(sites["energy_mwh"].sum())
    s["grid_mwh"] = float(sites["grid_mwh"].sum())
    s["renewable_mwh"] = float(sites["renewable_mwh"].sum())
    s["curtailed_mwh"] = float(sites["curtailed_mwh"].sum())
    s["solar_mw"] = float(sites["solar_mw"].sum())
    s["wind_mw"] = float(sites["wind_mw"].sum())
    s["emissions_t"] = float(sites["emissions_t"].sum())
    s["water_m3"] = float(sites["water_m3"].sum())
    rs = scn.sites["grid_renewable_share"].to_numpy()
    green = float((sites["renewable_mwh"] + rs * sites["grid_mwh"]).sum())
    s["green_share"] = green / s["energy_mwh"] if s["energy_mwh"] > 0 else float("nan")
    s["contracted_renewable_share"] = s["renewable_mwh"] / s["energy_mwh"] if s["energy_mwh"] > 0 else float("nan")
    west = sites["role"] == "west"
    s["west_share"] = float(sites.loc[west, "it_capacity_mw"].sum() / max(s["it_capacity_mw"], 1e-12))
    s["west_load_share"] = float(sites.loc[west, "it_load_mw"].sum() / max(sites["it_load_mw"].sum(), 1e-12))
    s["mean_pue"] = s["energy_mwh"] / s["it_energy_mwh"] if s["it_energy_mwh"] > 0 else float("nan")
    s["cost_cny_per_mwh_it"] = s["cost_total_cny"] / s["it_energy_mwh"] if s["it_energy_mwh"] > 0 else float("nan")
    for w in scn.workloads.index:
        part = alloc[alloc["workload"] == w]
        mw = part["it_mw"].sum()
        s[f"rtt_mean_ms_{w}"] = float((part["it_mw"] * part["rtt_ms"]).sum() / mw) if mw > 0 else float("nan")
        s[f"rtt_max_ms_{w}"] = float(part["rtt_ms"].max()) if mw > 0 else float("nan")
        west_w = part["site"].map(sites["role"]) == "west"
        s[f"west_share_{w}"] = float(part.loc[west_w, "it_mw"].sum() / mw) if mw > 0 else float("nan")
    return pd.Series(s, name=scn.name, dtype=float)
