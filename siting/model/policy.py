"""The switchable policy rows: green shares, western share, water, emissions, grid limits, site opening.

Each family is one function that does nothing when its policy is off. In the
policy-elastic diagnosis (``build(..., elastic="policy")``) every row gets a
penalised slack (:func:`~siting.model.core.elastic_slack`), whose value says
by how much the policy cannot be met.
"""

from __future__ import annotations

import numpy as np
import pulp

from siting.model.core import Model, add_rows, elastic_slack, row, site_loads
from siting.timeseries import HOURS_PER_YEAR

__all__ = ["add_certificate_limits", "add_green_share", "add_site_green_share", "add_west_share", "add_water", "add_emissions_cap",
           "add_grid_limits", "add_site_opening", "emission_terms", "energy_terms"]


def energy_terms(model: Model, sites_mask: np.ndarray, share: float) -> list:
    """Pairs of ``green energy - share * facility energy`` over ``sites_mask`` [MWh/yr].

    Facility energy is ``E = PUE * 8760 * load``; contracted renewables
    (directly or through the battery) supply ``E - G`` net of battery
    losses, with ``G = sum_t h g`` the annual grid energy; the grid's
    renewable share ``rs`` counts too: ``green = E - (1 - rs) G``. With
    annual matching the site's certificates count as well.
    """
    scn = model.scenario
    rs = scn.sites["grid_renewable_share"].to_numpy()
    pue = scn.site_pue.to_numpy()
    pairs = []
    for i, per_site in enumerate(site_loads(model)):
        if not sites_mask[i]:
            continue
        pairs.append((model.var["grid_energy"][i], -float(1.0 - rs[i])))
        if "certificate" in model.var:
            pairs.append((model.var["certificate"][i], 1.0))
        coef = float((1.0 - share) * pue[i] * HOURS_PER_YEAR)
        pairs += [(model.var["load"][j], coef) for j, _ in per_site]
    return pairs

def add_certificate_limits(model: Model) -> None:
    """Certificates cover at most the fossil part of a site's grid energy: ``cert <= (1 - rs) G``."""
    if "certificate" not in model.var:
        return
    rs = model.scenario.sites["grid_renewable_share"].to_numpy()
    rows = [
        row([(cert, 1.0), (g, -float(1.0 - rs[i]))], pulp.LpConstraintLE, f"certificate_{i}")
        for i, (cert, g) in enumerate(zip(model.var["certificate"], model.var["grid_energy"]))
    ]
    add_rows(model, "certificate_limit", rows, list(model.scenario.sites.index))

def add_green_share(model: Model) -> None:
    scn = model.scenario
    if scn.green_share_min is None:
        return
    pairs = energy_terms(model, np.ones(len(scn.sites), dtype=bool), scn.green_share_min)
    pairs += elastic_slack(model, "green_share_min")
    add_rows(model, "green_share_min", [row(pairs, pulp.LpConstraintGE, "green_share_min")], ["national"])

def add_site_green_share(model: Model) -> None:
    scn = model.scenario
    if scn.site_green_share_min is None:
        return
    hub = scn.sites["hub"].notna().to_numpy() if "hub" in scn.sites.columns else np.ones(len(scn.sites), bool)
    rows, keys = [], []
    for i, site in enumerate(scn.sites.index):
        if not hub[i]:
            continue
        mask = np.zeros(len(scn.sites), dtype=bool)
        mask[i] = True
        pairs = energy_terms(model, mask, scn.site_green_share_min)
        pairs += elastic_slack(model, f"site_green_share_min_{i}")
        rows.append(row(pairs, pulp.LpConstraintGE, f"sitegreen_{i}"))
        keys.append(site)
    add_rows(model, "site_green_share_min", rows, keys)

def add_west_share(model: Model) -> None:
    scn = model.scenario
    if scn.west_share_min is None:
        return
    x = scn.west_share_min
    west = (scn.sites["role"] == "west").to_numpy()
    pairs = [(c, (1.0 - x) if west[i] else -x) for i, c in enumerate(model.var["cap"])]
    pairs += elastic_slack(model, "west_share_min")
    add_rows(model, "west_share_min", [row(pairs, pulp.LpConstraintGE, "west_share_min")], ["national"])

