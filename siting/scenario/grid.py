"""The power grid beyond the sites: UHV corridors and the provinces' existing wind and solar fleets.

A scenario carries two optional tables for ``corridors=True`` and
``curtailment=True``: ``corridor_lines`` (one row per UHV/HVDC line) and
``grid_provinces`` (capital coordinates, capacity factors, installed wind
and solar, curtailment rates). The hourly profiles of a province (its fleet,
and new plants contracted over a corridor) come from the synthetic weather
at its capital for the scenario's weather year (:mod:`siting.weather`).

Curtailed energy
----------------
A province's fleet produces :math:`C_k\\,cf_{kt}` [MW]. The sourced annual
curtailment rate :math:`\\gamma_k` fixes the energy curtailed; it is taken
from the highest-output hours first: the output above a level :math:`\\tau`
is curtailed, with :math:`\\tau` such that
:math:`\\sum_t \\max(C_k cf_{kt} - \\tau, 0) = \\gamma_k \\sum_t C_k cf_{kt}`
(curtailment happens when the grid cannot take more, which is when output
is high; a level is the simplest rule with that property and keeps the
sourced annual total exactly).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from siting import datasets
from siting.datasets.validation import Column, check_table
from siting.errors import InputError
from siting.scenario.profiles import LOCATION_COLUMNS, site_profiles

__all__ = [
    "CORRIDOR_LINE_COLUMNS",
    "GRID_PROVINCE_COLUMNS",
    "bundled_grid",
    "loss_in_tariff",
    "check_grid_tables",
    "province_profiles",
    "curtailed_power",
]

#: Columns of :attr:`Scenario.corridor_lines` (index ``corridor``).
CORRIDOR_LINE_COLUMNS: tuple[Column, ...] = (
    Column("sending_province", "str"),
    Column("receiving_province", "str"),
    Column("capacity_mw", "float", min=0, description="rated capacity [MW]"),
    Column("usable_share", "float", min=0, max=1, description="share of the capacity new contracts may use [0..1]"),
    Column("loss_share", "float", min=0, max=1, description="line and converter losses [0..1]"),
    Column("tariff_cny_per_kwh", "float", min=0,
           description="transmission price per kWh delivered, without the line loss (the model delivers "
                       "sent × (1 − loss_share)) [CNY/kWh]"),
)

#: Columns of :attr:`Scenario.grid_provinces` (index ``province``).
GRID_PROVINCE_COLUMNS: tuple[Column, ...] = (
    Column("region", "str"),
    Column("lat", "float", min=-90, max=90),
    Column("lon", "float", min=-180, max=180),
    Column("solar_cf", "float", min=0, max=1),
    Column("wind_cf", "float", min=0, max=1),
    Column("solar_installed_mw", "float", min=0, description="installed solar [MW]"),
    Column("wind_installed_mw", "float", min=0, description="installed wind [MW]"),
    Column("solar_curtailment_share", "float", min=0, max=1, description="share of solar output curtailed"),
    Column("wind_curtailment_share", "float", min=0, max=1, description="share of wind output curtailed"),
)


def bundled_grid(provinces: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled corridors and province fleets as scenario tables.

    Parameters
    ----------
    provinces : pandas.DataFrame, optional
        Province table (:func:`siting.datasets.provinces`, the default).

    Returns
    -------
    corridor_lines, grid_provinces : pandas.DataFrame
        With the columns of :data:`CORRIDOR_LINE_COLUMNS` and
        :data:`GRID_PROVINCE_COLUMNS`.

    Notes
    -----
    The model already loses ``loss_share`` of the energy sent, so a tariff
    approved "含输电环节线损" (``tariff_includes_loss``, 发改价格规〔2021〕1455号)
    would charge the loss twice. Its loss part is taken out as the
    provincial grid-loss charge is computed (:func:`loss_in_tariff`).
    """
    prov = datasets.provinces() if provinces is None else provinces
    table = datasets.corridors(provinces=prov)
    lines = table[[c.name for c in CORRIDOR_LINE_COLUMNS]].copy()
    lines["tariff_cny_per_kwh"] -= loss_in_tariff(table, prov)
    grid = prov[[c.name for c in GRID_PROVINCE_COLUMNS]].copy()
    return lines, grid


