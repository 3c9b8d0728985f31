"""Allowed assignments of demand to sites, and the reachability check made before building."""

from __future__ import annotations

import numpy as np
import pandas as pd

from siting.errors import InfeasibleError
from siting.scenario import Scenario

__all__ = ["arcs", "check_reachable"]


def arcs(scenario: Scenario) -> pd.DataFrame:
    """Allowed (origin, site, workload) assignments.

    An arc exists where the origin has demand of the class, the RTT is within
    the class limit, and the site is not a local edge site of another
    province.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``site``, ``workload``, ``it_mw`` (the origin's
        class demand [MW]), ``rtt_ms`` [ms], ``distance_km`` [km].
    """
    dem = scenario.demand[scenario.demand["it_mw"] > 0]
    sites = scenario.sites
    rtt = scenario.rtt_ms.loc[:, sites.index].stack().rename("rtt_ms")
    dist = scenario.distance_km.loc[:, sites.index].stack().rename("distance_km")
    pairs = pd.concat([rtt, dist], axis=1).reset_index()
    pairs.columns = ["origin", "site", "rtt_ms", "distance_km"]
    pairs = pairs[pairs["origin"].isin(dem["origin"])]
    local = sites["local_only"].reindex(pairs["site"]).to_numpy()
    home = sites["province"].reindex(pairs["site"]).to_numpy() == pairs["origin"].to_numpy()
    pairs = pairs[~local | home]
    out = dem.merge(pairs, on="origin")
    limit = scenario.workloads["rtt_max_ms"].reindex(out["workload"]).to_numpy()
    ok = np.isnan(limit) | (out["rtt_ms"].to_numpy() <= limit + 1e-9)
    return out[ok].reset_index(drop=True)[["origin", "site", "workload", "it_mw", "rtt_ms", "distance_km"]]

def check_reachable(scenario: Scenario, arc: pd.DataFrame | None = None) -> None:
    """Refuse a scenario whose demand cannot be served, before building.

    Raises
    ------
    siting.errors.InfeasibleError
        If some origin and class has no site within reach, or more demand
        than the capacity of every site within its reach.
    """
    arc = arcs(scenario) if arc is None else arc
    dem = scenario.demand[scenario.demand["it_mw"] > 0]
    served = arc[["origin", "workload"]].drop_duplicates()
    merged = dem.merge(served, on=["origin", "workload"], how="left", indicator=True)
    orphans = merged[merged["_merge"] == "left_only"]
    problems = []
    for row in orphans.itertuples():
        limit = scenario.workloads.at[row.workload, "rtt_max_ms"]
        eligible = scenario.sites
        if eligible["local_only"].any():
            eligible = eligible[~eligible["local_only"] | (eligible["province"] == row.origin)]
        if eligible.empty:
            problems.append(f"{row.origin}/{row.workload} ({row.it_mw:,.1f} MW): no site may serve this origin")
            continue
        rtts = scenario.rtt_ms.loc[row.origin, eligible.index]
        problems.append(
            f"{row.origin}/{row.workload} ({row.it_mw:,.1f} MW): no site within its RTT limit of "
            f"{limit:g} ms; the nearest eligible site is {rtts.idxmin()} at {rtts.min():.1f} ms"
        )
    cap = scenario.sites["it_capacity_max_mw"]
    reach = arc.assign(cap=cap.reindex(arc["site"]).to_numpy()).groupby(["origin", "workload"])["cap"].sum()
    short = dem.set_index(["origin", "workload"])["it_mw"] - reach.reindex(
        dem.set_index(["origin", "workload"]).index
    )
    for (origin, workload), gap in short[short > 1e-6].items():
        problems.append(
            f"{origin}/{workload}: demand exceeds the capacity of every site within reach by {gap:,.1f} MW"
        )
    total_gap = scenario.total_demand_mw - float(cap.sum())
    if total_gap > 1e-6:
        problems.append(f"total demand exceeds total buildable capacity by {total_gap:,.1f} MW")
    if problems:
        raise InfeasibleError(
            f"scenario {scenario.name!r} cannot be served:\n  - " + "\n  - ".join(problems[:20])
            + (f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else "")
        )
