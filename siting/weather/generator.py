"""``profiles()``: hourly solar and wind capacity factors for any set of locations."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

import siting.weather.solar as solar
import siting.weather.wind as wind
from siting.errors import InputError
from siting.timeseries import HOURS_PER_YEAR
from siting.weather.field import (
    FieldSpec,
    LatentField,
    draw_field,
    field_rng,
    positions_km,
)
from siting.weather.locations import TABLE, check_locations

__all__ = [
    "CHUNK",
    "DEFAULT_SEED",
    "HOURS_PER_YEAR",
    "TIMEZONE",
    "WEATHER_YEARS",
    "YEAR",
    "hours",
    "irradiance",
    "profiles",
    "scale_to_mean",
]

WEATHER_YEARS = 10
"""Number of distinct synthetic weather years: ``weather_year`` is 0 ... 9."""
DEFAULT_SEED = 0
"""Base seed used when ``seed`` is ``None``."""
CHUNK = 100
"""Locations generated together; bounds memory at about 150 MB per call."""
YEAR = 2023
"""Calendar year of the index (a fixed non-leap year, as the bundled profiles)."""
TIMEZONE = "Asia/Shanghai"


def hours() -> pd.DatetimeIndex:
    """The 8760 hour-beginning stamps of :data:`YEAR` in China Standard Time.

    Identical to the index of :func:`siting.datasets.profiles` (nanosecond
    resolution, name ``time``, no ``freq`` attribute).
    """
    stamps = pd.date_range(f"{YEAR}-01-01", periods=HOURS_PER_YEAR, freq="h", tz=TIMEZONE)
    return pd.DatetimeIndex(stamps.as_unit("ns"), freq=None, name="time")


def scale_to_mean(shape: np.ndarray, cf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale columns so that ``mean(min(s * shape, 1)) == cf``.

    Newton's method on the concave, piecewise-linear ``f(s)`` from
    ``s0 = cf / mean(shape)``: every iterate stays at or below the root, so
    it converges monotonically (to 1e-12 in a handful of steps).

    Parameters
    ----------
    shape : numpy.ndarray
        Non-negative values, shape ``(8760, n)``.
    cf : numpy.ndarray
        Target means, shape ``(n,)`` [0..1].

    Returns
    -------
    values : numpy.ndarray
        ``min(s * shape, 1)``, shape ``(8760, n)``.
    reachable : numpy.ndarray
        ``False`` where ``cf`` is not below the share of hours with
        ``shape > 0`` (the supremum of the clipped mean): there the series
        saturates and its mean stays short of ``cf``.
    """
    positive = (shape > 0).mean(axis=0)
    reachable = cf < positive
    s = cf / shape.mean(axis=0)
    for _ in range(100):
        scaled = s * shape
        unclipped = scaled < 1.0
        f = np.minimum(scaled, 1.0).mean(axis=0) - cf
        slope = np.where(unclipped, shape, 0.0).mean(axis=0)
        if np.all((np.abs(f) < 1e-12) | ~reachable):
            break
        s = np.where(reachable & (slope > 0), s - f / np.where(slope > 0, slope, 1.0), s)
    return np.minimum(s * shape, 1.0), reachable


def _check_args(weather_year: object, seed: object) -> tuple[int, int]:
    if isinstance(weather_year, bool) or not isinstance(weather_year, numbers.Integral):
        raise InputError(f"weather_year: expected an integer 0..{WEATHER_YEARS - 1}, got {weather_year!r}")
    if not 0 <= int(weather_year) < WEATHER_YEARS:
        raise InputError(f"weather_year: {weather_year} is not in 0..{WEATHER_YEARS - 1}")
    if seed is None:
        return int(weather_year), DEFAULT_SEED
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise InputError(f"seed: expected a non-negative integer or None, got {seed!r}")
    return int(weather_year), int(seed)


def _refuse_unreachable(ok: np.ndarray, names: pd.Index, column: str, limit: np.ndarray) -> None:
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise InputError(
            f"{TABLE}: row {names[i]!r}, column {column!r}: the capacity factor cannot be reached by "
            f"this location's synthetic weather (at most {limit[i]:.3f})"
        )


_SOLAR_FIELDS = (solar.DAILY_FIELD, solar.HOURLY_FIELD)
_WIND_FIELDS = (wind.SYNOPTIC, wind.MESOSCALE)


def _fields(year: int, base: int, specs: tuple[FieldSpec, ...]) -> dict[str, LatentField]:
    """Latent fields of one (weather year, seed), by name."""
    return {spec.name: draw_field(spec, field_rng(base, year, spec.name)) for spec in specs}


def _solar(loc: pd.DataFrame, fields: dict[str, LatentField]) -> solar.SolarResult:
    pos = positions_km(loc["lat"].to_numpy(), loc["lon"].to_numpy())
    return solar.simulate(
        loc["lat"].to_numpy(),
        loc["lon"].to_numpy(),
        loc["mean_temp_c"].to_numpy(),
        fields[solar.DAILY_FIELD.name].at(pos),
        fields[solar.HOURLY_FIELD.name].at(pos),
    )


