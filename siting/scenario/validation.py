"""Checks a scenario passes when created: its tables and its parameters.

:func:`check_tables` and :func:`check_parameters` are run by
``Scenario.__post_init__``; each returns the normalised values (tables with
named indexes and float matrices, whole day counts as ``int``, flags as
``bool``) that the scenario then stores, or raises
:class:`~siting.errors.InputError` naming the table, row, column or
parameter at fault.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from siting import datasets
from siting.datasets.validation import Column, check_cells, check_known, check_table, keep_lines, source_of, where
from siting.errors import InputError
from siting.timeseries import HOURS_PER_YEAR
from siting.scenario.grid import check_grid_tables
from siting.scenario.profiles import check_weather_year

__all__ = [
    "SCENARIO_SITE_COLUMNS",
    "WORKLOAD_COLUMNS",
    "DEMAND_COLUMNS",
    "RESOLUTIONS",
    "GREEN_MATCHING",
    "TABLES",
    "OPTIONAL_TABLES",
    "check_tables",
    "check_parameters",
]

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

#: Values of :attr:`Scenario.resolution`.
RESOLUTIONS: tuple[str, ...] = ("average", "days", "hours")

#: Values of :attr:`Scenario.green_matching`.
GREEN_MATCHING: tuple[str, ...] = ("hourly", "annual")

#: The table fields of a scenario; every other field is a scalar parameter.
TABLES: tuple[str, ...] = (
    "sites", "demand", "workloads", "rtt_ms", "distance_km", "re_profiles", "load_profiles", "tou_profiles",
    "corridor_lines", "grid_provinces",
)
#: Tables a scenario may leave out (``None``).
OPTIONAL_TABLES: tuple[str, ...] = ("tou_profiles", "corridor_lines", "grid_provinces")


def _is_number(value: Any) -> bool:
    """A real number (not a bool, not a string)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def check_tables(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Validate the tables of a scenario against each other.

    Parameters
    ----------
    scenario : Scenario
        The scenario being created; only its tables are read.

    Returns
    -------
    dict of str to pandas.DataFrame
        The normalised ``sites``, ``workloads``, ``demand``, ``re_profiles``,
        ``load_profiles`` (floats, on the hours of ``re_profiles``),
        ``rtt_ms`` [ms] and ``distance_km`` [km] tables.

    Raises
    ------
    siting.errors.InputError
        If a table has no rows, lacks a column, row or value the others
        refer to, or holds a value out of range; a table read from a file
        is named by the file and a row by its line.
    """
    _has_rows(scenario.sites, "sites", "a scenario needs at least one candidate site")
    sites = check_table(scenario.sites, SCENARIO_SITE_COLUMNS, "sites", index="site")
    sites.index.name = "site"
    _has_rows(scenario.workloads, "workloads", "a scenario needs at least one workload class")
    workloads = check_table(scenario.workloads, WORKLOAD_COLUMNS, "workloads", index="workload")
    workloads.index.name = "workload"
    _has_rows(
        scenario.demand,
        "demand",
        "a scenario needs demand to place (rows of 0 MW are allowed); with none, every allocation is "
        "empty and no policy (green_share_min, west_share_min, ...) can be tested",
    )
    dem = check_table(scenario.demand, DEMAND_COLUMNS, "demand")
    dup = dem.duplicated(["origin", "workload"]).to_numpy()
    if dup.any():
        i = int(dup.nonzero()[0][0])
        row = dem.iloc[i]
        raise InputError(
            f"{source_of(dem, 'demand')}: {where(dem, i)}: origin {row.origin!r}, workload {row.workload!r} "
            "appears more than once; expected one row per origin and workload"
        )
    check_known(dem["workload"], workloads.index, "demand", "workload", "workload class")
    dem = dem.reset_index(drop=True)
    matrices = {name: _check_matrix(getattr(scenario, name), name, sites, dem) for name in ("rtt_ms", "distance_km")}
    re = scenario.re_profiles
    if not isinstance(re, pd.DataFrame) or not isinstance(re.columns, pd.MultiIndex):
        raise InputError("re_profiles: expected a DataFrame with columns (site, technology)")
    re = datasets.profiles(re)
    missing = [(s, k) for s in sites.index for k in ("solar", "wind") if (s, k) not in re.columns]
    if missing:
        raise InputError(
            f"{source_of(re, 're_profiles')}: no column for site {missing[0][0]!r}, technology {missing[0][1]!r}; "
            "expected a solar and a wind column for every site (the bundled profiles cover the bundled sites "
            "only: give re_profiles for your own)"
        )
    loads = _check_load_profiles(scenario.load_profiles, workloads, re.index)
    tou = _check_tou_profiles(scenario.tou_profiles, sites, re.index)
    lines, grid = check_grid_tables(scenario.corridor_lines, scenario.grid_provinces)
    return {"sites": sites, "workloads": workloads, "demand": dem, "re_profiles": re, "load_profiles": loads,
            "tou_profiles": tou, "corridor_lines": lines, "grid_provinces": grid, **matrices}


def _has_rows(table: Any, name: str, why: str) -> None:
    """Refuse a table without rows, saying why the scenario needs them."""
    if isinstance(table, pd.DataFrame) and len(table) == 0:
        raise InputError(f"{source_of(table, name)}: the table has no rows; {why}")


def _check_matrix(m: Any, name: str, sites: pd.DataFrame, dem: pd.DataFrame) -> pd.DataFrame:
    """Validate an origin × site matrix (``rtt_ms`` [ms] or ``distance_km`` [km]); return it as floats."""
    if not isinstance(m, pd.DataFrame):
        raise InputError(f"{name}: expected a DataFrame origin × site")
    table = source_of(m, name)
    if m.index.isna().any():
        position = int(np.flatnonzero(m.index.isna())[0])
        raise InputError(f"{table}: {where(m, position)}: no origin in the first column; expected a province name")
    m = m.copy()
    m.index = m.index.astype(str).str.strip().rename("origin")
    m.columns = m.columns.astype(str).str.strip().rename("site")
    keep_lines(m)
    for axis, labels in (("origin (row)", m.index), ("site (column)", m.columns)):
        if labels.duplicated().any():
            raise InputError(f"{table}: {axis} {labels[labels.duplicated()][0]!r} appears more than once; expected once")
    check_known(dem["origin"], m.index, "demand", "origin", f"origin (no row in {table})")
    missing = sites.index.difference(m.columns)
    if len(missing):
        raise InputError(
            f"{table}: no column for site {missing[0]!r}; build the scenario with "
            "Scenario.from_data() to compute it, or pass a matrix that covers every site"
        )
    unit = "a round-trip time [ms] >= 0" if name == "rtt_ms" else "a distance [km] >= 0"
    values = check_cells(
        m, name, unit, min=0, rows=m.index.isin(dem["origin"]), columns=m.columns.isin(sites.index)
    )
    return pd.DataFrame(values, index=m.index, columns=m.columns)


def _check_load_profiles(lp: Any, workloads: pd.DataFrame, hours: pd.DatetimeIndex) -> pd.DataFrame:
    """Every inflexible class needs an hourly, non-negative load shape of mean 1 [-]; returned on ``hours``."""
    if not isinstance(lp, pd.DataFrame) or len(lp) != HOURS_PER_YEAR:
        raise InputError(f"load_profiles: expected a DataFrame with {HOURS_PER_YEAR} hourly rows")
    inflexible = workloads.index[~workloads["flexible"]]
    for w in inflexible:
        if w not in lp.columns:
            raise InputError(f"load_profiles: no column for workload class {w!r}")
    values = check_cells(lp, "load_profiles", "a load relative to the mean, >= 0", min=0, columns=lp.columns.isin(inflexible))
    out = pd.DataFrame(values, index=hours, columns=lp.columns.rename("workload"))
    for w in inflexible:
        mean = out[w].mean()
        if abs(mean - 1.0) > 1e-6:
            raise InputError(f"load_profiles: column {w!r} has mean {mean:.6g}; expected 1")
    return out


def _check_tou_profiles(tou: Any, sites: pd.DataFrame, hours: pd.DatetimeIndex) -> pd.DataFrame | None:
    """Hourly price factors [-]: 8760 rows, a column per site, finite and >= 0; returned on ``hours``."""
    if tou is None:
        return None
    if not isinstance(tou, pd.DataFrame) or len(tou) != HOURS_PER_YEAR:
        raise InputError(f"tou_profiles: expected a DataFrame with {HOURS_PER_YEAR} hourly rows and a column per site")
    table = source_of(tou, "tou_profiles")
    missing = sites.index.difference(tou.columns.astype(str))
    if len(missing):
        raise InputError(
            f"{table}: no column for site {missing[0]!r}; expected the hourly price factor of every site "
            "(Scenario.from_data computes them from the bundled provincial tariffs)"
        )
    tou = tou.copy()
    tou.columns = tou.columns.astype(str)
    tou = tou[list(sites.index)]
    values = check_cells(tou, "tou_profiles", "a price relative to the flat price, >= 0", min=0)
    return pd.DataFrame(values, index=hours, columns=sites.index)


def check_parameters(scenario: Scenario) -> dict[str, Any]:
    """Validate the scalar parameters of a scenario.

    Parameters
    ----------
    scenario : Scenario
        The scenario being created, its tables already normalised; its scalar
        fields are read, and the site table for the limits it switches on.

    Returns
    -------
    dict of str to Any
        ``representative_days`` as ``int`` and the flags ``pue_caps``,
        ``water_limits``, ``grid_limits``, ``integer`` as ``bool``.

    Raises
    ------
    siting.errors.InputError
        If a parameter has the wrong type or is out of range (the name a
        non-empty text, costs and lifetimes finite and >= 0, lifetimes > 0
        [yr], the discount rate < 1 [1/yr], shares in 0..1, limits finite
        and >= 0 or None), or would have no effect (``water_limits`` or
        ``grid_limits`` when no site has the limit).
    """
    name = scenario.name
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"parameter name: {name!r} must be a non-empty text (the label of the scenario)")
    if not isinstance(scenario.resolution, str) or scenario.resolution not in RESOLUTIONS:
        raise InputError(f"resolution was {scenario.resolution!r} but is expected to be one of {list(RESOLUTIONS)}")
    days = scenario.representative_days
    if not _is_number(days) or not float(days).is_integer() or not 1 <= days <= 365:
        raise InputError(f"representative_days must be a whole number in 1..365, got {days!r}")
    normalised: dict[str, Any] = {"representative_days": int(days)}
    normalised["weather_year"] = check_weather_year(scenario.weather_year)
    for name in ("pue_caps", "water_limits", "grid_limits", "integer", "storage", "tou_tariffs", "corridors",
                 "curtailment"):
        flag = getattr(scenario, name)
        if not (isinstance(flag, (bool, np.bool_)) or (isinstance(flag, (int, np.integer)) and flag in (0, 1))):
            raise InputError(f"parameter {name}: {flag!r} must be true or false")
        normalised[name] = bool(flag)
    for f in dataclasses.fields(scenario):
        if f.type not in ("float", float):
            continue
        value = getattr(scenario, f.name)
        if not _is_number(value) or not np.isfinite(value) or value < 0:
            raise InputError(f"parameter {f.name}: {value!r} must be a finite number >= 0")
    if normalised["tou_tariffs"] and scenario.tou_profiles is None:
        raise InputError(
            "parameter tou_tariffs: true, but the scenario has no tou_profiles (hourly price factors per site); "
            "Scenario.from_data and the presets compute them from the bundled provincial tariffs"
        )
    _check_grid_options(scenario, normalised)
    if scenario.green_matching not in GREEN_MATCHING:
        raise InputError(
            f"parameter green_matching: {scenario.green_matching!r} must be one of {list(GREEN_MATCHING)}"
        )
    _check_battery(scenario)
    for name in ("dc_lifetime_years", "solar_lifetime_years", "wind_lifetime_years", "battery_lifetime_years"):
        if getattr(scenario, name) <= 0:
            raise InputError(f"parameter {name}: must be > 0 years")
    if scenario.discount_rate >= 1:
        raise InputError(f"parameter discount_rate: {scenario.discount_rate} is a fraction per year, must be < 1")
    for name in ("green_share_min", "site_green_share_min", "west_share_min"):
        value = getattr(scenario, name)
        if value is not None and not (_is_number(value) and 0 <= value <= 1):
            raise InputError(f"parameter {name}: {value!r} must be a share between 0 and 1 (or None)")
    for name, unit in (("water_m3_max", "m3/yr"), ("emissions_t_max", "tCO2/yr")):
        value = getattr(scenario, name)
        if value is not None and not (_is_number(value) and np.isfinite(value) and value >= 0):
            raise InputError(f"parameter {name}: {value!r} must be a finite number of {unit} >= 0 (or None)")
    for flag, column, what in (
        ("water_limits", "water_m3_max", "the yearly water limit of the site [m3/yr]"),
        ("grid_limits", "grid_mw_max", "the grid import limit of the site [MW]"),
    ):
        sites = scenario.sites
        if normalised[flag] and (column not in sites.columns or sites[column].isna().all()):
            raise InputError(
                f"parameter {flag}: true, but no site has a value in column {column!r} ({what}) of "
                f"{source_of(sites, 'sites')}, so it would have no effect; add the column or set {flag} to false"
            )
    return normalised


def _check_battery(scenario: Scenario) -> None:
    """Round-trip efficiency in (0, 1]; the duration range [h] ordered, finite and >= 0 (or None)."""
    eta = scenario.battery_round_trip_efficiency
    if not (_is_number(eta) and 0 < eta <= 1):
        raise InputError(
            f"parameter battery_round_trip_efficiency: {eta!r} must be a share of the energy stored that comes "
            "back, > 0 and <= 1"
        )
    lo, hi = scenario.battery_duration_min_h, scenario.battery_duration_max_h
    for name, value in (("battery_duration_min_h", lo), ("battery_duration_max_h", hi)):
        if value is not None and not (_is_number(value) and np.isfinite(value) and value >= 0):
            raise InputError(f"parameter {name}: {value!r} must be a finite number of hours >= 0 (or None)")
    if lo is not None and hi is not None and lo > hi:
        raise InputError(
            f"parameters battery_duration_min_h={lo!r} and battery_duration_max_h={hi!r}: the minimum "
            "duration exceeds the maximum"
        )


def _check_grid_options(scenario: Scenario, flags: dict[str, Any]) -> None:
    """``corridors`` and ``curtailment`` need their tables, generated weather and the sites' provinces."""
    for flag, tables in (("corridors", ("corridor_lines", "grid_provinces")), ("curtailment", ("grid_provinces",))):
        if not flags[flag]:
            continue
        for table in tables:
            if getattr(scenario, table) is None:
                raise InputError(
                    f"parameter {flag}: true, but the scenario has no {table} table; Scenario.from_data and the "
                    "presets add the bundled one"
                )
        if flags["weather_year"] is None:
            raise InputError(
                f"parameter {flag}: true needs the provinces' weather profiles, generated for a weather_year; "
                "the scenario uses a user re_profiles table (weather_year null)"
            )
        unknown = sorted(set(scenario.sites["province"]) - set(scenario.grid_provinces.index))
        if flag == "curtailment" and unknown:
            raise InputError(
                f"parameter curtailment: site province {unknown[0]!r} has no row in grid_provinces (installed "
                "wind and solar and their curtailment)"
            )
