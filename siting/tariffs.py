"""Time-of-use tariffs as hourly multipliers and hourly grid prices.

Pure functions of tables (numpy / pandas and :mod:`siting.datasets` only):

- :func:`hourly_multipliers`: each province's TOU multiplier for each of the
  8760 hours of a non-leap year;
- :func:`hourly_prices`: each site's grid price for each hour [CNY/kWh].

Conventions
-----------
Hour 0 is 1 January 00:00-01:00 local time (China Standard Time, UTC+8, the
time the tariffs are written in); seasons follow the month of the hour. A
period boundary inside an hour (``9-11.5``) gives that hour the time-weighted
mean of the two multipliers. Critical and deep-valley hours are their own
sets in :func:`siting.datasets.tou`, taken out of the peak and valley sets, so
they need no special case here.

Holiday and rest-day rows (``day_type`` other than ``all``: Anhui's >= 3-day
holidays, Shanghai's holidays and rest days, Zhejiang's major holidays) are
**ignored**: every day follows its month's ``all`` row. No holiday calendar is
bundled, and the overrides only deepen the valley on a few days a year, so
ignoring them slightly overstates the price of those days in those three
provinces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from siting.datasets import HOURS_PER_YEAR, NATIONAL, TOU_PERIODS, parse_hours
from siting.errors import InputError

__all__ = ["MONTH_OF_HOUR", "floating_part", "hourly_multipliers", "hourly_prices"]

#: Month (1..12) of each hour of the non-leap model year.
MONTH_OF_HOUR: np.ndarray = pd.date_range("2023-01-01", periods=HOURS_PER_YEAR, freq="h").month.to_numpy()
_DAYS_IN_MONTH = np.bincount(MONTH_OF_HOUR, minlength=13)[1:] // 24

#: Price bases whose floating part is the energy price (coal benchmark + line loss).
_ENERGY_BASES = ("energy_only", "unknown", "energy_plus_capacity_charges")


def _day_profile(row: pd.Series) -> np.ndarray:
    """Multiplier for each of the 24 hours of a day under one TOU row (time-weighted within an hour)."""
    out = np.zeros(24)
    starts = np.arange(24.0)
    for period in TOU_PERIODS:
        mult = row.get(f"{period}_mult", 1.0 if period == "flat" else np.nan)
        if period == "flat" and not np.isfinite(mult):
            mult = 1.0
        for a, b in parse_hours(row.get(f"{period}_hours")):
            overlap = np.clip(np.minimum(b, starts + 1) - np.maximum(a, starts), 0, None)
            out += overlap * mult
    return out


def hourly_multipliers(
    tou: pd.DataFrame, provinces: Sequence[str], *, grids: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Each province's time-of-use multiplier for every hour of a non-leap year.

    Parameters
    ----------
    tou : pandas.DataFrame
        As returned by :func:`siting.datasets.tou` (validated: hour sets
        disjoint and covering the day, each month in one ``all`` row).
    provinces : sequence of str
        Provinces (columns of the result), in order. A province without rows
        in ``tou`` gets the national fallback row (``province == "national"``).
    grids : mapping of str to str, optional
        Grid to use for a province with several (e.g. ``{"Hebei": "冀北"}``);
        default the rows marked ``province_default``.

    Returns
    -------
    pandas.DataFrame
        Shape (8760, len(provinces)); index ``hour`` 0..8759 (hour 0 =
        1 January 00:00 local time), one column per province; values are
        the price multiplier [-] relative to the flat (平段) price, i.e. 1 in
        flat hours.

    Raises
    ------
    InputError
        If a province has no rows and ``tou`` has no national fallback row,
        a requested grid has no rows, or a month has no ``all`` row.
    """
    grids = dict(grids or {})
    rows_all = tou[tou["day_type"] == "all"]
    grid = rows_all["grid"].fillna("") if "grid" in rows_all.columns else pd.Series("", index=rows_all.index)
    default = (
        rows_all["province_default"].astype(bool)
        if "province_default" in rows_all.columns
        else pd.Series(True, index=rows_all.index)
    )
    cache: dict[tuple[str, str | None], np.ndarray] = {}
    out = np.empty((HOURS_PER_YEAR, len(provinces)))
    for j, province in enumerate(provinces):
        key = province if (rows_all["province"] == province).any() else NATIONAL
        if key == NATIONAL and not (rows_all["province"] == NATIONAL).any():
            raise InputError(
                f"tou table: no rows for province {province!r} and no national fallback row "
                f"(province '{NATIONAL}'); add one or the other"
            )
        wanted = grids.get(province) if key == province else None
        if (key, wanted) not in cache:
            mine = rows_all["province"] == key
            if wanted is not None:
                sel = rows_all[mine & (grid == wanted)]
                if sel.empty:
                    raise InputError(
                        f"tou table: no day_type 'all' rows for province {province!r}, grid {wanted!r}; "
                        f"grids are {sorted(set(grid[mine]))}"
                    )
            else:
                sel = rows_all[mine & default]
            by_month = np.full((13, 24), np.nan)
            for _, row in sel.iterrows():
                profile = _day_profile(row)
                for m in str(row["months"]).split(","):
                    if m.strip():
                        by_month[int(float(m))] = profile
            missing = [m for m in range(1, 13) if np.isnan(by_month[m]).any()]
            if missing:
                raise InputError(f"tou table: province {key!r} has no day_type 'all' row for month(s) {missing}")
            cache[(key, wanted)] = np.concatenate(
                [np.tile(by_month[m], _DAYS_IN_MONTH[m - 1]) for m in range(1, 13)]
            )
        out[:, j] = cache[(key, wanted)]
    return pd.DataFrame(out, index=pd.RangeIndex(HOURS_PER_YEAR, name="hour"), columns=list(provinces))


