"""Scenario: every input of one siting study as one immutable value.

A :class:`Scenario` holds the tables (candidate sites, demand by origin and
workload class, workload classes, the origin × site RTT matrix, hourly
renewable and load profiles) and the economic and policy parameters. It is
validated when created, so a scenario that exists is one the model can be
built from; :meth:`Scenario.replace` returns a new, re-validated scenario.

Presets (:meth:`Scenario.preset`, :func:`presets`):

``all-sites``
    Every candidate site (10 national clusters and 31 capitals) may serve any
    province.
``east-data-west-computing``
    The 10 national clusters serve the nation under their hub rules (PUE
    caps); each provincial capital stays available as a *local edge* site
    that serves only its own province.
``east-only``
    The clusters of the eastern (demand-side) hubs and the capitals of the
    NBS eastern provinces serve the nation; the other capitals are local
    edge sites only. The counterfactual of building the new capacity where
    the users are.

Keeping a local edge in every province is what keeps the latency-critical
class feasible everywhere: no cluster is within a 20 ms round trip of
Urumqi or Lhasa.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from siting import datasets, network
from siting import demand as dm
from siting._validation import Column, check_known, check_table
from siting.errors import InputError
from siting.timeseries import HOURS_PER_YEAR

__all__ = ["Scenario", "presets", "SCENARIO_SITE_COLUMNS", "WORKLOAD_COLUMNS", "DEMAND_COLUMNS"]

#: Site columns the model reads (after province attributes are joined in).
SCENARIO_SITE_COLUMNS: tuple[Column, ...] = (
    Column("province", "str"),
    Column("lat", "float", min=-90, max=90),
    Column("lon", "float", min=-180, max=180),
    Column("role", "str", choices=("east", "west")),
    Column("local_only", "bool", description="serves only its own province"),
    Column("pue", "float", min=1, max=3, description="power usage effectiveness [-]"),
    Column("pue_max", "float", min=1, max=3, nan_ok=True, description="policy PUE cap [-]"),
    Column("it_capacity_max_mw", "float", min=0, description="buildable IT capacity [MW]"),
    Column("electricity_price_cny_per_kwh", "float", min=0, description="grid price [CNY/kWh]"),
    Column("grid_ef_t_co2_per_mwh", "float", min=0, max=2, description="grid emission factor [tCO2/MWh]"),
    Column("grid_renewable_share", "float", min=0, max=1, description="non-fossil share of grid power [0..1]"),
    Column("wue_l_per_kwh", "float", min=0, max=20, description="water use per IT kWh [L/kWh]"),
    Column("solar_max_mw", "float", min=0, description="contractable solar capacity [MW]"),
    Column("wind_max_mw", "float", min=0, description="contractable wind capacity [MW]"),
    Column("water_m3_max", "float", min=0, required=False, nan_ok=True, description="water limit [m3/yr]"),
    Column("grid_mw_max", "float", min=0, required=False, nan_ok=True, description="grid import limit [MW]"),
)

#: Columns of :attr:`Scenario.workloads`.
WORKLOAD_COLUMNS: tuple[Column, ...] = (
    Column("rtt_max_ms", "float", min=0, nan_ok=True, description="RTT limit [ms]; NaN = none"),
    Column("flexible", "bool", description="load can move in time within the year"),
)

#: Columns of :attr:`Scenario.demand`.
DEMAND_COLUMNS: tuple[Column, ...] = (
    Column("origin", "str"),
    Column("workload", "str"),
    Column("it_mw", "float", min=0, description="average IT load [MW]"),
)

_RESOLUTIONS = ("average", "days", "hours")
_TABLES = ("sites", "demand", "workloads", "rtt_ms", "distance_km", "re_profiles", "load_profiles")
_KNOB = re.compile(r"^rtt_max_ms_(?P<workload>\w+)$")


def _is_number(value: Any) -> bool:
    """A real number (not a bool, not a string)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _annuity(rate: float, years: float) -> float:
    """Capital recovery factor [1/yr]."""
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)


