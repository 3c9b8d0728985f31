"""Loaders of the grid tables: time-of-use tariffs, UHV corridors and renewable curtailment.

Every loader accepts, in place of the bundled file, a path to the user's own
file or a DataFrame; user data goes through exactly the same checks, and a
problem is reported with the file (or table), the line (or row), the column
and the value. Sources and status of every figure: ``datasets/SOURCES.md``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd

from siting.datasets.bundle import table_arg
from siting.datasets.schemas import (
    CORRIDOR_COLUMNS,
    CURTAILMENT_COLUMNS,
    TOU_COLUMNS,
    TOU_PERIODS,
)
from siting.datasets.tables import provinces as _provinces
from siting.datasets.validation import check_known, check_table, where
from siting.errors import InputError

__all__ = ["NATIONAL", "corridors", "curtailment", "parse_hours", "tou"]

#: Province label of the national rows: the TOU fallback row and the national curtailment totals.
NATIONAL = "national"

_TOL = 1e-9


def _known_provinces(provinces: pd.DataFrame | None) -> pd.Index:
    return provinces.index if provinces is not None else _provinces().index


def parse_hours(text: object) -> list[tuple[float, float]]:
    """Parse an hour set such as ``"7-8;9-11.5;15.5-20"`` into ``[(7, 8), (9, 11.5), (15.5, 20)]``.

    Parameters
    ----------
    text : str or NaN
        Intervals ``start-end`` in decimal local hours, ``[start, end)``,
        separated by ``;``; empty or NaN for none. ``0 <= start < end <= 24``
        (an interval across midnight is written as two, ``23-24;0-7``).

    Returns
    -------
    list of (float, float)
        The intervals [h], in the order given.

    Raises
    ------
    ValueError
        On text that is not such a list, or an interval outside ``[0, 24]``
        or with ``end <= start``; the message says which part.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    out = []
    for part in str(text).split(";"):
        part = part.strip()
        if not part:
            continue
        pieces = part.split("-")
        try:
            if len(pieces) != 2:
                raise ValueError
            start, end = float(pieces[0]), float(pieces[1])
        except ValueError:
            raise ValueError(f"{part!r} is not an interval 'start-end' in hours (e.g. '7-8.5')") from None
        if not (0 <= start < end <= 24):
            raise ValueError(f"{part!r}: expected 0 <= start < end <= 24 (write '23-24;0-7' across midnight)")
        out.append((start, end))
    return out


def _months(text: object) -> list[int]:
    try:
        months = [int(float(m)) for m in str(text).replace(" ", "").split(",") if m != ""]
    except ValueError:
        raise ValueError(f"{text!r} is not a list of months such as '7,8,9'") from None
    if not months or any(m < 1 or m > 12 for m in months):
        raise ValueError(f"{text!r}: expected months 1..12 separated by commas, e.g. '7,8,9'")
    if len(set(months)) != len(months):
        raise ValueError(f"{text!r}: a month is listed twice")
    return months


def _check_tou_row(out: pd.DataFrame, i: int, table: str) -> None:
    """Hour sets of row ``i`` parse, do not overlap, cover the day on ``all`` rows, and have multipliers."""
    row = out.iloc[i]
    at = where(out, i)
    intervals: list[tuple[float, float, str]] = []
    for p in TOU_PERIODS:
        col = f"{p}_hours"
        try:
            hours = parse_hours(row[col])
        except ValueError as exc:
            raise InputError(f"{table}: {at}, column '{col}': {exc}") from None
        mult = row[f"{p}_mult"] if f"{p}_mult" in out.columns else (1.0 if p == "flat" else np.nan)
        if hours and not (np.isfinite(mult) and mult > 0):
            raise InputError(
                f"{table}: {at}, column '{p}_mult': {mult!r} but the row has {p} hours; expected a multiplier > 0"
            )
        intervals += [(a, b, col) for a, b in hours]
    intervals.sort()
    for (a0, b0, c0), (a1, b1, c1) in itertools.pairwise(intervals):
        if a1 < b0 - _TOL:
            raise InputError(
                f"{table}: {at}: hours {a0:g}-{b0:g} ('{c0}') and {a1:g}-{b1:g} ('{c1}') overlap; "
                "expected the five hour sets to be disjoint"
            )
    if row["day_type"] == "all":
        covered = sum(b - a for a, b, _ in intervals)
        if abs(covered - 24) > 1e-6:
            gaps, t = [], 0.0
            for a, b, _ in intervals:
                if a > t + _TOL:
                    gaps.append(f"{t:g}-{a:g}")
                t = max(t, b)
            if t < 24 - _TOL:
                gaps.append(f"{t:g}-24")
            raise InputError(
                f"{table}: {at}: the hour sets cover {covered:g} h, not 24 (missing {';'.join(gaps)}); "
                "expected a day_type 'all' row to assign every hour to one period"
            )


