"""What the maps show: province values of a result or an input, and the end points of flows.

Province values of a result
---------------------------
A result column is a per-site quantity (:attr:`siting.Result.sites`); the
value of a province aggregates the sites located in it:

- extensive columns, whose name ends in ``_mw``, ``_mwh``, ``_cny``, ``_t``
  or ``_m3`` (capacity, energy, cost, emissions, water), are **summed**;
- intensive columns (``green_share``, ``pue``) are **averaged weighted by
  IT capacity** ``it_capacity_mw``; a province whose sites build nothing has
  no value (drawn grey).

Provinces without any candidate site have no value either. A
:class:`pandas.Series` indexed by province may be passed instead of a column
name to map any other quantity, for example the demand by origin:
``result.scenario.demand.groupby("origin")["it_mw"].sum()``.

Estimated inputs
----------------
The province table says where each value of a column comes from in a
companion column, ``<stem>_status`` or else ``<stem>_source``, the stem
being the column's name or its name without the unit suffix
(``water_stress_source``, ``grid_ef_source`` of ``grid_ef_t_co2_per_mwh``).
A value is an **estimate** when that text starts with "estimate" (any case,
e.g. ``"ESTIMATE: MEE/NBS publishes no Tibet factor..."``); the input maps
hatch those provinces (:func:`estimated`).

Batteries and corridors
-----------------------
:func:`batteries` gives the sites with storage (``battery_mw`` or
``battery_mwh`` above 0), :func:`corridor_ends` the UHV corridors of a
result (``result.corridors``, absent on results of older versions) with the
coordinates of their sending and receiving provinces' capitals. Absorbed
curtailment, ``curtailment_absorbed_mwh``, is a summed column like any other.
"""

from __future__ import annotations

import pandas as pd

from siting import datasets
from siting.errors import InputError
from siting.maps.style import ResultLike, unit_stem

_SUMMED_SUFFIXES = ("_mw", "_mwh", "_cny", "_t", "_m3")
_WEIGHTED = ("green_share", "pue")
_NOT_VALUES = ("adcode", "lat", "lon")  # numeric columns of the province table that are not quantities
_PROVENANCE = ("_status", "_source")  # suffixes of the column saying where a column's values come from


def value_name(column: str | pd.Series) -> str:
    """Name of the mapped quantity: the column name, or the series name (``"value"`` if unnamed)."""
    return column if isinstance(column, str) else str(column.name or "value")


def is_extensive(name: str) -> bool:
    """Whether a result column is summed over the sites of a province (its colour scale starts at 0)."""
    return name.endswith(_SUMMED_SUFFIXES)


def result_values(result: ResultLike, column: str | pd.Series) -> pd.Series:
    """Province values of a result column (see the module docstring), or ``column`` checked.

    Raises
    ------
    InputError
        On a column that is not a summed or weighted column of
        ``result.sites`` (the message lists the valid ones), or an unknown
        province.
    """
    if isinstance(column, pd.Series):
        return check_series(column)
    sites = result.sites
    valid = [c for c in sites.columns if is_extensive(c) or c in _WEIGHTED]
    if column not in valid:
        raise InputError(f"result.sites: unknown column {column!r} for a map; valid columns are {valid}")
    if column in _WEIGHTED:
        w = sites["it_capacity_mw"]
        num = (sites[column] * w).groupby(sites["province"]).sum(min_count=1)
        den = w.groupby(sites["province"]).sum()
        return (num / den.where(den > 0)).rename(column)
    return sites[column].groupby(sites["province"]).sum().rename(column)


def input_values(column: str | pd.Series, data: pd.DataFrame | None) -> pd.Series:
    """Province values of an input: a numeric column of the province table ``data``, or ``column`` checked.

    ``data`` defaults to :func:`siting.datasets.provinces`.

    Raises
    ------
    InputError
        If ``column`` is not a numeric column of ``data`` (the message lists
        the valid ones) or names an unknown province.
    """
    if isinstance(column, pd.Series):
        return check_series(column)
    table = datasets.provinces() if data is None else data
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c]) and c not in _NOT_VALUES]
    if column not in numeric:
        raise InputError(f"provinces: unknown or non-numeric column {column!r}; valid columns are {numeric}")
    return table[column].astype(float)


