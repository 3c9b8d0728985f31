"""Changes to a scenario: :meth:`Scenario.replace` and its keyword shortcuts."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np

from siting.errors import InputError
from siting.scenario.validation import TABLES

__all__ = ["SHORTCUTS", "replace"]

#: Keywords :func:`replace` accepts besides the fields of a scenario.
SHORTCUTS: tuple[str, ...] = (
    "rtt_max_ms_<workload>",
    "demand_scale",
    "electricity_price_scale",
    "grid_ef_scale",
    "capex_scale",
)

_KNOB = re.compile(r"^rtt_max_ms_(?P<workload>\w+)$")


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
                f"unknown scenario field {key!r}; fields are {sorted(fields - set(TABLES))} "
                "(tables: " + ", ".join(TABLES) + "), shortcuts: " + ", ".join(SHORTCUTS)
            )
    for name, table in (("workloads", workloads), ("sites", sites), ("demand", dem)):
        if table is not None and name not in updates:
            updates[name] = table
    return dataclasses.replace(self, **updates)