def tou(
    data: str | Path | pd.DataFrame | None = None,
    provinces: pd.DataFrame | None = None,
    *,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Time-of-use tariffs for industrial and commercial users, by province, grid, season and day type.

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own table with the columns of :data:`TOU_COLUMNS`.
        Default: the bundled ``tou.csv`` (31 provinces, 81 rows, plus one
        national fallback row labelled estimate).
    provinces : DataFrame, optional
        Province table the ``province`` column must refer to (default
        :func:`~siting.datasets.provinces`); ``"national"`` is also allowed.
    encoding : str, optional
        Text encoding of the user's file (e.g. ``"gbk"``); default UTF-8.

    Returns
    -------
    pandas.DataFrame
        One row per province, grid, season and day type; columns
        ``province``, ``grid`` (empty = whole province), ``province_default``
        (bool: the grid used for the province as a whole), ``months`` (text,
        e.g. ``"7,8,9"``), ``day_type`` (``all``, or a holiday / rest-day
        override giving only its own hours), ``<period>_hours`` (text,
        ``[start, end)`` local decimal hours) and ``<period>_mult`` [-,
        relative to the flat price; ``flat_mult`` 1] for the periods
        critical, peak, flat, valley and deep_valley, ``multiplier_base``
        (what part of the price floats: energy_only, energy_plus_td,
        energy_plus_capacity_charges, full_price, unknown), ``policy_doc``,
        ``year``, ``status`` and, in the bundled file, per-row sources.

    Raises
    ------
    InputError
        On a missing column or value, an unknown province, months outside
        1..12, hour sets that overlap or (on ``all`` rows) do not cover the
        24 hours, a period with hours but no multiplier > 0, ``all`` rows of
        one province and grid whose months do not cover each month exactly
        once, or a province with more than one default grid.
    """
    df, table = table_arg(data, "tou.csv", encoding)
    out = check_table(df, TOU_COLUMNS, table)
    if "flat_mult" not in out.columns:
        out["flat_mult"] = 1.0
    out["flat_mult"] = out["flat_mult"].fillna(1.0)
    if "grid" not in out.columns:
        out["grid"] = np.nan
    if "province_default" not in out.columns:
        out["province_default"] = True
    known = list(_known_provinces(provinces)) + [NATIONAL]
    check_known(out["province"], known, table, "province", "province")
    month_lists = []
    for i in range(len(out)):
        try:
            month_lists.append(_months(out["months"].iloc[i]))
        except ValueError as exc:
            raise InputError(f"{table}: {where(out, i)}, column 'months': {exc}") from None
        _check_tou_row(out, i, table)
    grid = out["grid"].fillna("")
    for province in dict.fromkeys(out["province"]):
        mine = (out["province"] == province).to_numpy()
        default_grids = set(grid[mine & out["province_default"].to_numpy()])
        if len(default_grids) != 1:
            first = int(np.flatnonzero(mine)[0])
            raise InputError(
                f"{table}: {where(out, first)}, column 'province_default': province {province!r} has "
                f"{len(default_grids)} default grids {sorted(default_grids)}; expected exactly one (mark the "
                "rows of the grid that stands for the whole province true, the others false)"
            )
        for g in dict.fromkeys(grid[mine]):
            rows = np.flatnonzero(mine & (grid == g).to_numpy() & (out["day_type"] == "all").to_numpy())
            seen: dict[int, int] = {}
            for i in rows:
                for m in month_lists[i]:
                    if m in seen:
                        raise InputError(
                            f"{table}: {where(out, int(i))}, column 'months': month {m} of {province!r}"
                            + (f" ({g})" if g else "")
                            + f" is already in {where(out, seen[m])}; expected each month in one 'all' row"
                        )
                    seen[m] = int(i)
            missing = sorted(set(range(1, 13)) - set(seen))
            if missing:
                at = where(out, int(rows[0])) if len(rows) else where(out, int(np.flatnonzero(mine)[0]))
                raise InputError(
                    f"{table}: {at}, column 'months': no day_type 'all' row of {province!r}"
                    + (f" ({g})" if g else "")
                    + f" covers month(s) {missing}; expected the 'all' rows to cover the 12 months"
                )
    return out


def corridors(
    data: str | Path | pd.DataFrame | None = None,
    provinces: pd.DataFrame | None = None,
    *,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Inter-provincial UHV and HVDC corridors: ends, capacity, loss, tariff and usable share.

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own table with a ``corridor`` column (or index) and the
        columns of :data:`CORRIDOR_COLUMNS`. Default: the bundled
        ``corridors.csv`` (28 DC lines).
    provinces : DataFrame, optional
        Province table both ends must refer to (default
        :func:`~siting.datasets.provinces`).
    encoding : str, optional
        Text encoding of the user's file; default UTF-8.

    Returns
    -------
    pandas.DataFrame
        Index ``corridor``; columns ``sending_province``,
        ``receiving_province``, ``voltage_kv`` [kV], ``capacity_mw`` [MW],
        ``length_km`` [km], ``loss_share`` [0..1] (approved line-loss rate),
        ``tariff_cny_per_kwh`` [CNY/kWh], ``tariff_includes_loss`` (bool: a
        tariff approved "含线损" already prices the loss, so applying both it
        and ``loss_share`` counts the loss twice), ``commissioning_year``,
        ``usable_share`` [0..1] (share of the capacity new wind/solar
        contracts can use; an estimate in the bundled data) and, in the
        bundled file, the status and source columns.

    Raises
    ------
    InputError
        On a missing column or value, an unknown province, a capacity that
        is not > 0, shares outside [0, 1], or a corridor whose two ends are
        the same province.
    """
    df, table = table_arg(data, "corridors.csv", encoding)
    out = check_table(df, CORRIDOR_COLUMNS, table, index="corridor")
    out.index.name = "corridor"
    known = _known_provinces(provinces)
    for col in ("sending_province", "receiving_province"):
        check_known(out[col], known, table, col, "province")
    zero = (out["capacity_mw"] <= 0).to_numpy()
    if zero.any():
        i = int(np.flatnonzero(zero)[0])
        raise InputError(
            f"{table}: {where(out, i)}, column 'capacity_mw': {out['capacity_mw'].iloc[i]:g}; expected a capacity > 0"
        )
    same = (out["sending_province"] == out["receiving_province"]).to_numpy()
    if same.any():
        i = int(np.flatnonzero(same)[0])
        raise InputError(
            f"{table}: {where(out, i)}, column 'receiving_province': {out['receiving_province'].iloc[i]!r} is also "
            "the sending province; expected a corridor between two provinces"
        )
    return out


def curtailment(
    data: str | Path | pd.DataFrame | None = None,
    provinces: pd.DataFrame | None = None,
    *,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Installed wind and solar capacity and the share of their output curtailed, by province and year.

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own table with the columns of :data:`CURTAILMENT_COLUMNS`.
        Default: the bundled ``curtailment.csv`` (2022-2024, 31 provinces and
        the national total, wind and solar: 192 rows; Inner Mongolia merged
        from the 蒙西 and 蒙东 grids).
    provinces : DataFrame, optional
        Province table the ``province`` column must refer to (default
        :func:`~siting.datasets.provinces`); ``"national"`` is also allowed.
    encoding : str, optional
        Text encoding of the user's file; default UTF-8.

    Returns
    -------
    pandas.DataFrame
        One row per province, year and technology; columns ``province``,
        ``year``, ``technology`` (solar / wind), ``installed_mw`` [MW] (end
        of year; bundled wind for 2024 is November and plants >= 6 MW),
        ``curtailment_share`` [0..1] (1 - utilisation rate) and, in the
        bundled file, ``monthly_mean_curtailment_share`` [0..1] and the
        status and source columns.

    Raises
    ------
    InputError
        On a missing column or value, an unknown province or technology, a
        share outside [0, 1], a negative capacity, or a province, year and
        technology given twice.
    """
    df, table = table_arg(data, "curtailment.csv", encoding)
    out = check_table(df, CURTAILMENT_COLUMNS, table)
    known = list(_known_provinces(provinces)) + [NATIONAL]
    check_known(out["province"], known, table, "province", "province")
    key = out[["province", "year", "technology"]]
    dup = key.duplicated().to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        p, y, t = key.iloc[i]
        raise InputError(
            f"{table}: {where(out, i)}: {p!r}, {y}, {t!r} appears more than once; "
            "expected one row per province, year and technology"
        )
    return out

