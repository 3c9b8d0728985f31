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
from siting.datasets.validation import Column, check_known, check_table
from siting.errors import InputError
from siting.timeseries import HOURS_PER_YEAR

__all__ = [
    "SCENARIO_SITE_COLUMNS",
    "WORKLOAD_COLUMNS",
    "DEMAND_COLUMNS",
    "RESOLUTIONS",
    "TABLES",
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

#: The table fields of a scenario; every other field is a scalar parameter.
TABLES: tuple[str, ...] = ("sites", "demand", "workloads", "rtt_ms", "distance_km", "re_profiles", "load_profiles")


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
        ``rtt_ms`` [ms] and ``distance_km`` [km] tables.

    Raises
    ------
    siting.errors.InputError
        If a table lacks a column, row or value the others refer to, or
        holds a value out of range.
    """
    sites = check_table(scenario.sites, SCENARIO_SITE_COLUMNS, "sites", index="site")
    sites.index.name = "site"
    if sites.empty:
        raise InputError("sites: the table has no rows; a scenario needs at least one candidate site")
    workloads = check_table(scenario.workloads, WORKLOAD_COLUMNS, "workloads", index="workload")
    workloads.index.name = "workload"
    dem = check_table(scenario.demand, DEMAND_COLUMNS, "demand")
    dem = dem.reset_index(drop=True)
    dup = dem.duplicated(["origin", "workload"])
    if dup.any():
        row = dem[dup].iloc[0]
        raise InputError(f"demand: origin {row.origin!r}, workload {row.workload!r} appears more than once")
    check_known(dem["workload"], workloads.index, "demand", "workload", "workload class")
    matrices = {name: _check_matrix(getattr(scenario, name), name, sites, dem) for name in ("rtt_ms", "distance_km")}
    re = scenario.re_profiles
    if not isinstance(re, pd.DataFrame) or not isinstance(re.columns, pd.MultiIndex):
        raise InputError("re_profiles: expected a DataFrame with columns (site, technology)")
    re = datasets.profiles(re)
    missing = [(s, k) for s in sites.index for k in ("solar", "wind") if (s, k) not in re.columns]
    if missing:
        raise InputError(f"re_profiles: no column for site {missing[0][0]!r}, technology {missing[0][1]!r}")
    _check_load_profiles(scenario.load_profiles, workloads)
    return {"sites": sites, "workloads": workloads, "demand": dem, "re_profiles": re, **matrices}


def _check_matrix(m: Any, name: str, sites: pd.DataFrame, dem: pd.DataFrame) -> pd.DataFrame:
    """Validate an origin × site matrix (``rtt_ms`` [ms] or ``distance_km`` [km]); return it as floats."""
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
            f"{name}: row {sub.index[i]!r}, column {sub.columns[j]!r}: {values[i, j]:g} is missing or negative"
        )
    return m


def _check_load_profiles(lp: Any, workloads: pd.DataFrame) -> None:
    """Every inflexible class needs an hourly, non-negative load shape of mean 1 [-]."""
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


def check_parameters(scenario: Scenario) -> dict[str, Any]:
    """Validate the scalar parameters of a scenario.

    Parameters
    ----------
    scenario : Scenario
        The scenario being created; only its scalar fields are read.

    Returns
    -------
    dict of str to Any
        ``representative_days`` as ``int`` and the flags ``pue_caps``,
        ``water_limits``, ``grid_limits``, ``integer`` as ``bool``.

    Raises
    ------
    siting.errors.InputError
        If a parameter has the wrong type or is out of range (costs and
        lifetimes must be finite and >= 0, lifetimes > 0 [yr], the discount
        rate < 1 [1/yr], shares in 0..1, limits finite and >= 0 or None).
    """
    if scenario.resolution not in RESOLUTIONS:
        raise InputError(f"resolution was {scenario.resolution!r} but is expected to be one of {list(RESOLUTIONS)}")
    days = scenario.representative_days
    if not _is_number(days) or not float(days).is_integer() or not 1 <= days <= 365:
        raise InputError(f"representative_days must be a whole number in 1..365, got {days!r}")
    normalised: dict[str, Any] = {"representative_days": int(days)}
    for name in ("pue_caps", "water_limits", "grid_limits", "integer"):
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
    for name in ("dc_lifetime_years", "solar_lifetime_years", "wind_lifetime_years"):
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
    return normalised