def estimated(column: str | pd.Series, data: pd.DataFrame | None) -> pd.Series:
    """Whether each province's value of an input column is an estimate (see the module docstring).

    ``data`` defaults to :func:`siting.datasets.provinces`. All false for a
    series, or for a column without a status or source column.
    """
    if isinstance(column, pd.Series):
        return pd.Series(False, index=column.index)
    table = datasets.provinces() if data is None else data
    for name in (f"{stem}{suffix}" for stem in dict.fromkeys([column, unit_stem(column)]) for suffix in _PROVENANCE):
        if name in table.columns:
            status = table[name].astype("string").str.strip().str.lower()
            return status.str.startswith("estimate").fillna(False).astype(bool)
    return pd.Series(False, index=table.index)


def check_series(values: pd.Series) -> pd.Series:
    """Values indexed by province, as floats.

    Raises
    ------
    InputError
        On an index entry that is not a province.
    """
    known = datasets.provinces().index
    unknown = values.index.difference(known)
    if len(unknown):
        raise InputError(f"province values: unknown province {unknown[0]!r}; provinces are {sorted(known)}")
    return values.astype(float)


def flow_ends(result: ResultLike, min_flow_mw: float) -> pd.DataFrame:
    """Allocation rows of at least ``min_flow_mw`` [MW], with the coordinates [deg] of both ends.

    A flow runs from its origin's capital (``lat0``, ``lon0``) to its site
    (``lat1``, ``lon1``).
    """
    prov = datasets.provinces()
    alloc = result.allocation[result.allocation["it_mw"] >= min_flow_mw]
    sites = result.sites
    return alloc.assign(
        lat0=prov["lat"].reindex(alloc["origin"]).to_numpy(),
        lon0=prov["lon"].reindex(alloc["origin"]).to_numpy(),
        lat1=sites["lat"].reindex(alloc["site"]).to_numpy(),
        lon1=sites["lon"].reindex(alloc["site"]).to_numpy(),
    )


def batteries(result: ResultLike) -> pd.DataFrame:
    """Sites with a battery: ``battery_mw`` or ``battery_mwh`` above 0 (none without those columns)."""
    sites = result.sites
    zero = pd.Series(0.0, index=sites.index)
    sites = sites.assign(**{c: sites.get(c, zero).astype(float).fillna(0.0) for c in ("battery_mw", "battery_mwh")})
    return sites[(sites["battery_mw"] > 0) | (sites["battery_mwh"] > 0)]


_CORRIDOR_COLUMNS = ("sending_province", "receiving_province", "peak_flow_mw")


def corridor_ends(result: ResultLike) -> pd.DataFrame:
    """The result's corridors with the coordinates [deg] of both ends; empty when it has none.

    A corridor runs from its sending province's capital (``lat0``, ``lon0``)
    to its receiving province's (``lat1``, ``lon1``); ``used`` says whether
    its peak flow ``peak_flow_mw`` is above 0.

    Raises
    ------
    InputError
        On a corridors table without the columns the maps need, or a
        corridor between unknown provinces.
    """
    table = getattr(result, "corridors", None)
    if table is None or not len(table):
        return pd.DataFrame(columns=[*_CORRIDOR_COLUMNS, "used", "lat0", "lon0", "lat1", "lon1"])
    missing = [c for c in _CORRIDOR_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"result.corridors: missing columns {missing} for a map")
    prov = datasets.provinces()
    for column in _CORRIDOR_COLUMNS[:2]:
        unknown = table.index[~table[column].isin(prov.index)]
        if len(unknown):
            raise InputError(
                f"result.corridors: corridor {unknown[0]!r}: unknown {column} {table.at[unknown[0], column]!r}"
            )
    peak = table["peak_flow_mw"].astype(float).fillna(0.0)
    return table.assign(
        peak_flow_mw=peak,
        used=peak > 0,
        lat0=prov["lat"].reindex(table["sending_province"]).to_numpy(),
        lon0=prov["lon"].reindex(table["sending_province"]).to_numpy(),
        lat1=prov["lat"].reindex(table["receiving_province"]).to_numpy(),
        lon1=prov["lon"].reindex(table["receiving_province"]).to_numpy(),
    )