def _base_of(tou: pd.DataFrame, province: str, grid: str | None = None) -> str:
    """``multiplier_base`` of a province's rows (its default grid), else the national row's."""
    rows = tou[(tou["province"] == province) & (tou["day_type"] == "all")]
    if rows.empty:
        rows = tou[(tou["province"] == NATIONAL) & (tou["day_type"] == "all")]
    if grid is not None and "grid" in rows.columns:
        rows = rows[rows["grid"].fillna("") == grid]
    elif "province_default" in rows.columns:
        rows = rows[rows["province_default"].astype(bool)]
    return str(rows["multiplier_base"].iloc[0]) if len(rows) else "energy_only"


def _num(table: pd.DataFrame, column: str, label: str) -> float:
    if column not in table.columns:
        return np.nan
    value = table.at[label, column]
    return float(value) if pd.notna(value) else np.nan


def floating_part(provinces: pd.DataFrame, province: str, base: str) -> float:
    """The part of a province's price [CNY/kWh] that a TOU multiplier applies to.

    Parameters
    ----------
    provinces : pandas.DataFrame
        Province table (index province) with ``electricity_price_cny_per_kwh``
        and, where known, its parts ``coal_benchmark_cny_per_kwh``,
        ``grid_loss_cny_per_kwh``, ``td_energy_charge_cny_per_kwh`` and
        ``government_funds_cny_per_kwh`` [CNY/kWh] (as in
        :func:`siting.datasets.provinces`).
    province : str
        The province.
    base : str
        ``multiplier_base`` of its TOU rows.

    Returns
    -------
    float
        ``full_price``: the whole price. ``energy_plus_td``: coal benchmark +
        loss + T&D, i.e. the price less government funds (the whole price if
        neither the T&D charge nor the funds are given). ``energy_only``,
        ``unknown`` and ``energy_plus_capacity_charges``: coal benchmark +
        line loss (the coal benchmark alone if the loss is not given, the
        whole price if neither is). ``unknown`` is treated as
        ``energy_only``, the most common traced case and the smaller TOU
        effect; ``energy_plus_capacity_charges`` (Shandong) floats capacity
        charges that the bundled price does not contain, so it is
        ``energy_only`` here.
    """
    price = float(provinces.at[province, "electricity_price_cny_per_kwh"])
    if base == "full_price":
        return price
    coal = _num(provinces, "coal_benchmark_cny_per_kwh", province)
    loss = _num(provinces, "grid_loss_cny_per_kwh", province)
    energy = coal + (0.0 if np.isnan(loss) else loss) if not np.isnan(coal) else price
    if base == "energy_plus_td":
        td = _num(provinces, "td_energy_charge_cny_per_kwh", province)
        if not np.isnan(td) and not np.isnan(coal):
            return min(energy + td, price)
        if "government_funds_cny_per_kwh" in provinces.columns:
            funds = _num(provinces, "government_funds_cny_per_kwh", province)
            return price - (0.0 if np.isnan(funds) else funds)
        return price
    return min(energy, price)


