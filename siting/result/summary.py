"""The summary of a result: totals, shares and latency per class, from its tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from siting.result.table import Summary, describe_resolution
from siting.scenario import Scenario

__all__ = ["summarise", "moved_bits", "SITE_INFO"]

#: Columns of the scenario's site table copied into :attr:`Result.sites`.
SITE_INFO = ("province", "lat", "lon", "role", "kind", "hub", "local_only")


def moved_bits(scn: Scenario, alloc: pd.DataFrame) -> float:
    """IT energy served at a site outside its origin's region (east, central, west, northeast) [MWh/yr].

    Regions come from the scenario's ``grid_provinces`` table, else the
    bundled provinces; an origin or site province in neither counts by
    province (served outside its own province).
    """
    from siting import datasets

    table = scn.grid_provinces if scn.grid_provinces is not None else datasets.provinces()
    region = table["region"].to_dict()
    origin = alloc["origin"].map(lambda p: region.get(p, p))
    site = alloc["site"].map(scn.sites["province"]).map(lambda p: region.get(p, p))
    return float(alloc.loc[(origin != site).to_numpy(), "it_energy_mwh"].sum())


def summarise(scn: Scenario, sites: pd.DataFrame, alloc: pd.DataFrame, cost_cols: list[str],
              corridors: pd.DataFrame | None = None, curtailed_mwh: float = 0.0) -> pd.Series:
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
    corridors : pandas.DataFrame, optional
        :attr:`Result.corridors`.
    curtailed_mwh : float
        Curtailed energy of the provinces whose sites may absorb it [MWh/yr].
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
    for col in ("battery_mw", "battery_mwh", "charge_mwh", "discharge_mwh", "certificate_mwh"):
        s[col] = float(sites[col].sum())
    s["emissions_t"] = float(sites["emissions_t"].sum())
    s["water_m3"] = float(sites["water_m3"].sum())
    # green energy used in its hour: facility energy less the fossil part of grid energy
    rs = scn.sites["grid_renewable_share"].to_numpy()
    green = float((sites["energy_mwh"] - (1.0 - rs) * sites["grid_mwh"]).sum())
    energy = s["energy_mwh"] if s["energy_mwh"] > 0 else float("nan")
    s["green_share"] = s["green_share_hourly"] = green / energy
    s["green_share_annual"] = (green + s["certificate_mwh"]) / energy
    s["contracted_renewable_share"] = s["renewable_mwh"] / s["energy_mwh"] if s["energy_mwh"] > 0 else float("nan")
    west = sites["role"] == "west"
    s["west_share"] = float(sites.loc[west, "it_capacity_mw"].sum() / max(s["it_capacity_mw"], 1e-12))
    s["west_load_share"] = float(sites.loc[west, "it_load_mw"].sum() / max(sites["it_load_mw"].sum(), 1e-12))
    s["curtailment_absorbed_mwh"] = float(sites["curtailment_absorbed_mwh"].sum())
    s["curtailment_absorbed_share"] = s["curtailment_absorbed_mwh"] / curtailed_mwh if curtailed_mwh > 0 else 0.0
    used = corridors if corridors is not None else pd.DataFrame(columns=["delivered_mwh", "loss_mwh"])
    s["moved_watts_mwh"] = float(used["delivered_mwh"].sum())
    s["transmission_loss_mwh"] = float(used["loss_mwh"].sum())
    s["moved_bits_mwh"] = moved_bits(scn, alloc)
    s["mean_pue"] = s["energy_mwh"] / s["it_energy_mwh"] if s["it_energy_mwh"] > 0 else float("nan")
    s["cost_cny_per_mwh_it"] = s["cost_total_cny"] / s["it_energy_mwh"] if s["it_energy_mwh"] > 0 else float("nan")
    for w in scn.workloads.index:
        part = alloc[alloc["workload"] == w]
        mw = part["it_mw"].sum()
        s[f"rtt_mean_ms_{w}"] = float((part["it_mw"] * part["rtt_ms"]).sum() / mw) if mw > 0 else float("nan")
        s[f"rtt_max_ms_{w}"] = float(part["rtt_ms"].max()) if mw > 0 else float("nan")
        west_w = part["site"].map(sites["role"]) == "west"
        s[f"west_share_{w}"] = float(part.loc[west_w, "it_mw"].sum() / mw) if mw > 0 else float("nan")
    return Summary(s, name=scn.name, dtype=float, resolution=describe_resolution(scn))
