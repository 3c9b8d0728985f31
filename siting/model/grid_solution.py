"""The corridor contracts and absorbed curtailment of a solved model, as result tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from siting.model.core import Model
from siting.model.grid import import_cost, site_supply

__all__ = ["absorbed_power", "available_power", "corridor_table", "site_grid_columns"]


def _values(variables) -> np.ndarray:
    return np.array([0.0 if x is None else (x.varValue or 0.0) for x in variables], dtype=float)


def absorbed_power(model: Model, dispatch: dict | None) -> np.ndarray:
    """Curtailed power each site absorbs in each slice, shape (S, T) [MW]."""
    S, T = len(model.scenario.sites), len(model.slices)
    if "absorb" not in model.var:
        return np.zeros((S, T))
    if model.master:
        return dispatch.get("absorbed", np.zeros((S, T)))
    return np.array([np.zeros(T) if u is None else _values(u) for u in model.var["absorbed"]])


def available_power(model: Model, absorbed: np.ndarray) -> np.ndarray:
    """Renewable power available to each site in each slice: own, over corridors, absorbed (S, T) [MW]."""
    out = absorbed.copy()
    for i, options in enumerate(site_supply(model)):
        for var, delivered in options:
            out[i] += (var.varValue or 0.0) * delivered
    return out


def corridor_table(model: Model) -> pd.DataFrame:
    """:attr:`siting.Result.corridors`: per corridor with contracts, MW, flows, energy and cost."""
    from siting.result.result import CORRIDOR_RESULT_COLUMNS

    imports = model.imports
    if not len(imports):
        return pd.DataFrame(columns=list(CORRIDOR_RESULT_COLUMNS))
    lines = model.scenario.corridor_lines
    values, h = model.slices.values, model.slices.weight_h
    y = _values(model.var["import"])
    cost = import_cost(model) * y
    rows = {}
    for corridor, idx in imports.groupby("corridor", sort=False).indices.items():
        line = lines.loc[corridor]
        flow = sum(y[j] * values[f"send|{line['sending_province']}|{imports.at[j, 'technology']}"].to_numpy()
                   for j in idx)
        sent = float(flow @ h)
        rows[corridor] = {
            "sending_province": line["sending_province"],
            "receiving_province": line["receiving_province"],
            "capacity_mw": float(line["usable_share"] * line["capacity_mw"]),
            "mw": float(y[idx].sum()),
            "peak_flow_mw": float(np.max(flow)),
            "sent_mwh": sent,
            "delivered_mwh": sent * (1.0 - float(line["loss_share"])),
            "loss_mwh": sent * float(line["loss_share"]),
            "cost_cny": float(cost[idx].sum()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(CORRIDOR_RESULT_COLUMNS))
    table.index.name = "corridor"
    return table


def site_grid_columns(model: Model, absorbed: np.ndarray) -> dict[str, np.ndarray]:
    """Per-site result columns: ``corridor_mw`` [MW], ``corridor_cny`` [CNY/yr],
    ``curtailment_absorbed_mwh`` [MWh/yr], ``curtailment_cny`` [CNY/yr]."""
    scn = model.scenario
    S = len(scn.sites)
    mw, cny = np.zeros(S), np.zeros(S)
    if len(model.imports):
        y = _values(model.var["import"])
        pos = model.imports["site"].map({s: i for i, s in enumerate(scn.sites.index)}).to_numpy()
        np.add.at(mw, pos, y)
        np.add.at(cny, pos, import_cost(model) * y)
    energy = absorbed @ model.slices.weight_h
    return {
        "corridor_mw": mw,
        "corridor_cny": cny,
        "curtailment_absorbed_mwh": energy,
        "curtailment_cny": energy * scn.curtailed_energy_price_cny_per_kwh * 1000.0,
    }