@dataclass(frozen=True, eq=False)
class Scenario:
    """Inputs of one siting study.

    Parameters
    ----------
    name : str
        Label used in outputs.
    sites : pandas.DataFrame
        Candidate sites, index ``site``, columns of
        :data:`SCENARIO_SITE_COLUMNS` (coordinates [deg], ``pue`` [-],
        ``it_capacity_max_mw`` [MW], ``electricity_price_cny_per_kwh``
        [CNY/kWh], ``grid_ef_t_co2_per_mwh`` [tCO2/MWh], ``wue_l_per_kwh``
        [L/kWh], ``solar_max_mw``/``wind_max_mw`` [MW], ...).
    demand : pandas.DataFrame
        Columns ``origin``, ``workload``, ``it_mw`` [MW of average IT load].
    workloads : pandas.DataFrame
        Index ``workload``; columns ``rtt_max_ms`` [ms] (NaN = no limit)
        and ``flexible`` (bool).
    rtt_ms : pandas.DataFrame
        Round-trip time origin × site [ms].
    distance_km : pandas.DataFrame
        Great-circle distance origin × site [km] (network cost).
    re_profiles : pandas.DataFrame
        Hourly capacity factors, 8760 rows, columns ``(site, technology)``.
    load_profiles : pandas.DataFrame
        Hourly load shape of each workload class, 8760 rows, mean 1.
    resolution : {"average", "days", "hours"}
        Time slicing of the model.
    representative_days : int
        Number of representative days when ``resolution == "days"``.
    discount_rate : float
        Real discount rate for annualising capex [1/yr].
    dc_capex_cny_per_mw, dc_lifetime_years, dc_fixed_om_cny_per_mw_year : float
        Data-center facility capex [CNY per MW IT], life [yr], fixed O&M
        [CNY per MW IT per yr].
    solar_capex_cny_per_kw, solar_lifetime_years, solar_fixed_om_cny_per_kw_year : float
        Utility PV capex [CNY/kW], life [yr], fixed O&M [CNY/kW/yr].
    wind_capex_cny_per_kw, wind_lifetime_years, wind_fixed_om_cny_per_kw_year : float
        Onshore wind, as for solar.
    carbon_price_cny_per_t : float
        Price on grid emissions [CNY/tCO2].
    network_cost_cny_per_mw_km_year : float
        Cost of carrying the traffic of 1 MW of IT load over 1 km for a
        year [CNY/(MW km yr)].
    latency_penalty_cny_per_mw_ms_year : float
        Optional penalty on served load times RTT [CNY/(MW ms yr)].
    green_share_min : float, optional
        National minimum share of facility energy that is green (contracted
        renewables plus the renewable part of grid power) [0..1].
    site_green_share_min : float, optional
        The same share required at every site of a national hub [0..1].
    west_share_min : float, optional
        Minimum share of IT capacity built at western sites [0..1].
    pue_caps : bool
        Build sites to their policy PUE cap (``pue = min(pue, pue_max)``).
    water_limits : bool
        Enforce each site's ``water_m3_max`` [m3/yr].
    water_m3_max : float, optional
        National limit on data-center water use [m3/yr].
    grid_limits : bool
        Enforce each site's ``grid_mw_max`` [MW].
    emissions_t_max : float, optional
        National cap on emissions from grid power [tCO2/yr]; the
        epsilon constraint of :func:`siting.analysis.pareto`.
    integer : bool
        MILP mode: a binary ``open`` per site with a fixed cost and a
        minimum size.
    site_fixed_cost_cny_per_year : float
        Fixed cost of an open site in MILP mode [CNY/yr].
    site_min_it_mw : float
        Minimum IT capacity of an open site in MILP mode [MW].
    """

    name: str
    sites: pd.DataFrame
    demand: pd.DataFrame
    workloads: pd.DataFrame
    rtt_ms: pd.DataFrame
    distance_km: pd.DataFrame
    re_profiles: pd.DataFrame = field(repr=False)
    load_profiles: pd.DataFrame = field(repr=False)
    resolution: str = "days"
    representative_days: int = 12
    discount_rate: float = 0.06
    dc_capex_cny_per_mw: float = 0.0
    dc_lifetime_years: float = 20.0
    dc_fixed_om_cny_per_mw_year: float = 0.0
    solar_capex_cny_per_kw: float = 0.0
    solar_lifetime_years: float = 25.0
    solar_fixed_om_cny_per_kw_year: float = 0.0
    wind_capex_cny_per_kw: float = 0.0
    wind_lifetime_years: float = 20.0
    wind_fixed_om_cny_per_kw_year: float = 0.0
    carbon_price_cny_per_t: float = 0.0
    network_cost_cny_per_mw_km_year: float = 0.0
    latency_penalty_cny_per_mw_ms_year: float = 0.0
    green_share_min: float | None = None
    site_green_share_min: float | None = None
    west_share_min: float | None = None
    pue_caps: bool = True
    water_limits: bool = False
    water_m3_max: float | None = None
    grid_limits: bool = False
    emissions_t_max: float | None = None
    integer: bool = False
    site_fixed_cost_cny_per_year: float = 0.0
    site_min_it_mw: float = 0.0

    # ------------------------------------------------------------------ checks
    def __post_init__(self) -> None:
        s = self._check_tables()
        for name, value in s.items():
            object.__setattr__(self, name, value)
        self._check_parameters()

    def _check_tables(self) -> dict[str, Any]:
        sites = check_table(self.sites, SCENARIO_SITE_COLUMNS, "sites", index="site")
        sites.index.name = "site"
        if sites.empty:
            raise InputError("sites: the table has no rows; a scenario needs at least one candidate site")
        workloads = check_table(self.workloads, WORKLOAD_COLUMNS, "workloads", index="workload")
        workloads.index.name = "workload"
        dem = check_table(self.demand, DEMAND_COLUMNS, "demand")
        dem = dem.reset_index(drop=True)
        dup = dem.duplicated(["origin", "workload"])
        if dup.any():
            row = dem[dup].iloc[0]
            raise InputError(f"demand: origin {row.origin!r}, workload {row.workload!r} appears more than once")
        check_known(dem["workload"], workloads.index, "demand", "workload", "workload class")
        matrices = {}
        for name in ("rtt_ms", "distance_km"):
            m = self.__dict__[name]
            if not isinstance(m, pd.DataFrame):
                raise InputError(f"{name}: expected a DataFrame origin × site")
            m = m.astype(float)
            m.index = m.index.astype(str).rename("origin")
            m.columns = m.columns.astype(str).rename("site")
            check_known(dem["origin"], m.index, "demand", "origin", f"origin (no row in {name})")
            missing = sites.index.difference(m.columns)
            if len(missing):
                raise InputError(
                    f"{name}: no column for site {missing[0]!r}; build the scenario with "
                    "Scenario.from_data() to compute it, or pass a matrix that covers every site"
                )
            sub = m.loc[m.index.isin(dem["origin"]), sites.index]
            values = sub.to_numpy()
            bad = np.isnan(values) | (values < 0)
            if bad.any():
                i, j = np.argwhere(bad)[0]
                raise InputError(
                    f"{name}: row {sub.index[i]!r}, column {sub.columns[j]!r}: "
                    f"{values[i, j]:g} is missing or negative"
                )
            matrices[name] = m
        re = self.re_profiles
        if not isinstance(re, pd.DataFrame) or not isinstance(re.columns, pd.MultiIndex):
            raise InputError("re_profiles: expected a DataFrame with columns (site, technology)")
        re = datasets.profiles(re)
        missing = [(s, k) for s in sites.index for k in ("solar", "wind") if (s, k) not in re.columns]
        if missing:
            raise InputError(f"re_profiles: no column for site {missing[0][0]!r}, technology {missing[0][1]!r}")
        lp = self.load_profiles
        if not isinstance(lp, pd.DataFrame) or len(lp) != HOURS_PER_YEAR:
            raise InputError(f"load_profiles: expected a DataFrame with {HOURS_PER_YEAR} hourly rows")
        for w in workloads.index[~workloads["flexible"]]:
            if w not in lp.columns:
                raise InputError(f"load_profiles: no column for workload class {w!r}")
            col = lp[w].to_numpy(dtype=float)
            if np.isnan(col).any() or (col < 0).any():
                raise InputError(f"load_profiles: column {w!r} has a missing or negative value")
            if abs(col.mean() - 1.0) > 1e-6:
                raise InputError(f"load_profiles: column {w!r} has mean {col.mean():.6g}; expected 1")
        return {"sites": sites, "workloads": workloads, "demand": dem, "re_profiles": re, **matrices}

    def _check_parameters(self) -> None:
        if self.resolution not in _RESOLUTIONS:
            raise InputError(
                f"resolution was {self.resolution!r} but is expected to be one of {list(_RESOLUTIONS)}"
            )
        days = self.representative_days
        if (
            not _is_number(days)
            or not float(days).is_integer()
            or not 1 <= days <= 365
        ):
            raise InputError(f"representative_days must be a whole number in 1..365, got {days!r}")
        object.__setattr__(self, "representative_days", int(days))
        for name in ("pue_caps", "water_limits", "grid_limits", "integer"):
            flag = getattr(self, name)
            if not (isinstance(flag, (bool, np.bool_)) or (isinstance(flag, (int, np.integer)) and flag in (0, 1))):
                raise InputError(f"parameter {name}: {flag!r} must be true or false")
            object.__setattr__(self, name, bool(flag))
        nonneg = [f.name for f in dataclasses.fields(self) if f.type in ("float", float)]
        for name in nonneg:
            value = getattr(self, name)
            if not _is_number(value) or not np.isfinite(value) or value < 0:
                raise InputError(f"parameter {name}: {value!r} must be a finite number >= 0")
        for name in ("dc_lifetime_years", "solar_lifetime_years", "wind_lifetime_years"):
            if getattr(self, name) <= 0:
                raise InputError(f"parameter {name}: must be > 0 years")
        if self.discount_rate >= 1:
            raise InputError(f"parameter discount_rate: {self.discount_rate} is a fraction per year, must be < 1")
        for name in ("green_share_min", "site_green_share_min", "west_share_min"):
            value = getattr(self, name)
            if value is not None and not (_is_number(value) and 0 <= value <= 1):
                raise InputError(f"parameter {name}: {value!r} must be a share between 0 and 1 (or None)")
        if self.water_m3_max is not None and not (
            _is_number(self.water_m3_max) and np.isfinite(self.water_m3_max) and self.water_m3_max >= 0
        ):
            raise InputError(
                f"parameter water_m3_max: {self.water_m3_max!r} must be a finite number of m3/yr >= 0 (or None)"
            )
        if self.emissions_t_max is not None and not (
            _is_number(self.emissions_t_max) and np.isfinite(self.emissions_t_max) and self.emissions_t_max >= 0
        ):
            raise InputError(
                f"parameter emissions_t_max: {self.emissions_t_max!r} must be a finite number of tCO2/yr >= 0 (or None)"
            )

    # ------------------------------------------------------------- derived
    @property
    def parameters(self) -> dict[str, Any]:
        """Scalar parameters as a dict (everything but the tables)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in _TABLES}

    @property
    def site_pue(self) -> pd.Series:
        """PUE each site operates at [-]: its ``pue``, capped by ``pue_max``
        when :attr:`pue_caps` is on."""
        pue = self.sites["pue"]
        if self.pue_caps:
            pue = pue.where(self.sites["pue_max"].isna(), np.minimum(pue, self.sites["pue_max"]))
        return pue

    def annualised_cost(self) -> dict[str, float]:
        """Annual cost of one unit of capacity [CNY/MW/yr] for ``dc``, ``solar``, ``wind``."""
        r = self.discount_rate
        return {
            "dc": self.dc_capex_cny_per_mw * _annuity(r, self.dc_lifetime_years) + self.dc_fixed_om_cny_per_mw_year,
            "solar": 1000.0
            * (self.solar_capex_cny_per_kw * _annuity(r, self.solar_lifetime_years) + self.solar_fixed_om_cny_per_kw_year),
            "wind": 1000.0
            * (self.wind_capex_cny_per_kw * _annuity(r, self.wind_lifetime_years) + self.wind_fixed_om_cny_per_kw_year),
        }

    @property
    def total_demand_mw(self) -> float:
        """Total IT demand [MW]."""
        return float(self.demand["it_mw"].sum())

    def __repr__(self) -> str:
        return (
            f"Scenario({self.name!r}: {len(self.sites)} sites, {self.demand['origin'].nunique()} origins, "
            f"{len(self.workloads)} classes, {self.total_demand_mw:,.0f} MW IT, resolution={self.resolution!r})"
        )

    def equals(self, other: Scenario, rtol: float = 1e-9) -> bool:
        """True if both scenarios have the same tables and parameters."""
        if not isinstance(other, Scenario) or self.parameters != other.parameters:
            return False
        for name in _TABLES:
            a, b = getattr(self, name), getattr(other, name)
            if a.shape != b.shape or not a.index.equals(b.index) or not a.columns.equals(b.columns):
                return False
            for col in a.columns:
                x, y = a[col], b[col]
                if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
                    if not np.allclose(x.to_numpy(float), y.to_numpy(float), rtol=rtol, atol=0, equal_nan=True):
                        return False
                elif not x.astype(str).equals(y.astype(str)):
                    return False
        return True

    # ------------------------------------------------------------ changes
    def replace(self, **changes: Any) -> Scenario:
        """A new, re-validated scenario with some fields changed.

        Parameters
        ----------
        **changes
            Any field (``carbon_price_cny_per_t=200``, ``sites=df``, ...) and
            these shortcuts:

            - ``rtt_max_ms_<workload>``: the RTT limit of one class [ms]
              (``None`` for no limit);
            - ``demand_scale``: multiply all demand [-];
            - ``electricity_price_scale``: multiply every site's price [-];
            - ``grid_ef_scale``: multiply every site's emission factor [-];
            - ``capex_scale``: multiply data-center, solar and wind capex [-].

        Returns
        -------
        Scenario
        """
        fields = {f.name for f in dataclasses.fields(self)}
        updates: dict[str, Any] = {}
        workloads = sites = dem = None
        for key, value in changes.items():
            if key in fields:
                updates[key] = value
                continue
            m = _KNOB.match(key)
            if m:
                workloads = (workloads if workloads is not None else self.workloads).copy()
                w = m.group("workload")
                if w not in workloads.index:
                    raise InputError(f"{key}: unknown workload class {w!r}; classes are {list(workloads.index)}")
                workloads.loc[w, "rtt_max_ms"] = np.nan if value is None else float(value)
            elif key == "demand_scale":
                dem = (dem if dem is not None else self.demand).copy()
                dem["it_mw"] = dem["it_mw"] * float(value)
            elif key in ("electricity_price_scale", "grid_ef_scale"):
                col = "electricity_price_cny_per_kwh" if key == "electricity_price_scale" else "grid_ef_t_co2_per_mwh"
                sites = (sites if sites is not None else self.sites).copy()
                sites[col] = sites[col] * float(value)
            elif key == "capex_scale":
                for name in ("dc_capex_cny_per_mw", "solar_capex_cny_per_kw", "wind_capex_cny_per_kw"):
                    updates[name] = getattr(self, name) * float(value)
            else:
                raise InputError(
                    f"unknown scenario field {key!r}; fields are {sorted(fields - set(_TABLES))} "
                    "(tables: " + ", ".join(_TABLES) + "), shortcuts: rtt_max_ms_<workload>, demand_scale, "
                    "electricity_price_scale, grid_ef_scale, capex_scale"
                )
        for name, table in (("workloads", workloads), ("sites", sites), ("demand", dem)):
            if table is not None and name not in updates:
                updates[name] = table
        return dataclasses.replace(self, **updates)

    # ------------------------------------------------------------ builders
    @classmethod
    def from_data(
        cls,
        name: str = "custom",
        *,
        sites: pd.DataFrame | str | Path | None = None,
        provinces: pd.DataFrame | str | Path | None = None,
        demand: pd.DataFrame | str | Path | None = None,
        workloads: pd.DataFrame | str | Path | None = None,
        rtt_ms: pd.DataFrame | str | Path | None = None,
        re_profiles: pd.DataFrame | str | Path | None = None,
        local_only: list[str] | None = None,
        year: int = 2030,
        trajectory: str = "iea-2025-base",
        key: str | pd.Series = "population",
        cooling: str = "indirect_evaporative",
        **parameters: Any,
    ) -> Scenario:
        """Build a scenario from bundled or user tables.

        Province attributes (price, emission factor, renewable share,
        climate) are joined to the sites; PUE and WUE follow each site's
        climate (:mod:`siting.demand`); contractable solar and wind are
        bounded per site (see ``SOURCES.md``, ``parameters.csv``); RTT and
        distances are computed with :mod:`siting.network` unless ``rtt_ms``
        is given.

        Parameters
        ----------
        name : str
            Scenario label.
        sites, provinces, demand, workloads, rtt_ms, re_profiles : DataFrame or path, optional
            User tables replacing the bundled ones (validated the same way).
            ``demand`` defaults to :func:`siting.demand.provincial_demand`
            for ``year``, ``trajectory`` and ``key``.
        local_only : list of str, optional
            Sites that may serve only their own province (local edge).
        year : int
            Demand year when ``demand`` is not given.
        trajectory : str
            Demand trajectory preset when ``demand`` is not given.
        key : str or Series
            Spatial key of the demand split (``"population"``, ``"gdp"``
            or weights by province).
        cooling : str
            Cooling technology of new sites (a key of
            :data:`siting.demand.COOLING_TECHNOLOGIES`); sets each site's
            ``pue`` and ``wue_l_per_kwh`` from its climate
            (:func:`siting.demand.pue_from_climate`,
            :func:`siting.demand.wue_from_climate`), unless the site table
            gives them.
        **parameters
            Scalar fields of :class:`Scenario` (and the shortcuts of
            :meth:`replace`).

        Returns
        -------
        Scenario
        """
        prov = datasets.provinces(provinces)
        site_table = datasets.sites(sites, provinces=prov)
        classes = dm.workload_classes() if workloads is None else _read(workloads, "workloads")
        dem = (
            dm.provincial_demand(year=year, preset=trajectory, key=key, classes=classes, provinces=prov)
            if demand is None
            else _read(demand, "demand")
        )
        defaults = _default_parameters()
        shortcuts = {k: parameters.pop(k) for k in list(parameters) if k not in defaults and k not in _FIELD_NAMES}
        site_frame = _site_attributes(site_table, prov, local_only or [], cooling)
        origins = prov.loc[prov.index.isin(dem["origin"])]
        dist = network.distance_matrix(origins, site_frame)
        if rtt_ms is None:
            rtt = network.rtt_matrix(origins, site_frame)
        else:
            rtt = _read(rtt_ms, "rtt_ms", index_col=0)
        re = datasets.profiles(None if re_profiles is None else _read_profiles(re_profiles))
        re = re.loc[:, re.columns.get_level_values(0).isin(site_frame.index)]
        loads = dm.class_profiles(classes)
        params = {**defaults, **parameters}
        scn = cls(
            name=name,
            sites=site_frame,
            demand=dem,
            workloads=classes,
            rtt_ms=rtt,
            distance_km=dist,
            re_profiles=re,
            load_profiles=loads,
            **params,
        )
        return scn.replace(**shortcuts) if shortcuts else scn

    @classmethod
    def preset(cls, name: str, **changes: Any) -> Scenario:
        """A named scenario built from the bundled data.

        Parameters
        ----------
        name : {"all-sites", "east-data-west-computing", "east-only"}
            See the module docstring.
        **changes
            Passed to :meth:`from_data` (fields and shortcuts).

        Returns
        -------
        Scenario
        """
        if name not in _PRESETS:
            raise InputError(f"unknown preset {name!r}; presets are {sorted(_PRESETS)}")
        spec = _PRESETS[name]
        all_sites = datasets.sites()
        prov = datasets.provinces()
        keep, local = spec["select"](all_sites, prov)
        kwargs = {**spec.get("parameters", {}), **changes}
        return cls.from_data(name, sites=all_sites.loc[keep], local_only=local, **kwargs)

    # ------------------------------------------------------------ YAML
    def to_yaml(self, path: str | Path) -> Path:
        """Write the scenario to ``path`` (YAML) and its tables beside it.

        Tables go to ``<stem>.tables/`` as CSV (profiles gzip-compressed);
        :meth:`from_yaml` reads them back, so ``Scenario.from_yaml(p)``
        equals the scenario written.

        Parameters
        ----------
        path : str or Path
            Target ``.yaml`` file.

        Returns
        -------
        pathlib.Path
            The YAML file written.
        """
        path = Path(path)
        folder = path.with_name(path.stem + ".tables")
        folder.mkdir(parents=True, exist_ok=True)
        doc: dict[str, Any] = {"name": self.name}
        params = self.parameters
        params.pop("name")
        doc["parameters"] = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in params.items()}
        tables: dict[str, str] = {}
        for table in _TABLES:
            df = getattr(self, table)
            suffix = ".csv.gz" if table.endswith("profiles") else ".csv"
            file = folder / f"{table}{suffix}"
            if table == "re_profiles":
                out = df.copy()
                out.index = out.index.strftime("%Y-%m-%d %H:%M:%S")
                out.to_csv(file, float_format="%.6g")
            elif table == "load_profiles":
                df.reset_index(drop=True).to_csv(file, index=False, float_format="%.17g")
            elif table == "demand":
                df.to_csv(file, index=False, float_format="%.17g")
            else:
                df.to_csv(file, float_format="%.17g")
            tables[table] = f"{folder.name}/{file.name}"
        doc["tables"] = tables
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    @classmethod
    def from_yaml(cls, path: str | Path) -> Scenario:
        """Read a scenario from YAML.

        Two forms are accepted (see ``examples/scenarios/README.md``):

        - a *recipe*: ``preset`` (optional), ``demand`` options (``year``,
          ``trajectory``, ``key``), ``sites``/``demand``/``workloads``/
          ``rtt_ms`` given as ``{file: path}``, ``rtt_max_ms`` per class and
          ``parameters``;
        - the complete form written by :meth:`to_yaml` (``tables``).

        Parameters
        ----------
        path : str or Path

        Returns
        -------
        Scenario
        """
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: file not found")
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise InputError(f"{path.name}: malformed YAML ({exc})".replace("\n", " ")) from exc
        if not isinstance(doc, dict):
            raise InputError(f"{path.name}: expected a mapping of scenario fields at the top level")
        return _from_document(cls, doc, path)


_FIELD_NAMES = {f.name for f in dataclasses.fields(Scenario)}


def _read(data: pd.DataFrame | str | Path, table: str, index_col: int | None = None) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    path = Path(data)
    if not path.is_file():
        raise InputError(f"{table}: file {path} not found")
    try:
        return pd.read_csv(path, index_col=index_col)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path.name}: cannot be read as CSV ({exc})") from exc


def _read_profiles(data: pd.DataFrame | str | Path) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    return datasets.profiles(data)


def _default_parameters() -> dict[str, Any]:
    """Scenario defaults drawn from the bundled ``parameters.csv``."""
    names = (
        "discount_rate",
        "dc_capex_cny_per_mw",
        "dc_lifetime_years",
        "dc_fixed_om_cny_per_mw_year",
        "solar_capex_cny_per_kw",
        "solar_lifetime_years",
        "solar_fixed_om_cny_per_kw_year",
        "wind_capex_cny_per_kw",
        "wind_lifetime_years",
        "wind_fixed_om_cny_per_kw_year",
        "carbon_price_cny_per_t",
        "network_cost_cny_per_mw_km_year",
    )
    return {n: datasets.parameter(n) for n in names}


def _site_attributes(
    sites: pd.DataFrame, provinces: pd.DataFrame, local_only: list[str], cooling: str
) -> pd.DataFrame:
    """Join province attributes to sites and derive PUE, WUE and RE limits."""
    check_known(local_only, sites.index, "local_only", "site", "site")
    prov = provinces.loc[sites["province"]]
    out = sites.copy()
    for col in ("electricity_price_cny_per_kwh", "grid_ef_t_co2_per_mwh", "grid_renewable_share", "mean_temp_c", "water_stress"):
        if col not in out.columns or out[col].isna().all():
            out[col] = prov[col].to_numpy()
        else:
            out[col] = out[col].fillna(pd.Series(prov[col].to_numpy(), index=out.index))
    if "pue" not in out.columns:
        out["pue"] = dm.pue_from_climate(out["mean_temp_c"].to_numpy(), cooling=cooling)
    if "wue_l_per_kwh" not in out.columns:
        out["wue_l_per_kwh"] = dm.wue_from_climate(out["mean_temp_c"].to_numpy(), cooling=cooling)
    # contractable renewables: a share of the province's technical potential
    # (land area x national potential density), split between its sites
    share = datasets.parameter("renewable_contract_share_max")
    n_in_province = out.groupby("province")["province"].transform("size").to_numpy()
    for tech in ("solar", "wind"):
        col = f"{tech}_max_mw"
        if col not in out.columns:
            density = datasets.parameter(f"{tech}_potential_mw_per_km2")
            out[col] = share * density * prov["land_area_km2"].to_numpy() / n_in_province
    out["local_only"] = out.index.isin(local_only)
    return out


def _select_all(sites: pd.DataFrame, provinces: pd.DataFrame) -> tuple[pd.Index, list[str]]:
    return sites.index, []


def _select_edwc(sites: pd.DataFrame, provinces: pd.DataFrame) -> tuple[pd.Index, list[str]]:
    capitals = sites.index[sites["kind"] == "capital"]
    return sites.index, list(capitals)


def _select_east(sites: pd.DataFrame, provinces: pd.DataFrame) -> tuple[pd.Index, list[str]]:
    region = provinces.loc[sites["province"], "region"].to_numpy()
    national = ((sites["kind"] == "cluster") & (sites["role"] == "east")) | (
        (sites["kind"] == "capital") & (region == "east")
    )
    local = (sites["kind"] == "capital") & ~national
    return sites.index[national | local], list(sites.index[local])


_PRESETS: dict[str, dict[str, Any]] = {
    "all-sites": {"select": _select_all, "parameters": {"pue_caps": False}},
    "east-data-west-computing": {"select": _select_edwc, "parameters": {"pue_caps": True}},
    "east-only": {"select": _select_east, "parameters": {"pue_caps": True}},
}


def presets() -> list[str]:
    """Names of the bundled scenario presets."""
    return sorted(_PRESETS)


def _from_document(cls: type[Scenario], doc: dict[str, Any], path: Path) -> Scenario:
    base = path.parent
    known = {"name", "preset", "parameters", "tables", "demand", "sites", "workloads", "rtt_ms", "re_profiles",
             "rtt_max_ms", "local_only", "provinces"}
    unknown = set(doc) - known
    if unknown:
        raise InputError(f"{path.name}: unknown key {sorted(unknown)[0]!r}; valid keys are {sorted(known)}")
    params = dict(doc.get("parameters") or {})
    if not isinstance(params, dict):
        raise InputError(f"{path.name}: 'parameters' must be a mapping")
    name = str(doc.get("name", path.stem))
    if "tables" in doc:
        t = {k: base / v for k, v in doc["tables"].items()}
        missing = set(_TABLES) - set(t)
        if missing:
            raise InputError(f"{path.name}: 'tables' lacks {sorted(missing)[0]!r}")
        for k, p in t.items():
            if not p.is_file():
                raise InputError(f"{path.name}: table {k!r}: file {p} not found")
        re = pd.read_csv(t["re_profiles"], header=[0, 1], index_col=0)
        re.index = pd.DatetimeIndex(pd.to_datetime(re.index), name="time").tz_localize("Asia/Shanghai")
        loads = pd.read_csv(t["load_profiles"])
        loads.index = re.index
        return cls(
            name=name,
            sites=pd.read_csv(t["sites"], index_col=0),
            demand=pd.read_csv(t["demand"]),
            workloads=pd.read_csv(t["workloads"], index_col=0),
            rtt_ms=pd.read_csv(t["rtt_ms"], index_col=0),
            distance_km=pd.read_csv(t["distance_km"], index_col=0),
            re_profiles=re,
            load_profiles=loads,
            **params,
        )

    def file_of(key: str) -> Path | None:
        spec = doc.get(key)
        if spec is None:
            return None
        if not isinstance(spec, dict) or "file" not in spec:
            raise InputError(f"{path.name}: '{key}' must be a mapping with a 'file' entry")
        p = base / spec["file"]
        if not p.is_file():
            raise InputError(f"{path.name}: '{key}' file {p} not found")
        return p

    kwargs: dict[str, Any] = {}
    dem = doc.get("demand")
    if isinstance(dem, dict) and "file" not in dem:
        allowed = {"year", "trajectory", "key"}
        bad = set(dem) - allowed
        if bad:
            raise InputError(f"{path.name}: unknown demand option {sorted(bad)[0]!r}; valid: {sorted(allowed)}")
        kwargs.update(dem)
    elif dem is not None:
        kwargs["demand"] = file_of("demand")
    for key in ("sites", "workloads", "rtt_ms", "re_profiles", "provinces"):
        p = file_of(key)
        if p is not None:
            kwargs[key] = p
    for w, ms in (doc.get("rtt_max_ms") or {}).items():
        params[f"rtt_max_ms_{w}"] = ms
    preset = doc.get("preset")
    if preset is not None and (kwargs.keys() & {"sites", "provinces"}):
        raise InputError(f"{path.name}: give either 'preset' or 'sites'/'provinces', not both")
    if preset is not None:
        return cls.preset(str(preset), **kwargs, **params).replace(name=name)
    if "local_only" in doc:
        kwargs["local_only"] = list(doc["local_only"])
    return cls.from_data(name, **kwargs, **params)