def _chunk(loc: pd.DataFrame, fields: dict[str, LatentField]) -> tuple[np.ndarray, np.ndarray]:
    """Scaled solar and wind capacity factors of up to :data:`CHUNK` locations, each ``(8760, n)``."""
    sun = _solar(loc, fields)
    solar_cf = loc["solar_cf"].to_numpy()
    solar_values, ok = scale_to_mean(sun.power, solar_cf)
    _refuse_unreachable(ok, loc.index, "solar_cf", (sun.power > 0).mean(axis=0))

    pos = positions_km(loc["lat"].to_numpy(), loc["lon"].to_numpy())
    w = wind.SYNOPTIC_WEIGHT
    z = np.sqrt(w) * fields[wind.SYNOPTIC.name].at(pos) + np.sqrt(1.0 - w) * fields[wind.MESOSCALE.name].at(pos)
    unit = wind.unit_speed(z, wind.modulation(loc["lon"].to_numpy(), loc["province"].to_numpy()))
    wind_cf = loc["wind_cf"].to_numpy()
    scale, ok = wind.fit_scale(unit, wind_cf)
    raw = wind.power_curve(scale * unit)
    _refuse_unreachable(ok, loc.index, "wind_cf", raw.mean(axis=0))
    wind_values, _ = scale_to_mean(raw, wind_cf)
    return solar_values, wind_values


def profiles(locations: pd.DataFrame, weather_year: int = 0, seed: int | None = None) -> pd.DataFrame:
    """Synthetic hourly solar and wind capacity factors for any locations in mainland China.

    The series are synthetic weather, not measurements: physics (pvlib clear
    sky and PV model, a real turbine power curve) driven by stochastic
    fields calibrated to MERRA-2 daily irradiance distributions and to
    published wind statistics (see :mod:`siting.weather`), each scaled so its
    annual mean is the location's capacity factor.

    Parameters
    ----------
    locations : pandas.DataFrame
        Indexed by location name; columns ``lat`` [deg N], ``lon`` [deg E],
        ``province`` (a name of :func:`siting.datasets.provinces`) and
        optionally ``solar_cf``, ``wind_cf``: annual mean capacity factors
        (0..1, exclusive). An absent CF column is taken from the province
        (``provinces()`` columns ``solar_cf`` / ``wind_cf``).
    weather_year : int
        Which synthetic weather year, 0 ... ``WEATHER_YEARS - 1``; all are
        equally plausible draws of the same climate.
    seed : int, optional
        Base seed (non-negative); ``None`` means :data:`DEFAULT_SEED`.

    Returns
    -------
    pandas.DataFrame
        8760 rows, hour-beginning index in China Standard Time
        (``Asia/Shanghai``, calendar 2023: the index of
        :func:`siting.datasets.profiles`); columns MultiIndex
        ``(location, technology)`` with ``technology`` ``solar`` and
        ``wind``, in the row order of ``locations``; values in [0, 1]; each
        column's mean equals its CF to 1e-12. Solar is exactly 0 whenever
        the sun is below the horizon at the start or middle of the hour.
        A location's series depends only on its coordinates, province, CFs,
        ``weather_year`` and ``seed``, not on the other locations (equal to
        floating-point rounding, < 1e-12).

    Raises
    ------
    InputError
        On a bad ``locations`` table (naming table ``locations``, the row
        and the column), a bad ``weather_year`` or ``seed``, or a CF that
        the location's clipped series cannot reach (solar: the CF must be
        below the share of producing hours, about 0.45-0.5; wind: below the
        largest mean of the fleet power curve over Weibull scales, about 0.7).
    """
    year, base = _check_args(weather_year, seed)
    loc = check_locations(locations)
    fields = _fields(year, base, _SOLAR_FIELDS + _WIND_FIELDS)
    data = np.empty((HOURS_PER_YEAR, 2 * len(loc)))
    for start in range(0, len(loc), CHUNK):
        solar_values, wind_values = _chunk(loc.iloc[start : start + CHUNK], fields)
        stop = start + solar_values.shape[1]
        data[:, 2 * start : 2 * stop : 2] = solar_values
        data[:, 2 * start + 1 : 2 * stop : 2] = wind_values
    columns = pd.MultiIndex.from_product([loc.index, ["solar", "wind"]], names=["location", "technology"])
    return pd.DataFrame(data, index=hours(), columns=columns)


def irradiance(locations: pd.DataFrame, weather_year: int = 0, seed: int | None = None) -> pd.DataFrame:
    """Synthetic hourly global horizontal irradiance behind :func:`profiles` [W/m2].

    A diagnostic: the GHI from which the solar capacity factors are made,
    for comparison with irradiance statistics (MERRA-2 daily variability).
    Same arguments, checks and determinism as :func:`profiles`.

    Returns
    -------
    pandas.DataFrame
        8760 rows (index as :func:`profiles`), one column per location [W/m2].
    """
    year, base = _check_args(weather_year, seed)
    loc = check_locations(locations)
    fields = _fields(year, base, _SOLAR_FIELDS)
    parts = [_solar(loc.iloc[i : i + CHUNK], fields).ghi for i in range(0, len(loc), CHUNK)]
    return pd.DataFrame(np.concatenate(parts, axis=1), index=hours(), columns=loc.index)