def hourly_prices(sites: pd.DataFrame, provinces: pd.DataFrame, tou: pd.DataFrame) -> pd.DataFrame:
    """Each site's grid electricity price for every hour of a non-leap year, with time-of-use tariffs.

    The province's ``electricity_price_cny_per_kwh`` is taken as the flat
    (平段) price. Its floating part ``F`` (:func:`floating_part`, by the
    province's ``multiplier_base``) is multiplied by the hour's multiplier
    ``m_t`` (:func:`hourly_multipliers`) and the rest is fixed::

        price_t = (price - F) + F * m_t

    so a flat hour costs exactly the flat price. A site's own
    ``electricity_price_cny_per_kwh`` (``sites.csv``; empty = its
    province's) replaces the province's price; the difference is taken to be
    a T&D zone difference (true of the bundled zones Shaoguan, Guangzhou and
    Zhangjiakou, Zhangjiakou's lower loss rate aside): it floats with
    ``full_price`` and ``energy_plus_td`` and stays fixed otherwise. A site
    may name its TOU grid in an optional ``tou_grid`` column (e.g. ``冀北``
    for Zhangjiakou); default the province's default grid.

    Parameters
    ----------
    sites : pandas.DataFrame
        Index site; column ``province`` and optionally
        ``electricity_price_cny_per_kwh`` [CNY/kWh] and ``tou_grid``.
    provinces : pandas.DataFrame
        Province table (see :func:`floating_part`).
    tou : pandas.DataFrame
        As returned by :func:`siting.datasets.tou`.

    Returns
    -------
    pandas.DataFrame
        Shape (8760, len(sites)); index ``hour`` (0 = 1 January 00:00 local
        time), one column per site; price [CNY/kWh].

    Raises
    ------
    InputError
        If a site's province is not in ``provinces``, or as
        :func:`hourly_multipliers`.
    """
    unknown = sorted(set(sites["province"]) - set(provinces.index))
    if unknown:
        raise InputError(f"sites table: province {unknown[0]!r} is not in the provinces table")
    out = np.empty((HOURS_PER_YEAR, len(sites)))
    cache: dict[tuple[str, str | None], np.ndarray] = {}
    for j, (site, row) in enumerate(sites.iterrows()):
        province = row["province"]
        grid = row.get("tou_grid") if "tou_grid" in sites.columns and pd.notna(row.get("tou_grid")) else None
        if (province, grid) not in cache:
            grids = {province: grid} if grid is not None else None
            cache[(province, grid)] = hourly_multipliers(tou, [province], grids=grids).to_numpy()[:, 0]
        mult = cache[(province, grid)]
        has_rows = (tou["province"] == province).any()
        base = _base_of(tou, province if has_rows else NATIONAL, grid if has_rows else None)
        p_prov = float(provinces.at[province, "electricity_price_cny_per_kwh"])
        own = row.get("electricity_price_cny_per_kwh") if "electricity_price_cny_per_kwh" in sites.columns else None
        price = float(own) if own is not None and pd.notna(own) else p_prov
        floating = floating_part(provinces, province, base)
        if base in ("full_price", "energy_plus_td"):
            floating += price - p_prov
        floating = min(max(floating, 0.0), price)
        out[:, j] = (price - floating) + floating * mult
    return pd.DataFrame(out, index=pd.RangeIndex(HOURS_PER_YEAR, name="hour"), columns=list(sites.index))
