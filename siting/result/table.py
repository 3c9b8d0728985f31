"""The summary of a result as a value that prints as a small table with units.

:class:`Summary` is a :class:`pandas.Series` of floats in the units its keys
name (``cost_total_cny`` in CNY/yr, ``energy_mwh`` in MWh/yr, ...), so that
``summary["cost_total_cny"]`` is a float and every pandas operation works.
Only printing differs: ``print(summary)`` (and a notebook) shows one line a
key with the value in readable units, for example ``153.8 bn CNY/yr`` or
``237,682,075 MWh/yr (237.7 TWh/yr)``, under a header that says how the
result was computed (``attrs["resolution"]``, ``attrs["method"]``).

The unit of a key is read from its suffix (:func:`unit_of`); a key whose
suffix says nothing is printed as a plain number.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from siting.timeseries import resolution_label

__all__ = ["Summary", "UNITS", "format_value", "unit_of", "describe_resolution"]

#: Keys whose unit the suffix rule of :func:`unit_of` would get wrong: key -> unit kind.
UNITS: dict[str, str] = {
    "mean_pue": "ratio",
    "cost_cny_per_mwh_it": "cny_per_mwh_it",
    "battery_mwh": "mwh_stored",  # energy capacity of the batteries, not energy per year
}


def describe_resolution(scenario: Any) -> str:
    """How a scenario slices the year and which weather, in words (as :attr:`Result.resolution`).

    For example ``"12 representative days, weather year 0"``.
    """
    year = getattr(scenario, "weather_year", None)
    weather = "user profiles" if year is None else f"weather year {year}"
    return f"{resolution_label(scenario.resolution, scenario.representative_days)}, {weather}"


def unit_of(key: str) -> str:
    """The kind of unit of a summary key, from its suffix.

    One of ``"cny"`` [CNY/yr], ``"cny_per_mwh_it"`` [CNY/MWh of IT energy],
    ``"cny_per"`` (another ``_cny_per_<x>`` rate), ``"mwh"`` [MWh/yr],
    ``"mwh_stored"`` [MWh, a storage capacity], ``"mw"`` [MW], ``"t"`` [tCO2/yr], ``"m3"`` [m3/yr], ``"ms"`` [ms],
    ``"share"`` [0..1], ``"ratio"`` [-] or ``""`` (unknown).
    """
    if key in UNITS:
        return UNITS[key]
    words = key.split("_")
    if "cny" in words and "per" in words[words.index("cny"):]:
        return "cny_per_mwh_it" if key.endswith("_cny_per_mwh_it") else "cny_per"
    if "share" in words:
        return "share"
    if "ms" in words:
        return "ms"
    for suffix in ("mwh", "mw", "cny", "t", "m3"):
        if words[-1] == suffix:
            return suffix
    if words[-1] == "pue":
        return "ratio"
    return ""


def _num(value: float) -> str:
    """About four significant figures, with thousands separators."""
    size = abs(value)
    if size >= 100:
        return f"{value:,.1f}"
    if size >= 1 or size == 0:
        return f"{value:,.2f}"
    return f"{value:.3g}"


def format_value(key: str, value: float) -> tuple[str, str]:
    """A summary value in readable units: ``(number, unit)``.

    Parameters
    ----------
    key : str
        The summary key (its suffix gives the unit, :func:`unit_of`).
    value : float
        The value in the key's own unit.

    Returns
    -------
    tuple of str
        For example ``("153.8", "bn CNY/yr")`` or
        ``("237,682,075", "MWh/yr (237.7 TWh/yr)")``; ``("-", unit)`` for NaN.
    """
    kind = unit_of(key)
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value), ""
    if math.isnan(v):
        return "-", ""
    size = abs(v)
    if kind == "cny":
        if size >= 1e9:
            return _num(v / 1e9), "bn CNY/yr"
        if size >= 1e6:
            return _num(v / 1e6), "million CNY/yr"
        return f"{v:,.0f}", "CNY/yr"
    if kind == "cny_per_mwh_it":
        return _num(v), "CNY/MWh of IT energy"
    if kind == "cny_per":
        rest = key.split("_cny_per_", 1)[-1].replace("_", " ")
        return _num(v), f"CNY/{rest}"
    if kind == "mwh":
        twh = f" ({_num(v / 1e6)} TWh/yr)" if size >= 1e6 else ""
        return f"{v:,.0f}", f"MWh/yr{twh}"
    if kind == "mwh_stored":
        return f"{v:,.0f}", "MWh"
    if kind == "mw":
        return f"{v:,.0f}" if size >= 100 or v == 0 else _num(v), "MW"
    if kind == "t":
        if size >= 1e6:
            return _num(v / 1e6), "Mt CO2/yr"
        return f"{v:,.0f}", "t CO2/yr"
    if kind == "m3":
        if size >= 1e6:
            return _num(v / 1e6), "million m3/yr"
        return f"{v:,.0f}", "m3/yr"
    if kind == "ms":
        return f"{v:,.1f}", "ms"
    if kind == "share":
        return f"{100 * v:.1f}", "%"
    if kind == "ratio":
        return f"{v:.3f}", "-"
    return f"{v:,.6g}", ""


class Summary(pd.Series):
    """Totals, shares and latency of a result: a float Series that prints with units.

    Indexing, arithmetic and every pandas method work as on a plain
    :class:`pandas.Series`; what they return is a plain Series (so
    ``summary / 1e9`` prints as numbers, not with the units of the keys).

    Parameters
    ----------
    data, **kwargs
        As for :class:`pandas.Series`.
    resolution : str, optional
        How the result was computed in time, e.g.
        ``"12 representative days, weather year 0"``; kept in
        ``attrs["resolution"]`` and printed in the header.
    method : str, optional
        ``"direct"`` or ``"benders"``; kept in ``attrs["method"]``.
    """

    @property
    def _constructor(self) -> type[pd.Series]:
        return pd.Series

    def __init__(self, data: Any = None, *args: Any, resolution: str | None = None, method: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        if isinstance(data, pd.Series):
            self.attrs.update(data.attrs)
        if resolution is not None:
            self.attrs["resolution"] = resolution
        if method is not None:
            self.attrs["method"] = method

    def header(self) -> str:
        """The first line of the printed table: name, resolution and method (those that are known)."""
        how = self.attrs.get("resolution")
        method = self.attrs.get("method")
        if how and method:
            how = f"{how} ({method})"
        elif method:
            how = f"method {method}"
        name = f"{self.name}" if self.name is not None else "summary"
        return f"{name}: {how}" if how else name

    def rows(self) -> list[tuple[str, str, str]]:
        """``(key, number, unit)`` of every entry, as printed."""
        return [(str(key), *format_value(str(key), value)) for key, value in self.items()]

    def __repr__(self) -> str:
        rows = self.rows()
        if not rows:
            return f"{self.header()}\n(empty)"
        wk = max(len(k) for k, _, _ in rows)
        wv = max(len(v) for _, v, _ in rows)
        lines = [f"{k:<{wk}}  {v:>{wv}} {u}".rstrip() for k, v, u in rows]
        return "\n".join([self.header(), *lines])

    __str__ = __repr__

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:right'>{html.escape(v)}"
            f"</td><td style='text-align:left'>{html.escape(u)}</td></tr>"
            for k, v, u in self.rows()
        )
        return f"<table><caption>{html.escape(self.header())}</caption><tbody>{cells}</tbody></table>"
