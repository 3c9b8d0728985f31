r"""Capacity and grid rows per site and slice (direct LP), or their Benders-master stand-ins.

.. math::

    \sum_{w\,inflexible} p_{wt}\ell_{sw} + f_{st} &\le cap_s     &\text{(capacity)}\\
    g_{st} &\ge PUE_s \Big(\sum_{w\,inflexible} p_{wt}\ell_{sw} + f_{st}\Big) + c_{st} - d_{st} - \sum_k cf_{skt}\, x_{sk} &\text{(grid)}\\
    G_s &= \sum_t h_t g_{st} &\text{(annual grid energy)}

with the battery's charge :math:`c` and discharge :math:`d` when storage is
on (:mod:`~siting.model.storage`).
"""

from __future__ import annotations

import pulp

from siting.model.core import Model, add_rows, peak_slices, row, site_loads
from siting.model.demand import inflexible_profiles
from siting.model.grid import site_supply

__all__ = ["add_capacity_and_grid", "add_master_feasibility"]


def add_master_feasibility(model: Model) -> None:
    """Rows that keep every site's hourly subproblem feasible (Benders master).

    Capacity covers the inflexible load in its non-dominated peak slices,
    and the capacity left over the year holds the flexible energy:
    ``cap >= sum_w load_w + load_flex`` (profiles have mean 1).
    """
    scn = model.scenario
    flexible = set(scn.workloads.index[scn.workloads["flexible"]])
    classes, profile = inflexible_profiles(model)
    peaks = peak_slices(profile)
    pos = {w: j for j, w in enumerate(classes)}
    rows, keys = [], []
    for i, (site, per_site) in enumerate(zip(scn.sites.index, site_loads(model))):
        cap = model.var["cap"][i]
        inflex = [(model.var["load"][j], pos[w]) for j, w in per_site if w not in flexible]
        for t in peaks:
            pairs = [(cap, 1.0)] + [(var, -float(profile[k, t])) for var, k in inflex]
            rows.append(row(pairs, pulp.LpConstraintGE, f"peak_{i}_{t}"))
            keys.append((site, int(t)))
        pairs = [(cap, 1.0)] + [(model.var["load"][j], -1.0) for j, _ in per_site]
        rows.append(row(pairs, pulp.LpConstraintGE, f"yearcap_{i}"))
        keys.append((site, "year"))
    add_rows(model, "master_feasibility", rows, keys)

def add_capacity_and_grid(model: Model) -> None:
    """Capacity rows and grid rows for every site and slice.

    Contracted renewables cost nothing at the margin, so the optimum uses
    them first: grid power is the facility load not covered by renewable
    availability, ``g >= PUE * it - sum_k cf * x`` (and ``g >= 0``), and the
    renewable energy used is ``PUE * it - g``. This removes one variable
    and one row per site and slice from the reference formulation.
    """
    scn = model.scenario
    flexible = set(scn.workloads.index[scn.workloads["flexible"]])
    values = model.slices.values
    pue = scn.site_pue.to_numpy()
    T = len(model.slices)
    cap_rows, grid_rows, keys = [], [], []
    load = model.var["load"]
    supply = site_supply(model)
    for i, (site, per_site) in enumerate(zip(scn.sites.index, site_loads(model))):
        inflex = [(load[j], values[f"load|{w}"].to_numpy()) for j, w in per_site if w not in flexible]
        flex = model.var["flex"][i]
        cap = model.var["cap"][i]
        grid = model.var["grid"][i]
        cfs = supply[i]
        absorbed = model.var["absorbed"][i] if "absorbed" in model.var else None
        charge, discharge = (model.var["charge"][i], model.var["discharge"][i]) if scn.storage else (None, None)
        for t in range(T):
            it_pairs = [(var, float(p[t])) for var, p in inflex]
            if flex is not None:
                it_pairs.append((flex[t], 1.0))
            cap_rows.append(row(it_pairs + [(cap, -1.0)], pulp.LpConstraintLE, f"cap_{i}_{t}"))
            pairs = [(grid[t], 1.0)] + [(var, -pue[i] * c) for var, c in it_pairs]
            pairs += [(x, float(cf[t])) for x, cf in cfs if cf[t] > 0]
            if charge is not None:
                pairs += [(charge[t], -1.0), (discharge[t], 1.0)]
            if absorbed is not None:
                pairs.append((absorbed[t], 1.0))
            grid_rows.append(row(pairs, pulp.LpConstraintGE, f"grid_{i}_{t}"))
            keys.append((site, t))
    add_rows(model, "capacity", cap_rows, keys)
    add_rows(model, "grid", grid_rows, list(keys))
    h = model.slices.weight_h.tolist()
    energy_rows = [
        row([(e, 1.0)] + list(zip(model.var["grid"][i], [-x for x in h])), pulp.LpConstraintEQ, f"grid_energy_{i}")
        for i, e in enumerate(model.var["grid_energy"])
    ]
    add_rows(model, "grid_energy", energy_rows, list(scn.sites.index))