def loss_in_tariff(lines: pd.DataFrame, provinces: pd.DataFrame) -> pd.Series:
    r"""The part of each corridor tariff that pays for the line loss [CNY per kWh delivered].

    Where ``tariff_includes_loss`` is true it is the lost energy valued at
    the sending province's coal benchmark price :math:`p`, per kWh that
    arrives: :math:`p\,\rho / (1 - \rho)` with the loss rate :math:`\rho`
    (the method of the provincial grid-loss charge, 发改价格〔2026〕1077号
    附件1 注3); 0 where the tariff excludes the loss.

    Parameters
    ----------
    lines : pandas.DataFrame
        :func:`siting.datasets.corridors`.
    provinces : pandas.DataFrame
        :func:`siting.datasets.provinces` (``coal_benchmark_cny_per_kwh``).

    Returns
    -------
    pandas.Series
        Indexed like ``lines`` [CNY/kWh].
    """
    benchmark = provinces.loc[lines["sending_province"], "coal_benchmark_cny_per_kwh"].to_numpy()
    rho = lines["loss_share"].to_numpy()
    part = np.where(lines["tariff_includes_loss"].to_numpy(dtype=bool), benchmark * rho / (1.0 - rho), 0.0)
    return pd.Series(part, index=lines.index, name="loss_in_tariff_cny_per_kwh")


def check_grid_tables(lines: object, grid: object) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Validate ``corridor_lines`` and ``grid_provinces`` (each may be None); every corridor end must be a province of ``grid``."""
    out_lines = out_grid = None
    if grid is not None:
        out_grid = check_table(grid, GRID_PROVINCE_COLUMNS, "grid_provinces", index="province")
        out_grid.index.name = "province"
    if lines is not None:
        out_lines = check_table(lines, CORRIDOR_LINE_COLUMNS, "corridor_lines", index="corridor")
        out_lines.index.name = "corridor"
        if out_grid is not None:
            for col in ("sending_province", "receiving_province"):
                unknown = sorted(set(out_lines[col]) - set(out_grid.index))
                if unknown:
                    raise InputError(
                        f"corridor_lines: {col} {unknown[0]!r} is not a province of grid_provinces"
                    )
    return out_lines, out_grid


def province_profiles(grid: pd.DataFrame, provinces: list[str], weather_year: int) -> pd.DataFrame:
    """Hourly solar and wind capacity factors at the provinces' capitals [0..1].

    Returns
    -------
    pandas.DataFrame
        8760 rows × ``(province, technology)``, scaled to each province's
        ``solar_cf`` / ``wind_cf``.
    """
    table = grid.loc[provinces, ["lat", "lon", "solar_cf", "wind_cf"]].copy()
    table["province"] = table.index
    return site_profiles(table[list(LOCATION_COLUMNS)], weather_year)


def curtailed_power(output: np.ndarray, share: float) -> np.ndarray:
    """Curtailed power of a fleet, taken from its highest-output hours [MW].

    Parameters
    ----------
    output : numpy.ndarray
        Hourly output of the fleet before curtailment, shape (8760,) [MW].
    share : float
        Share of the annual output curtailed [0..1).

    Returns
    -------
    numpy.ndarray
        ``max(output - tau, 0)`` with the level ``tau`` [MW] at which the
        curtailed energy is ``share`` of the output (to 1e-12 relative).
    """
    total = float(output.sum())
    if share <= 0 or total <= 0:
        return np.zeros_like(output)
    if share >= 1:
        return output.copy()
    target = share * total
    # the curtailed energy above a level is piecewise linear and decreasing
    # in the level: solve on the sorted outputs exactly
    x = np.sort(output)[::-1]
    above = np.cumsum(x) - np.arange(1, len(x) + 1) * x  # energy above level x[j]
    j = int(np.searchsorted(above, target))  # first level whose energy above reaches the target
    # between x[j] and x[j-1] the energy above the level falls linearly with slope j
    tau = x[j - 1] - (target - above[j - 1]) / j if j > 0 else x[0]
    return np.maximum(output - tau, 0.0)
