"""Read a solved model into plain tables: allocation, sites, dispatch, duals and summary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from siting.model.core import TECHS, Model
from siting.model.grid_solution import absorbed_power, available_power, corridor_table, site_grid_columns
from siting.model.objective import arc_unit_cost, cost_coefficients, slice_prices
from siting.result import Result
from siting.result.summary import SITE_INFO, summarise
from siting.timeseries import HOURS_PER_YEAR

__all__ = ["read_solution"]


def read_solution(
    model: Model, status: str, solver: str, timings: dict[str, float], dispatch: dict | None = None,
    method: str = "direct",
) -> Result:
    """Read a solved :class:`~siting.model.core.Model` into a :class:`~siting.result.Result`.

    Parameters
    ----------
    model : Model
        Solved in place (direct LP or Benders master).
    status : str
        ``"optimal"`` or ``"time_limit"``.
    solver : str
    timings : dict
        [s], stored in :attr:`Result.timings`.
    method : {"direct", "benders"}
        How the model was solved, stored in :attr:`Result.method`.
    dispatch : dict, optional
        The per-slice ``grid`` and ``flex`` arrays [MW] of a Benders master
        (:func:`~siting.model.benders.evaluate`), whose model has no
        per-slice variables.
    """
    scn = model.scenario
    v = model.var
    a = values(v["a"])
    cap = values(v["cap"])
    re = {k: values(v["re"][k]) for k in TECHS}
    T = len(model.slices)
    S = len(scn.sites)
    zeros = np.zeros((S, T))
    if model.master:
        grid, flex = dispatch["grid"], dispatch["flex"]
        charge, discharge, soc = (dispatch.get(k, zeros) for k in ("charge", "discharge", "soc"))
    else:
        grid = np.array([values(g) for g in v["grid"]])
        flex = np.array([values(f) if f is not None else np.zeros(T) for f in v["flex"]])
        charge, discharge, soc = (
            (np.array([values(x) for x in v[k]]) for k in ("charge", "discharge", "soc")) if scn.storage
            else (zeros, zeros, zeros)
        )
    h = model.slices.weight_h
    pue = scn.site_pue.to_numpy()
    cfs = model.slices.values
    loads = values(v["load"])
    flexible = set(scn.workloads.index[scn.workloads["flexible"]])
    it = flex.copy()
    pos = {site: i for i, site in enumerate(scn.sites.index)}
    for j, (site, w) in enumerate(model.load_index.itertuples(index=False)):
        if w not in flexible:
            it[pos[site]] += loads[j] * cfs[f"load|{w}"].to_numpy()
    # renewables are used first; the grid covers the rest (see siting.model.capacity).
    # The grid row is a lower bound, so where grid energy costs nothing (price and
    # carbon price zero) the direct LP may draw more than the site uses; drawing
    # exactly the shortfall is an equally cheap solution that meets every policy
    # at least as well, and it is the one reported.
    facility = pue[:, None] * it
    need = np.maximum(facility + charge - discharge, 0.0)
    grid = np.minimum(grid, need)
    green = need - grid  # renewables used, by the facility and the battery
    facility_green = facility - grid * (1.0 - scn.sites["grid_renewable_share"].to_numpy()[:, None])

    alloc = model.arcs.drop(columns="it_mw").assign(it_mw=a)
    alloc = alloc[alloc["it_mw"] > 1e-9].reset_index(drop=True)
    site_pue = scn.site_pue.reindex(alloc["site"]).to_numpy()
    alloc["it_energy_mwh"] = alloc["it_mw"] * HOURS_PER_YEAR
    alloc["energy_mwh"] = alloc["it_energy_mwh"] * site_pue
    alloc = alloc[["origin", "site", "workload", "it_mw", "rtt_ms", "distance_km", "it_energy_mwh", "energy_mwh"]]

    it_load = (
        pd.Series(loads, index=pd.MultiIndex.from_frame(model.load_index))
        .groupby(level="site")
        .sum()
        .reindex(scn.sites.index, fill_value=0.0)
        .to_numpy()
    )
    absorbed = absorbed_power(model, dispatch)
    avail = available_power(model, absorbed)
    grid_columns = site_grid_columns(model, absorbed)
    grid_mwh = grid @ h
    green_mwh = green @ h
    avail_mwh = avail @ h
    c = cost_coefficients(scn)
    battery_mw = values(v["battery_mw"]) if scn.storage else np.zeros(S)
    battery_mwh = values(v["battery_mwh"]) if scn.storage else np.zeros(S)
    certificate = values(v["certificate"]) if "certificate" in v else np.zeros(S)
    net_unit = arc_unit_cost(scn, model.arcs)
    network = pd.Series(a * net_unit).groupby(model.arcs["site"].to_numpy()).sum()
    info = [c_ for c_ in SITE_INFO if c_ in scn.sites.columns]
    sites = scn.sites[info].copy()
    sites["it_capacity_mw"] = cap
    cap_max = scn.sites["it_capacity_max_mw"].to_numpy()
    sites["it_capacity_max_mw"] = cap_max
    sites["capacity_binds"] = cap >= cap_max * (1.0 - 1e-7) - 1e-6
    sites["it_load_mw"] = it_load
    sites["it_energy_mwh"] = it_load * HOURS_PER_YEAR
    sites["energy_mwh"] = facility @ h
    sites["grid_mwh"] = grid_mwh
    sites["renewable_mwh"] = green_mwh
    sites["curtailed_mwh"] = np.maximum(avail_mwh - green_mwh, 0.0)
    sites["solar_mw"] = re["solar"]
    sites["wind_mw"] = re["wind"]
    sites["battery_mw"] = battery_mw
    sites["battery_mwh"] = battery_mwh
    sites["charge_mwh"] = charge @ h
    sites["discharge_mwh"] = discharge @ h
    sites["certificate_mwh"] = certificate
    sites["capex_cny"] = cap * c["dc"]
    sites["solar_cny"] = re["solar"] * c["solar"]
    sites["wind_cny"] = re["wind"] * c["wind"]
    sites["battery_cny"] = battery_mw * c["battery_power"] + battery_mwh * c["battery_energy"]
    sites["certificate_cny"] = certificate * c["certificate"]
    for col, value in grid_columns.items():
        sites[col] = value
    sites["energy_cny"] = (slice_prices(model) * grid) @ h
    sites["carbon_cny"] = grid_mwh * c["carbon"]
    sites["network_cny"] = network.reindex(scn.sites.index, fill_value=0.0).to_numpy()
    sites["fixed_cny"] = (
        values(v["open"]) * scn.site_fixed_cost_cny_per_year if scn.integer else np.zeros(len(cap))
    )
    cost_cols = ["capex_cny", "solar_cny", "wind_cny", "battery_cny", "corridor_cny", "energy_cny", "carbon_cny",
                 "certificate_cny", "curtailment_cny", "network_cny", "fixed_cny"]
    sites["total_cny"] = sites[cost_cols].sum(axis=1)
    sites["emissions_t"] = grid_mwh * scn.sites["grid_ef_t_co2_per_mwh"].to_numpy()
    sites["water_m3"] = sites["it_energy_mwh"] * scn.sites["wue_l_per_kwh"].to_numpy()
    green_hourly = facility_green @ h
    with np.errstate(invalid="ignore", divide="ignore"):
        energy = sites["energy_mwh"].to_numpy()
        sites["green_share"] = np.where(energy > 0, green_hourly / energy, np.nan)
        sites["green_share_annual"] = np.where(energy > 0, (green_hourly + certificate) / energy, np.nan)
    sites["pue"] = pue
    if scn.integer:
        sites["open"] = values(v["open"]).round()

    dispatch = pd.DataFrame(
        {
            "site": np.repeat(scn.sites.index.to_numpy(), T),
            "slice": np.tile(np.arange(T), len(cap)),
            "weight_h": np.tile(h, len(cap)),
            "it_mw": it.ravel(),
            "grid_mw": grid.ravel(),
            "renewable_mw": green.ravel(),
            "renewable_available_mw": avail.ravel(),
            "flex_mw": flex.ravel(),
            "charge_mw": charge.ravel(),
            "discharge_mw": discharge.ravel(),
            "soc_mwh": soc.ravel(),
            "absorbed_mw": absorbed.ravel(),
        }
    )
    corridors = corridor_table(model)
    summary = summarise(scn, sites, alloc, cost_cols, corridors, curtailed_mwh(model))
    summary.attrs["method"] = method
    # a Benders master's objective is the lower bound; report the cost of
    # the solution with its exact hourly dispatch instead
    objective = summary["cost_total_cny"] if model.master else float(model.problem.objective.value())
    duals = _duals(model, summary) if not scn.integer else pd.DataFrame(columns=["kind", "key", "value", "unit"])
    return Result(
        scenario=scn,
        status=status,
        objective_cny=objective,
        allocation=alloc,
        sites=sites,
        dispatch=dispatch,
        summary=summary,
        duals=duals,
        solver=solver,
        timings=dict(timings),
        method=method,
        corridors=corridors,
    )


def curtailed_mwh(model: Model) -> float:
    """Curtailed energy of the provinces whose sites may absorb it [MWh/yr]."""
    values, h = model.slices.values, model.slices.weight_h
    return float(sum(peak * values[f"curt|{p}"].to_numpy() @ h for p, peak in model.curtailment_peaks.items()))


def values(variables: list) -> np.ndarray:
    return np.array([x.varValue or 0.0 for x in variables], dtype=float)


def _duals(model: Model, summary: pd.Series) -> pd.DataFrame:
    """Marginal costs in user units from the LP row duals."""
    rows = []
    for (origin, workload), c in zip(model.keys["demand"], model.rows["demand"]):
        rows.append(
            {"kind": "demand", "key": f"{origin}/{workload}", "value": float(c.pi or 0.0), "unit": "CNY per MW-yr"}
        )
    energy = summary["energy_mwh"]
    # the share rows read `green - share * energy >= 0`: one point of share
    # moves the row by 1 % of the energy (or capacity) it is measured on
    policy_scale = {
        "green_share_min": (energy * 0.01, "CNY per percentage point"),
        "west_share_min": (summary["it_capacity_mw"] * 0.01, "CNY per percentage point"),
        "water_m3_max": (1.0, "CNY per m3"),
        "water_m3_max_site": (1.0, "CNY per m3"),
        "emissions_t_max": (1.0, "CNY per t CO2"),
    }
    for family, (scale, unit) in policy_scale.items():
        for key, c in zip(model.keys.get(family, []), model.rows.get(family, [])):
            rows.append({"kind": "policy", "key": f"{family}:{key}", "value": abs(float(c.pi or 0.0)) * scale, "unit": unit})
    for key, c in zip(model.keys.get("site_green_share_min", []), model.rows.get("site_green_share_min", [])):
        rows.append(
            {"kind": "policy", "key": f"site_green_share_min:{key}", "value": abs(float(c.pi or 0.0)), "unit": "CNY per MWh of green energy"}
        )
    cap_dj = [float(x.dj or 0.0) for x in model.var["cap"]]
    for site, dj in zip(model.scenario.sites.index, cap_dj):
        rows.append({"kind": "capacity", "key": site, "value": -dj, "unit": "CNY per MW-yr of extra site capacity"})
    return pd.DataFrame(rows)
