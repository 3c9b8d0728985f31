"""Changes to a scenario: :meth:`Scenario.replace` and its keyword shortcuts."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np
import pandas as pd

from siting.errors import InputError
from siting.scenario.profiles import LOCATION_COLUMNS, check_weather_year, site_profiles, site_tou_profiles
from siting.scenario.validation import TABLES

__all__ = ["SHORTCUTS", "is_shortcut", "replace"]

#: Keywords :func:`replace` accepts besides the fields of a scenario.
SHORTCUTS: tuple[str, ...] = (
    "rtt_max_ms_<workload>",
    "demand_scale",
    "electricity_price_scale",
    "grid_ef_scale",
    "capex_scale",
)

_KNOB = re.compile(r"^rtt_max_ms_(?P<workload>\w+)$")
#: The shortcuts that multiply a table column or a group of parameters.
_SCALES = ("demand_scale", "electricity_price_scale", "grid_ef_scale", "capex_scale")


def is_shortcut(key: str) -> bool:
    """Whether ``key`` is one of :data:`SHORTCUTS` (``rtt_max_ms_<workload>`` for any class name)."""
    return key in _SCALES or _KNOB.match(key) is not None


def replace(self: Scenario, **changes: Any) -> Scenario:
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

    Raises
    ------
    InputError
        On an unknown field or shortcut, a shortcut value that is not a
        finite number >= 0, or a changed scenario that does not validate.
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
            workloads = workloads if workloads is not None else _edited(self.workloads)
            w = m.group("workload")
            if w not in workloads.index:
                raise InputError(f"{key}: unknown workload class {w!r}; classes are {list(workloads.index)}")
            limit = np.nan if value is None else _factor(key, value, "a number of ms >= 0 (or null for no limit)")
            workloads.loc[w, "rtt_max_ms"] = limit
        elif key == "demand_scale":
            dem = dem if dem is not None else _edited(self.demand)
            dem["it_mw"] = dem["it_mw"] * _factor(key, value)
        elif key in ("electricity_price_scale", "grid_ef_scale"):
            col = "electricity_price_cny_per_kwh" if key == "electricity_price_scale" else "grid_ef_t_co2_per_mwh"
            sites = sites if sites is not None else _edited(self.sites)
            sites[col] = sites[col] * _factor(key, value)
        elif key == "capex_scale":
            factor = _factor(key, value)
            for name in ("dc_capex_cny_per_mw", "solar_capex_cny_per_kw", "wind_capex_cny_per_kw"):
                updates[name] = getattr(self, name) * factor
        else:
            raise InputError(
                f"unknown scenario field {key!r}; fields are {sorted(fields - set(TABLES))} "
                "(tables: " + ", ".join(TABLES) + "), shortcuts: " + ", ".join(SHORTCUTS)
            )
    for name, table in (("workloads", workloads), ("sites", sites), ("demand", dem)):
        if table is not None and name not in updates:
            updates[name] = table
    _update_profiles(self, updates)
    _update_tou(self, updates)
    return dataclasses.replace(self, **updates)


def _update_tou(self: Scenario, updates: dict[str, Any]) -> None:
    """Compute the time-of-use factors of sites the table lacks, from the bundled tariffs of their provinces."""
    if "tou_profiles" in updates:
        return
    tou = self.tou_profiles
    sites = updates.get("sites", self.sites)
    if tou is None or not isinstance(sites, pd.DataFrame) or set(sites.index) <= set(tou.columns):
        return
    updates["tou_profiles"] = site_tou_profiles(sites)


def _update_profiles(self: Scenario, updates: dict[str, Any]) -> None:
    """Regenerate weather profiles in ``updates`` when the weather year or the site set changes.

    A new ``re_profiles`` table is used as given (the weather year becomes
    ``None``); otherwise, with generated profiles, a new ``weather_year``
    regenerates them for every site and new sites get theirs.
    """
    if "re_profiles" in updates:
        if updates.get("weather_year") is not None:
            raise InputError(
                "replace: weather_year applies to generated profiles; re_profiles was given as a table: "
                "give one or the other"
            )
        updates["weather_year"] = None
        return
    year = updates.get("weather_year", self.weather_year)
    if year is None:
        if "weather_year" in updates and self.weather_year is not None:
            raise InputError("replace: weather_year=None needs a re_profiles table to use instead")
        return
    year = check_weather_year(year)
    sites = updates.get("sites", self.sites)
    if not isinstance(sites, pd.DataFrame):  # refused, with its reason, when the scenario is validated
        return
    have = set(self.re_profiles.columns.get_level_values(0))
    if year != self.weather_year or self.weather_year is None or not set(sites.index) <= have:
        missing = [c for c in LOCATION_COLUMNS if c not in sites.columns]
        if missing:
            raise InputError(
                f"replace: the sites need column {missing[0]!r} to generate their weather profiles "
                f"(columns {list(LOCATION_COLUMNS)}), or give re_profiles"
            )
        updates["re_profiles"] = site_profiles(sites, year)


def _factor(key: str, value: Any, expected: str = "a finite number >= 0") -> float:
    """The number a shortcut was given, refused unless finite and >= 0."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
    if not ok or not np.isfinite(value) or value < 0:
        raise InputError(f"{key}: {value!r} is not {expected}")
    return float(value)


def _edited(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` to change: it no longer holds what its file holds, so messages name the table."""
    out = table.copy()
    out.attrs.clear()
    return out
