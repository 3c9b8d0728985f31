"""Unit costs of the sites and the objective [CNY/yr]."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pulp

from siting.model.core import POLICY_PENALTY, TECHS, UNSERVED_PENALTY, Model, reads_grid_energy
from siting.model.grid import cost_mode, import_cost
from siting.scenario import Scenario

__all__ = ["cost_coefficients", "slice_prices", "set_objective", "arc_unit_cost"]


def cost_coefficients(scenario: Scenario) -> dict[str, np.ndarray]:
    """Per-site unit costs used by the objective.

    Returns
    -------
    dict
        ``dc`` [CNY/MW-yr], ``solar`` and ``wind`` [CNY/MW-yr],
        ``battery_power`` [CNY/MW-yr], ``battery_energy`` [CNY/MWh-yr],
        ``certificate`` [CNY/MWh], ``energy`` (the flat price) [CNY/MWh],
        ``carbon`` [CNY/MWh] per site.
    """
    annual = scenario.annualised_cost()
    sites = scenario.sites
    n = len(sites)
    return {
        "dc": np.full(n, annual["dc"]),
        "solar": np.full(n, annual["solar"]),
        "wind": np.full(n, annual["wind"]),
        "battery_power": np.full(n, annual["battery_power"]),
        "battery_energy": np.full(n, annual["battery_energy"]),
        "certificate": np.full(n, scenario.green_certificate_cny_per_mwh),
        "energy": sites["electricity_price_cny_per_kwh"].to_numpy() * 1000.0,
        "carbon": sites["grid_ef_t_co2_per_mwh"].to_numpy() * scenario.carbon_price_cny_per_t,
    }

def slice_prices(model: Model) -> np.ndarray:
    """Grid price of every site in every slice [CNY/MWh], shape (S, T): flat, or by the time-of-use factors."""
    scn = model.scenario
    flat = cost_coefficients(scn)["energy"][:, None]
    if not scn.tou_tariffs:
        return np.repeat(flat, len(model.slices), axis=1)
    values = model.slices.values
    factors = np.stack([values[f"price|{s}"].to_numpy() for s in scn.sites.index])
    return flat * factors


def set_objective(model: Model) -> None:
    scn, arc = model.scenario, model.arcs
    c = cost_coefficients(scn)
    v = model.var
    pairs = [(x, float(c["dc"][i])) for i, x in enumerate(v["cap"])]
    for k in TECHS:
        pairs += [(x, float(c[k][i])) for i, x in enumerate(v["re"][k])]
    if scn.storage:
        pairs += [(x, float(c["battery_power"][i])) for i, x in enumerate(v["battery_mw"])]
        pairs += [(x, float(c["battery_energy"][i])) for i, x in enumerate(v["battery_mwh"])]
    if "certificate" in v:
        pairs += [(x, float(c["certificate"][i])) for i, x in enumerate(v["certificate"])]
    if "import" in v:
        pairs += [(x, float(cost)) for x, cost in zip(v["import"], import_cost(model))]
    if "absorbed" in v:  # a Benders master prices absorbed energy in its sites' subproblems
        price = scn.curtailed_energy_price_cny_per_kwh * 1000.0 * model.slices.weight_h
        for slices in v["absorbed"]:
            if slices is not None:
                pairs += [(u, float(p)) for u, p in zip(slices, price)]
    # grid energy: price and carbon on the annual total while the price is flat;
    # with hourly prices per slice (direct LP); in a Benders master whose sites
    # minimise their bill (siting.model.subproblem) the bill is a variable of
    # its own, carrying the carbon price too unless a policy reads the grid
    # energy (then the sites' energy is a budget the master sets). Every
    # grid_energy column stays in the objective (a master needs them all).
    if model.master and cost_mode(scn):
        carbon = c["carbon"] if reads_grid_energy(scn) else np.zeros(len(c["carbon"]))
        pairs += [(g, float(carbon[i])) for i, g in enumerate(v["grid_energy"])]
        pairs += [(x, 1.0) for x in v["grid_cost"]]
    elif scn.tou_tariffs:
        pairs += [(g, float(c["carbon"][i])) for i, g in enumerate(v["grid_energy"])]
        price = slice_prices(model) * model.slices.weight_h[None, :]
        for i, grid in enumerate(v["grid"]):
            pairs += [(g, float(p)) for g, p in zip(grid, price[i]) if p != 0]
    else:
        pairs += [(g, float(c["energy"][i] + c["carbon"][i])) for i, g in enumerate(v["grid_energy"])]
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
