r"""Batteries at the sites: sizes, duration range and the per-slice rows of the direct LP.

With ``storage=True`` every site :math:`s` may build a battery of power
:math:`P_s` [MW] and energy :math:`E_s` [MWh]. In each slice :math:`t` it
charges :math:`c_{st}` and discharges :math:`d_{st}` [MW], with state of
charge :math:`e_{st}` [MWh]:

.. math::

    e_{st} &= e_{s,prev(t)} + \eta\, c_{st} - d_{st} / \eta  &\text{(state of charge)}\\
    c_{st},\ d_{st} &\le P_s, \qquad e_{st} \le E_s          &\text{(power, energy)}\\
    \underline{d}\, P_s \le\ &E_s \le \overline{d}\, P_s       &\text{(duration range)}

with :math:`\eta = \sqrt{\eta_{rt}}` of the round-trip efficiency; slices
last one hour and :math:`prev(t)` closes each representative day on itself
(the full year on itself), :meth:`siting.timeseries.Slices.previous`. The
battery enters the grid row of :mod:`~siting.model.capacity`:
:math:`g_{st} \ge PUE_s\, it_{st} + c_{st} - d_{st} - \sum_k cf_{skt} x_{sk}`,
so it charges from renewable surplus first and from the grid when that pays.

Green energy in slice :math:`t` is the facility load not met by the fossil
part of grid power, :math:`PUE_s\, it_{st} - (1 - rs_s)\, g_{st}`: energy
charged from the grid comes back through a larger :math:`g`, so it is never
counted as green, and battery losses count against the green share.
"""

from __future__ import annotations

import numpy as np
import pulp

from siting.model.core import Model, add_rows, row, variables

__all__ = ["efficiency", "add_battery_variables", "add_duration", "add_battery_slices"]


def efficiency(scenario) -> float:
    """One-way efficiency of charging and of discharging [-]: the square root of the round trip."""
    return float(np.sqrt(scenario.battery_round_trip_efficiency))


def add_battery_variables(model: Model) -> None:
    """``battery_mw`` and ``battery_mwh`` per site; per slice ``charge``, ``discharge``, ``soc`` (direct LP)."""
    if not model.scenario.storage:
        return
    S, T = len(model.scenario.sites), len(model.slices)
    v = model.var
    v["battery_mw"] = variables(model.problem, "battery_mw", S)
    v["battery_mwh"] = variables(model.problem, "battery_mwh", S)
    if model.master:
        return
    for name in ("charge", "discharge", "soc"):
        v[name] = [variables(model.problem, f"{name}_{i}", T) for i in range(S)]


def add_duration(model: Model) -> None:
    """``E >= d_min P`` and ``E <= d_max P`` per site, for the ends of the range that are set."""
    scn = model.scenario
    if not scn.storage:
        return
    for name, bound, sense in (
        ("battery_duration_min", scn.battery_duration_min_h, pulp.LpConstraintGE),
        ("battery_duration_max", scn.battery_duration_max_h, pulp.LpConstraintLE),
    ):
        if bound is None:
            continue
        rows = [
            row([(e, 1.0), (p, -float(bound))], sense, f"{name}_{i}")
            for i, (p, e) in enumerate(zip(model.var["battery_mw"], model.var["battery_mwh"]))
        ]
        add_rows(model, name, rows, list(scn.sites.index))


def add_battery_slices(model: Model) -> None:
    """State-of-charge, power and energy rows of every site and slice (direct LP)."""
    scn = model.scenario
    if not scn.storage or model.master:
        return
    eta = efficiency(scn)
    prev = model.slices.previous()
    v = model.var
    soc_rows, charge_rows, discharge_rows, energy_rows, keys = [], [], [], [], []
    for i, site in enumerate(scn.sites.index):
        p, e_max = v["battery_mw"][i], v["battery_mwh"][i]
        c, d, e = v["charge"][i], v["discharge"][i], v["soc"][i]
        for t in range(len(model.slices)):
            pairs = [(e[t], 1.0), (c[t], -eta), (d[t], 1.0 / eta)]
            if prev[t] != t:
                pairs.append((e[prev[t]], -1.0))
            soc_rows.append(row(pairs, pulp.LpConstraintEQ, f"soc_{i}_{t}"))
            charge_rows.append(row([(c[t], 1.0), (p, -1.0)], pulp.LpConstraintLE, f"bcharge_{i}_{t}"))
            discharge_rows.append(row([(d[t], 1.0), (p, -1.0)], pulp.LpConstraintLE, f"bdischarge_{i}_{t}"))
            energy_rows.append(row([(e[t], 1.0), (e_max, -1.0)], pulp.LpConstraintLE, f"benergy_{i}_{t}"))
            keys.append((site, t))
    add_rows(model, "soc", soc_rows, keys)
    add_rows(model, "battery_charge", charge_rows, list(keys))
    add_rows(model, "battery_discharge", discharge_rows, list(keys))
    add_rows(model, "battery_energy", energy_rows, list(keys))
