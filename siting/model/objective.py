"""Unit costs of the sites and the objective [CNY/yr]."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pulp

from siting.model.core import POLICY_PENALTY, TECHS, UNSERVED_PENALTY, Model
from siting.scenario import Scenario

__all__ = ["cost_coefficients", "set_objective", "arc_unit_cost"]


def cost_coefficients(scenario: Scenario) -> dict[str, np.ndarray]:
    """Per-site unit costs used by the objective.

    Returns
    -------
    dict
        ``dc`` [CNY/MW-yr], ``solar`` and ``wind`` [CNY/MW-yr],
        ``energy`` [CNY/MWh], ``carbon`` [CNY/MWh] per site.
    """
    annual = scenario.annualised_cost()
    sites = scenario.sites
    n = len(sites)
    return {
        "dc": np.full(n, annual["dc"]),
        "solar": np.full(n, annual["solar"]),
        "wind": np.full(n, annual["wind"]),
        "energy": sites["electricity_price_cny_per_kwh"].to_numpy() * 1000.0,
        "carbon": sites["grid_ef_t_co2_per_mwh"].to_numpy() * scenario.carbon_price_cny_per_t,
    }

def set_objective(model: Model) -> None:
    scn, arc = model.scenario, model.arcs
    c = cost_coefficients(scn)
    pairs = [(v, float(c["dc"][i])) for i, v in enumerate(model.var["cap"])]
    for k in TECHS:
        pairs += [(v, float(c[k][i])) for i, v in enumerate(model.var["re"][k])]
    pairs += [(g, float(c["energy"][i] + c["carbon"][i])) for i, g in enumerate(model.var["grid_energy"])]
    arc_cost = arc_unit_cost(scn, arc)
    pairs += [(v, float(x)) for v, x in zip(model.var["a"], arc_cost) if x != 0]
    if scn.integer:
        pairs += [(v, float(scn.site_fixed_cost_cny_per_year)) for v in model.var["open"]]
    if model.elastic == "demand":
        pairs += [(v, UNSERVED_PENALTY) for v in model.var["unserved"]]
    if model.elastic == "policy":
        pairs += [(v, POLICY_PENALTY) for v in model.var.get("slack", {}).values()]
    model.problem.setObjective(pulp.LpAffineExpression(pairs))


def arc_unit_cost(scenario: Scenario, arc: pd.DataFrame) -> np.ndarray:
    """Network cost and latency penalty of serving 1 MW over each arc [CNY per MW-yr].

    ``distance_km * network_cost_cny_per_mw_km_year + rtt_ms * latency_penalty_cny_per_mw_ms_year``.
    """
    return (
        arc["distance_km"].to_numpy() * scenario.network_cost_cny_per_mw_km_year
        + arc["rtt_ms"].to_numpy() * scenario.latency_penalty_cny_per_mw_ms_year
    )