def water_pairs(model: Model, i: int, per_site) -> list:
    wue = float(model.scenario.sites["wue_l_per_kwh"].iat[i])
    # WUE [L/kWh IT] * 8760 h * load [MW] * 1000 kWh/MWh / 1000 L/m3 = m3/yr
    return [(model.var["load"][j], wue * HOURS_PER_YEAR) for j, _ in per_site]

def add_water(model: Model) -> None:
    scn = model.scenario
    per_site = site_loads(model)
    if scn.water_limits and "water_m3_max" in scn.sites.columns:
        rows, keys = [], []
        for i, (site, limit) in enumerate(scn.sites["water_m3_max"].items()):
            if np.isnan(limit):
                continue
            pairs = water_pairs(model, i, per_site[i])
            pairs += [(v, -1.0) for v, _ in elastic_slack(model, f"water_{i}")]
            rows.append(row(pairs, pulp.LpConstraintLE, f"water_{i}", float(limit)))
            keys.append(site)
        add_rows(model, "water_m3_max_site", rows, keys)
    if scn.water_m3_max is not None:
        pairs = [p for i in range(len(per_site)) for p in water_pairs(model, i, per_site[i])]
        pairs += [(v, -1.0) for v, _ in elastic_slack(model, "water_m3_max")]
        add_rows(model, "water_m3_max", [row(pairs, pulp.LpConstraintLE, "water_m3_max", float(scn.water_m3_max))],
             ["national"])

def emission_terms(model: Model) -> list:
    r"""Pairs of national emissions from grid power [tCO2/yr].

    :math:`\sum_s EF_s G_s`, with :math:`EF_s` the site's
    ``grid_ef_t_co2_per_mwh`` [tCO2/MWh] and :math:`G_s` its annual grid
    energy [MWh/yr].
    """
    ef = model.scenario.sites["grid_ef_t_co2_per_mwh"].to_numpy()
    return [(g, float(ef[i])) for i, g in enumerate(model.var["grid_energy"]) if ef[i] > 0]

def add_emissions_cap(model: Model) -> None:
    scn = model.scenario
    if scn.emissions_t_max is None:
        return
    pairs = emission_terms(model)
    pairs += [(v, -1.0) for v, _ in elastic_slack(model, "emissions_t_max")]
    add_rows(model, "emissions_t_max", [row(pairs, pulp.LpConstraintLE, "emissions_t_max", float(scn.emissions_t_max))],
         ["national"])

def add_grid_limits(model: Model) -> None:
    """Grid import limits as rows with a slack, in the policy-elastic diagnosis only.

    Otherwise the limits are upper bounds of the grid variables.
    """
    scn = model.scenario
    if model.elastic != "policy" or not scn.grid_limits or "grid_mw_max" not in scn.sites.columns:
        return
    rows, keys = [], []
    for i, (site, limit) in enumerate(scn.sites["grid_mw_max"].items()):
        if np.isnan(limit):
            continue
        slack = elastic_slack(model, f"grid_limit_{i}")
        for t, g in enumerate(model.var["grid"][i]):
            rows.append(row([(g, 1.0)] + [(v, -1.0) for v, _ in slack], pulp.LpConstraintLE, f"gridlimit_{i}_{t}", float(limit)))
            keys.append((site, t))
    add_rows(model, "grid_limits", rows, keys)

def add_site_opening(model: Model) -> None:
    scn = model.scenario
    if not scn.integer:
        return
    cap_max = scn.sites["it_capacity_max_mw"].to_numpy()
    rows_max, rows_min, keys = [], [], []
    for i, site in enumerate(scn.sites.index):
        cap, is_open = model.var["cap"][i], model.var["open"][i]
        rows_max.append(row([(cap, 1.0), (is_open, -float(cap_max[i]))], pulp.LpConstraintLE, f"open_max_{i}"))
        rows_min.append(row([(cap, 1.0), (is_open, -float(scn.site_min_it_mw))], pulp.LpConstraintGE, f"open_min_{i}"))
        keys.append(site)
    add_rows(model, "open_max", rows_max, keys)
    add_rows(model, "open_min", rows_min, list(keys))
