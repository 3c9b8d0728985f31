"""Result of a solve: plain DataFrames and a summary, picklable, no solver objects."""

from __future__ import annotations

import importlib.util
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from siting.errors import InputError
from siting.model import TECHS, Model, cost_coefficients
from siting.scenario import Scenario
from siting.timeseries import HOURS_PER_YEAR

__all__ = ["Result"]

_SITE_INFO = ("province", "lat", "lon", "role", "kind", "hub", "local_only")


@dataclass(frozen=True, eq=False)
class Result:
    """Solution of one scenario.

    Attributes
    ----------
    scenario : Scenario
        The inputs that were solved.
    status : str
        ``"optimal"`` or ``"time_limit"`` (feasible, not proven optimal).
    objective_cny : float
        Total annual cost [CNY/yr].
    allocation : pandas.DataFrame
        One row per served (origin, site, workload): ``it_mw`` [MW],
        ``rtt_ms`` [ms], ``distance_km`` [km], ``it_energy_mwh`` and
        ``energy_mwh`` (facility, with PUE) [MWh/yr].
    sites : pandas.DataFrame
        Per site: ``it_capacity_mw``, ``it_load_mw`` [MW], ``energy_mwh``
        (facility), ``grid_mwh``, ``renewable_mwh`` (contracted renewables
        used), ``curtailed_mwh`` [MWh/yr], ``solar_mw``, ``wind_mw`` [MW],
        cost components ``capex_cny``, ``solar_cny``, ``wind_cny``,
        ``energy_cny``, ``carbon_cny``, ``network_cny``, ``total_cny``
        [CNY/yr], ``emissions_t`` [tCO2/yr], ``water_m3`` [m3/yr],
        ``green_share`` [0..1], ``pue`` [-].
    dispatch : pandas.DataFrame
        Per site and time slice: ``weight_h`` [h], ``it_mw``, ``grid_mw``,
        ``renewable_mw``, ``renewable_available_mw``, ``flex_mw`` [MW].
    summary : pandas.Series
        Totals: cost by component [CNY/yr], energy [MWh/yr], emissions
        [tCO2/yr], water [m3/yr], green and western shares [0..1], and
        demand-weighted mean and max RTT per class [ms].
    duals : pandas.DataFrame
        Marginal costs: ``marginal_cny_per_mw_year`` of serving one more MW
        per (origin, workload), and shadow prices of binding policy rows
        (``kind == "policy"``) in the units named in ``unit``.
    timings : dict
        ``build_s`` and ``solve_s`` [s].
    """

    scenario: Scenario
    status: str
    objective_cny: float
    allocation: pd.DataFrame
    sites: pd.DataFrame
    dispatch: pd.DataFrame
    summary: pd.Series
    duals: pd.DataFrame
    solver: str = "highs"
    timings: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"Result({self.scenario.name!r}, status={self.status!r}, cost={s['cost_total_cny'] / 1e9:,.2f} bn CNY/yr, "
            f"emissions={s['emissions_t'] / 1e6:,.2f} Mt/yr, green_share={s['green_share']:.1%}, "
            f"west_share={s['west_share']:.1%})"
        )

    @property
    def ok(self) -> bool:
        """True when the result is proven optimal."""
        return self.status == "optimal"

    # ------------------------------------------------------------ extraction
    @classmethod
    def from_model(
        cls, model: Model, status: str, solver: str, timings: dict[str, float], dispatch: dict | None = None
    ) -> Result:
        """Read a solved :class:`~siting.model.Model` into plain tables.

        ``dispatch`` holds the per-slice ``grid`` and ``flex`` arrays [MW]
        of a Benders master (:mod:`siting.decomposition`), whose model has
        no per-slice variables.
        """
        scn = model.scenario
        v = model.var
        values = _values
        a = values(v["a"])
        cap = values(v["cap"])
        re = {k: values(v["re"][k]) for k in TECHS}
        T = len(model.slices)
        if model.master:
            grid, flex = dispatch["grid"], dispatch["flex"]
        else:
            grid = np.array([values(g) for g in v["grid"]])
            flex = np.array([values(f) if f is not None else np.zeros(T) for f in v["flex"]])
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
        # renewables are used first; the grid covers the rest (see siting.model)
        green = np.maximum(pue[:, None] * it - grid, 0.0)

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
        avail = np.zeros_like(grid)
        for i, site in enumerate(scn.sites.index):
            avail[i] = sum(re[k][i] * cfs[f"{site}|{k}"].to_numpy() for k in TECHS)
        grid_mwh = grid @ h
        green_mwh = green @ h
        avail_mwh = avail @ h
        c = cost_coefficients(scn)
        net_unit = (
            model.arcs["distance_km"].to_numpy() * scn.network_cost_cny_per_mw_km_year
            + model.arcs["rtt_ms"].to_numpy() * scn.latency_penalty_cny_per_mw_ms_year
        )
        network = pd.Series(a * net_unit).groupby(model.arcs["site"].to_numpy()).sum()
        rs = scn.sites["grid_renewable_share"].to_numpy()
        info = [c_ for c_ in _SITE_INFO if c_ in scn.sites.columns]
        sites = scn.sites[info].copy()
        sites["it_capacity_mw"] = cap
        sites["it_load_mw"] = it_load
        sites["it_energy_mwh"] = it_load * HOURS_PER_YEAR
        sites["energy_mwh"] = grid_mwh + green_mwh
        sites["grid_mwh"] = grid_mwh
        sites["renewable_mwh"] = green_mwh
        sites["curtailed_mwh"] = np.maximum(avail_mwh - green_mwh, 0.0)
        sites["solar_mw"] = re["solar"]
        sites["wind_mw"] = re["wind"]
        sites["capex_cny"] = cap * c["dc"]
        sites["solar_cny"] = re["solar"] * c["solar"]
        sites["wind_cny"] = re["wind"] * c["wind"]
        sites["energy_cny"] = grid_mwh * c["energy"]
        sites["carbon_cny"] = grid_mwh * c["carbon"]
        sites["network_cny"] = network.reindex(scn.sites.index, fill_value=0.0).to_numpy()
        sites["fixed_cny"] = (
            values(v["open"]) * scn.site_fixed_cost_cny_per_year if scn.integer else np.zeros(len(cap))
        )
        cost_cols = ["capex_cny", "solar_cny", "wind_cny", "energy_cny", "carbon_cny", "network_cny", "fixed_cny"]
        sites["total_cny"] = sites[cost_cols].sum(axis=1)
        sites["emissions_t"] = grid_mwh * scn.sites["grid_ef_t_co2_per_mwh"].to_numpy()
        sites["water_m3"] = sites["it_energy_mwh"] * scn.sites["wue_l_per_kwh"].to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            sites["green_share"] = np.where(
                sites["energy_mwh"] > 0, (green_mwh + rs * grid_mwh) / sites["energy_mwh"], np.nan
            )
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
            }
        )
        summary = _summary(scn, sites, alloc, cost_cols)
        # a Benders master's objective is the lower bound; report the cost of
        # the solution with its exact hourly dispatch instead
        objective = summary["cost_total_cny"] if model.master else float(model.problem.objective.value())
        duals = _duals(model, summary) if not scn.integer else pd.DataFrame(columns=["kind", "key", "value", "unit"])
        return cls(
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
        )

    # ------------------------------------------------------------ output
    def to_geodataframes(self):
        """Sites as points and served flows as lines, for GIS tools.

        Returns
        -------
        sites, flows : geopandas.GeoDataFrame
            EPSG:4326. ``sites`` is :attr:`sites` with point geometries;
            ``flows`` is :attr:`allocation` with a line from the origin
            (its provincial capital) to the site.
        """
        import geopandas as gpd
        from shapely import LineString

        scn = self.scenario
        sites = gpd.GeoDataFrame(
            self.sites, geometry=gpd.points_from_xy(self.sites["lon"], self.sites["lat"]), crs=4326
        )
        from siting import datasets

        prov = datasets.provinces()
        origin_xy = prov.reindex(self.allocation["origin"])[["lon", "lat"]].to_numpy()
        site_xy = scn.sites.reindex(self.allocation["site"])[["lon", "lat"]].to_numpy()
        lines = [LineString([tuple(a), tuple(b)]) for a, b in zip(origin_xy, site_xy)]
        flows = gpd.GeoDataFrame(self.allocation, geometry=lines, crs=4326)
        return sites, flows

    def to_dir(self, path: str | Path, maps: bool = True) -> Path:
        """Write the result to a folder.

        Writes ``allocation.csv``, ``sites.csv``, ``dispatch.csv``,
        ``duals.csv``, ``summary.csv``, ``result.yaml`` (status, solver,
        objective, timings), ``result.gpkg`` (layers ``sites`` and
        ``flows`` for GIS tools), the scenario (``scenario.yaml`` and its
        tables) and, with ``maps=True``, ``map.png`` and, when
        folium is installed (``siting[interactive]``), ``map.html``
        (:mod:`siting.maps`); without folium a warning says the HTML map
        was skipped.

        Parameters
        ----------
        path : str or Path
            Output folder (created if needed).
        maps : bool
            Also draw the static and interactive maps.

        Returns
        -------
        pathlib.Path
            The folder.
        """
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        self.allocation.to_csv(out / "allocation.csv", index=False)
        self.sites.to_csv(out / "sites.csv")
        self.dispatch.to_csv(out / "dispatch.csv", index=False)
        self.duals.to_csv(out / "duals.csv", index=False)
        self.summary.rename("value").to_csv(out / "summary.csv", index_label="metric")
        meta = {"status": self.status, "solver": self.solver, "objective_cny": float(self.objective_cny),
                "timings": {k: float(v) for k, v in self.timings.items()}}
        (out / "result.yaml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
        sites, flows = self.to_geodataframes()
        gpkg = out / "result.gpkg"
        gpkg.unlink(missing_ok=True)
        sites.reset_index().to_file(gpkg, layer="sites", driver="GPKG")
        if len(flows):
            flows.to_file(gpkg, layer="flows", driver="GPKG")
        self.scenario.to_yaml(out / "scenario.yaml")
        if maps:
            from siting import maps as _maps

            _maps.save(self, out / "map.png")
            if importlib.util.find_spec("folium") is None:
                warnings.warn(
                    "map.html not written: the interactive map needs folium "
                    '(pip install "siting[interactive]")',
                    RuntimeWarning,
                    stacklevel=2,
                )
            else:
                _maps.explore(self).save(str(out / "map.html"))
        return out


    @classmethod
    def from_dir(cls, path: str | Path) -> Result:
        """Read a result folder written by :meth:`to_dir`, exactly as solved.

        Nothing is re-solved: the scenario comes from ``scenario.yaml``,
        the solution from the CSV tables and ``result.yaml``.

        Parameters
        ----------
        path : str or Path
            The folder.

        Returns
        -------
        Result

        Raises
        ------
        InputError
            If the folder or one of its files is missing.
        """
        folder = Path(path)
        if not folder.is_dir():
            raise InputError(f"{folder}: no such folder (expected a folder written by Result.to_dir)")
        missing = [f for f in RESULT_FILES if not (folder / f).is_file()]
        if missing:
            raise InputError(f"{folder}: not a result folder written by Result.to_dir (no {missing[0]})")
        meta = yaml.safe_load((folder / "result.yaml").read_text(encoding="utf-8")) or {}
        summary = pd.read_csv(folder / "summary.csv", index_col="metric")["value"].astype(float)
        summary.index.name = None
        scn = Scenario.from_yaml(folder / "scenario.yaml")
        return cls(
            scenario=scn,
            status=str(meta.get("status", "unknown")),
            objective_cny=float(meta.get("objective_cny", summary["cost_total_cny"])),
            allocation=pd.read_csv(folder / "allocation.csv"),
            sites=pd.read_csv(folder / "sites.csv", index_col="site"),
            dispatch=pd.read_csv(folder / "dispatch.csv"),
            summary=summary.rename(scn.name),
            duals=pd.read_csv(folder / "duals.csv"),
            solver=str(meta.get("solver", "highs")),
            timings=dict(meta.get("timings", {})),
        )


#: Files :meth:`Result.to_dir` always writes and :meth:`Result.from_dir` reads.
RESULT_FILES = ("allocation.csv", "sites.csv", "dispatch.csv", "duals.csv", "summary.csv", "result.yaml", "scenario.yaml")


def _values(variables: list) -> np.ndarray:
    return np.array([x.varValue or 0.0 for x in variables], dtype=float)


def _summary(scn: Scenario, sites: pd.DataFrame, alloc: pd.DataFrame, cost_cols: list[str]) -> pd.Series:
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
    s["emissions_t"] = float(sites["emissions_t"].sum())
    s["water_m3"] = float(sites["water_m3"].sum())
    rs = scn.sites["grid_renewable_share"].to_numpy()
    green = float((sites["renewable_mwh"] + rs * sites["grid_mwh"]).sum())
    s["green_share"] = green / s["energy_mwh"] if s["energy_mwh"] > 0 else float("nan")
    s["contracted_renewable_share"] = s["renewable_mwh"] / s["energy_mwh"] if s["energy_mwh"] > 0 else float("nan")
    west = sites["role"] == "west"
    s["west_share"] = float(sites.loc[west, "it_capacity_mw"].sum() / max(s["it_capacity_mw"], 1e-12))
    s["west_load_share"] = float(sites.loc[west, "it_load_mw"].sum() / max(sites["it_load_mw"].sum(), 1e-12))
    s["mean_pue"] = s["energy_mwh"] / s["it_energy_mwh"] if s["it_energy_mwh"] > 0 else float("nan")
    s["cost_cny_per_mwh_it"] = s["cost_total_cny"] / s["it_energy_mwh"] if s["it_energy_mwh"] > 0 else float("nan")
    for w in scn.workloads.index:
        part = alloc[alloc["workload"] == w]
        mw = part["it_mw"].sum()
        s[f"rtt_mean_ms_{w}"] = float((part["it_mw"] * part["rtt_ms"]).sum() / mw) if mw > 0 else float("nan")
        s[f"rtt_max_ms_{w}"] = float(part["rtt_ms"].max()) if mw > 0 else float("nan")
        west_w = part["site"].map(sites["role"]) == "west"
        s[f"west_share_{w}"] = float(part.loc[west_w, "it_mw"].sum() / mw) if mw > 0 else float("nan")
    return pd.Series(s, name=scn.name, dtype=float)


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
