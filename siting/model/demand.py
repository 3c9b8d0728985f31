r"""Demand, load and flexible-energy rows.

.. math::

    \sum_s a_{rsw} &= D_{rw}                                   &\text{(demand)}\\
    \ell_{sw} &= \sum_r a_{rsw}                               &\text{(load)}\\
    \sum_t h_t f_{st} &= 8760 \sum_{w\,flexible} \ell_{sw}      &\text{(flexible energy)}
"""

from __future__ import annotations

import numpy as np
import pulp

from siting.model.core import Model, add_rows, row, site_loads
from siting.timeseries import HOURS_PER_YEAR

__all__ = ["add_demand", "add_load", "add_flexible_energy", "inflexible_profiles"]


def add_demand(model: Model) -> None:
    scn, arc, a = model.scenario, model.arcs, model.var["a"]
    dem = scn.demand[scn.demand["it_mw"] > 0].reset_index(drop=True)
    groups = arc.groupby(["origin", "workload"], sort=False).indices
    rows, keys = [], []
    for j, d in enumerate(dem.itertuples(index=False)):
        idx = groups.get((d.origin, d.workload), ())
        pairs = [(a[i], 1.0) for i in idx]
        if model.elastic == "demand":
            pairs.append((model.var["unserved"][j], 1.0))
        rows.append(row(pairs, pulp.LpConstraintEQ, f"demand_{j}", float(d.it_mw)))
        keys.append((d.origin, d.workload))
    add_rows(model, "demand", rows, keys)

def add_load(model: Model) -> None:
    arc, a, load = model.arcs, model.var["a"], model.var["load"]
    groups = arc.groupby(["site", "workload"], sort=True).indices
    rows, keys = [], []
    for j, (s, w) in enumerate(model.load_index.itertuples(index=False)):
        pairs = [(load[j], 1.0)] + [(a[i], -1.0) for i in groups[(s, w)]]
        rows.append(row(pairs, pulp.LpConstraintEQ, f"load_{j}"))
        keys.append((s, w))
    add_rows(model, "load", rows, keys)

def add_flexible_energy(model: Model) -> None:
    scn = model.scenario
    flexible = set(scn.workloads.index[scn.workloads["flexible"]])
    h = model.slices.weight_h
    rows, keys = [], []
    for i, (site, per_site) in enumerate(zip(scn.sites.index, site_loads(model))):
        flex = model.var["flex"][i]
        if flex is None:
            continue
        pairs = list(zip(flex, h.tolist()))
        pairs += [(model.var["load"][j], -float(HOURS_PER_YEAR)) for j, w in per_site if w in flexible]
        rows.append(row(pairs, pulp.LpConstraintEQ, f"flexenergy_{i}"))
        keys.append(site)
    add_rows(model, "flexible_energy", rows, keys)

def inflexible_profiles(model: Model) -> tuple[list[str], np.ndarray]:
    """Inflexible workload classes and their slice profiles (classes x slices)."""
    scn = model.scenario
    classes = [w for w in scn.workloads.index if not scn.workloads.at[w, "flexible"]]
    values = model.slices.values
    profile = np.array([values[f"load|{w}"].to_numpy() for w in classes]).reshape(len(classes), len(model.slices))
    return classes, profile
