"""Synthetic hourly PV output: clear sky x stochastic clearness, through pvlib.

Steps, each with its source (constants marked ESTIMATE are this module's
choices, not published figures):

1. **Sun position** at the start and the middle of each hour:
   Spencer (1971) declination and equation of time
   (:func:`pvlib.solarposition.declination_spencer71`,
   :func:`~pvlib.solarposition.equation_of_time_spencer71`) and the
   analytical zenith/azimuth of Iqbal (1983)
   (:func:`~pvlib.solarposition.solar_zenith_analytical`), vectorised over
   hours x sites. The hour is **exactly zero** unless the sun is at least
   :data:`MIN_ELEVATION_DEG` above the horizon at both instants; the margin
   covers the < 0.2 deg error of the analytical formulae against NREL SPA, so
   "sun below the horizon per pvlib's SPA" always gives 0.
2. **Clear sky**: Ineichen & Perez (2002) model
   (:func:`pvlib.clearsky.ineichen`, Kasten & Young 1989 air mass) with
   pvlib's bundled monthly Linke-turbidity climatology (Remund et al. 2003,
   SoDa; interpolated to days between month middles, as
   :func:`pvlib.clearsky.lookup_linke_turbidity` does) and the altitude of
   pvlib's bundled altitude map (as :func:`pvlib.location.lookup_altitude`).
3. **Daily clearness**: per location and month the distribution of daily
   mean GHI is MERRA-2's (2011-2015, 3 deg grid) from
   ``datasets/weather_solar_clearness.csv`` (derived from the PyPI package
   ``gsee-climate-data`` 1.0.0, see its header), interpolated bilinearly
   between cell centres (quantile functions are averaged, i.e. the
   Wasserstein barycentre). A latent Gaussian field (daily steps, spatial
   e-folding :data:`DAILY_FIELD`) is mapped to that distribution by its
   quantile function (Gaussian copula), so every cell-month keeps MERRA-2's
   mean and day-to-day coefficient of variation while cloudy spells persist
   (AR(1) across days) and neighbours share weather. The daily clear-sky
   index is the MERRA-2 daily GHI divided by ``beta`` times the monthly
   clear-sky mean, ``beta`` being the location's largest ratio of MERRA-2's
   99.5 % daily GHI to the clear-sky monthly mean over the twelve months:
   MERRA-2 is biased high against the Ineichen/Linke clear sky in eastern
   China (its 95th-percentile days exceed the model's monthly clear sky by
   up to 30 % at the bundled sites), and one constant per location removes
   that bias without changing MERRA-2's month-to-month ratios or its daily
   variability.
4. **Intra-day variability**: hourly clear-sky index = daily index x a
   log-normal factor ``exp(s e - s^2/2)`` with ``e`` a latent hourly field
   (lag-one correlation :data:`HOURLY_FIELD` = 0.54, the mean correlation
   of successive hourly clearness indices found by Graham & Hollands 1990,
   "A method to generate synthetic hourly solar radiation globally", Solar
   Energy 44(6) 333-341)
   and ``s = SIGMA_MAX 4 k (1 - k)`` vanishing on clear (``k = 1``) and
   overcast (``k = 0``) days and largest on broken-cloud days, as in the
   hourly-clearness statistics of Aguiar & Collares-Pereira (1992), Solar
   Energy 48(3) 157-167; ``SIGMA_MAX`` = 0.4 is an ESTIMATE. The factor is
   renormalised per day so the daily energy stays the daily draw, and the
   hourly index is capped at 1.
5. **PV power** for the reference system: Erbs (1982) decomposition
   (:func:`pvlib.irradiance.erbs`), isotropic transposition
   (:func:`pvlib.irradiance.get_total_irradiance`) to a fixed plane facing
   south and tilted at the site latitude with ground albedo 0.2 (the
   bundled profiles' convention), Faiman (2008) cell temperature
   (:func:`pvlib.temperature.faiman`, pvlib defaults U0 = 25 W/m2K,
   U1 = 6.84 W s/m3K, wind 1 m/s) and the PVWatts DC model
   (:func:`pvlib.pvsystem.pvwatts_dc`) with temperature coefficient
   -0.35 %/K, a typical mono-crystalline PERC datasheet value (ESTIMATE).
   Air temperature: the province's annual mean ``mean_temp_c`` plus a
   seasonal cosine (coldest on 18 January) of half-range
   ``clip(0.55 |lat| - 6, 3, 20)`` K and a diurnal cosine of 5 K peaking at
   15:00 solar time (both ESTIMATES, rough fits to the climate normals of
   provincial capitals; the derate shifts the CF shape by a few percent only).
   The result is DC output per kWp [0..~1]; the caller scales it to the
   location's annual capacity factor.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pvlib
from scipy.special import ndtr

from siting.datasets.bundle import data_dir
from siting.weather.field import FieldSpec

__all__ = [
    "CLEARNESS_FILE",
    "DAILY_FIELD",
    "HOURLY_FIELD",
    "MIN_ELEVATION_DEG",
    "PROBS",
    "SIGMA_MAX",
    "Clearness",
    "SolarResult",
    "clearness_at",
    "simulate",
]

CLEARNESS_FILE = "weather_solar_clearness.csv"
PROBS = np.array([0.005, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.995])
"""Probabilities of the quantile columns ``q005`` ... ``q995`` of :data:`CLEARNESS_FILE`."""

MIN_ELEVATION_DEG = 0.5
"""Sun elevation [deg] required at the start and the middle of an hour for output."""
SIGMA_MAX = 0.4
"""Largest log-std of the hourly clear-sky-index factor [-] (ESTIMATE)."""
GAMMA_PDC = -0.0035
"""PV temperature coefficient of power [1/K] (typical datasheet value, ESTIMATE)."""
ALBEDO = 0.2
DIURNAL_TEMP_K = 5.0

DAILY_FIELD = FieldSpec("solar-daily-cloudiness", length_km=400.0, step_corr=0.3, steps=365, features=256)
"""Daily cloudiness: e-folding 400 km and lag-one day correlation 0.3 (ESTIMATES, see calibration)."""
HOURLY_FIELD = FieldSpec("solar-hourly-cloud", length_km=20.0, step_corr=0.54, steps=8760, features=128)
"""Hourly cloud noise: lag-one 0.54 (Graham & Hollands 1990), e-folding 20 km (ESTIMATE)."""

_UTC_OFFSET_H = 8.0
_HOURS = 8760
_DAYS = 365
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_MONTH_OF_DAY = np.repeat(np.arange(12), _DAYS_IN_MONTH)
_MONTH_MIDDLES = np.cumsum(_DAYS_IN_MONTH) - _DAYS_IN_MONTH / 2.0 + 0.5


@dataclass(frozen=True)
class Clearness:
    """MERRA-2 daily-GHI statistics interpolated to locations.

    Attributes
    ----------
    mean : numpy.ndarray
        Mean daily-mean GHI, shape ``(n, 12)`` [W/m2].
    cv : numpy.ndarray
        Coefficient of variation of daily GHI, shape ``(n, 12)`` [-].
    quantiles : numpy.ndarray
        Daily GHI / ``mean`` at :data:`PROBS`, shape ``(n, 12, 15)`` [-].
    """

    mean: np.ndarray
    cv: np.ndarray
    quantiles: np.ndarray


@functools.lru_cache(maxsize=1)
def _clearness_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Regular 3-degree grid of the CSV: (lat0/lon0, values (nlat, nlon, 12, 17), valid)."""
    df = pd.read_csv(data_dir() / CLEARNESS_FILE, comment="#")
    lat0, lon0 = df["lat"].min(), df["lon"].min()
    i = np.rint((df["lat"] - lat0) / 3.0).astype(int).to_numpy()
    j = np.rint((df["lon"] - lon0) / 3.0).astype(int).to_numpy()
    m = df["month"].to_numpy() - 1
    cols = ["ghi_mean_w_m2", "ghi_cv"] + [f"q{round(p * 1000):03d}" for p in PROBS]
    grid = np.full((i.max() + 1, j.max() + 1, 12, len(cols)), np.nan)
    grid[i, j, m] = df[cols].to_numpy(dtype=float)
    valid = np.isfinite(grid[..., 0]).all(axis=-1)
    return np.array([lat0, lon0]), grid, valid


def clearness_at(lat: np.ndarray, lon: np.ndarray) -> Clearness:
    """Bilinear interpolation of the MERRA-2 table between 3-degree cell centres.

    Corners without data (sea) get no weight; a location with no valid corner
    takes the nearest valid cell.

    Parameters
    ----------
    lat, lon : numpy.ndarray
        Shape ``(n,)`` [deg].

    Returns
    -------
    Clearness
    """
    origin, grid, valid = _clearness_grid()
    fi = (lat - origin[0]) / 3.0
    fj = (lon - origin[1]) / 3.0
    i0 = np.clip(np.floor(fi).astype(int), 0, grid.shape[0] - 2)
    j0 = np.clip(np.floor(fj).astype(int), 0, grid.shape[1] - 2)
    ti = np.clip(fi - i0, 0.0, 1.0)
    tj = np.clip(fj - j0, 0.0, 1.0)
    corners = [(i0, j0, (1 - ti) * (1 - tj)), (i0 + 1, j0, ti * (1 - tj)),
               (i0, j0 + 1, (1 - ti) * tj), (i0 + 1, j0 + 1, ti * tj)]
    total = np.zeros(lat.shape)
    values = np.zeros((lat.size,) + grid.shape[2:])
    for ci, cj, w in corners:
        w = np.where(valid[ci, cj], w, 0.0)
        total += w
        values += w[:, None, None] * np.nan_to_num(grid[ci, cj])
    lonely = total <= 0.0
    if lonely.any():
        vi, vj = np.nonzero(valid)
        d2 = (vi[None, :] - fi[lonely, None]) ** 2 + (vj[None, :] - fj[lonely, None]) ** 2
        k = np.argmin(d2, axis=1)
        values[lonely] = grid[vi[k], vj[k]]
        total[lonely] = 1.0
    values /= total[:, None, None]
    return Clearness(mean=values[..., 0], cv=values[..., 1], quantiles=values[..., 2:])


@functools.lru_cache(maxsize=2)
def _pvlib_map(file: str, dataset: str) -> tuple[np.ndarray, int, int]:
    """China slab (15-57 N, 70-140 E) of one of pvlib's bundled 1/12-degree maps.

    The files and their index convention are those of
    :func:`pvlib.clearsky.lookup_linke_turbidity` and
    :func:`pvlib.location.lookup_altitude`; reading one slab once replaces a
    file open per location (5 ms each for the Linke turbidity).
    """
    r0, c0 = _grid_index(57.0, 70.0)
    r1, c1 = _grid_index(15.0, 140.0)
    path = Path(pvlib.__file__).parent / "data" / file
    with h5py.File(path, "r") as h5:
        slab = np.asarray(h5[dataset][r0 : r1 + 1, c0 : c1 + 1])
    return slab, r0, c0


def _grid_index(lat: np.ndarray | float, lon: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of pvlib's 2160 x 4320 maps (rows from 90 N, columns from 180 W)."""
    row = np.rint((90.0 - 1.0 / 24.0 - np.asarray(lat)) * 12.0).astype(int)
    col = np.rint((np.asarray(lon) + 180.0 - 1.0 / 24.0) * 12.0).astype(int)
    return np.clip(row, 0, 2159), np.clip(col, 0, 4319)


def _altitude_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Altitude [m] from pvlib's map (28 m steps from -450 m; no-data -> 0)."""
    slab, r0, c0 = _pvlib_map("Altitude.h5", "Altitude")
    row, col = _grid_index(lat, lon)
    raw = slab[row - r0, col - c0].astype(float)
    return np.where(raw == 255, 0.0, raw * 28.0 - 450.0)


def _linke_daily(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Linke turbidity [-], shape ``(365, n)``, interpolated between month middles."""
    slab, r0, c0 = _pvlib_map("LinkeTurbidities.h5", "LinkeTurbidity")
    row, col = _grid_index(lat, lon)
    monthly = slab[row - r0, col - c0, :].astype(float) / 20.0  # (n, 12)
    days = np.arange(1, _DAYS + 1)
    x = np.concatenate([[_MONTH_MIDDLES[-1] - _DAYS], _MONTH_MIDDLES, [_MONTH_MIDDLES[0] + _DAYS]])
    ext = np.concatenate([monthly[:, -1:], monthly, monthly[:, :1]], axis=1)
    return np.stack([np.interp(days, x, e) for e in ext], axis=1)


def _declination_hour_angle(
    lon: np.ndarray, utc_hours: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Declination and hour angle [rad]; ``utc_hours`` since 2023-01-01 00:00 UTC (broadcasts)."""
    doy = 1.0 + utc_hours / 24.0
    decl = pvlib.solarposition.declination_spencer71(doy)
    eot_min = pvlib.solarposition.equation_of_time_spencer71(doy)
    hour_angle = np.radians(15.0 * ((utc_hours % 24.0) + lon / 15.0 + eot_min / 60.0 - 12.0))
    return decl, hour_angle


def _zenith(lat: np.ndarray, lon: np.ndarray, utc_hours: np.ndarray) -> np.ndarray:
    """Solar zenith [deg], shape ``(len(utc_hours), n)``."""
    decl, hour_angle = _declination_hour_angle(lon[None, :], utc_hours[:, None])
    return np.degrees(pvlib.solarposition.solar_zenith_analytical(np.radians(lat)[None, :], hour_angle, decl))


def _azimuth(lat: np.ndarray, lon: np.ndarray, utc_hours: np.ndarray, zenith_deg: np.ndarray) -> np.ndarray:
    """Solar azimuth [deg east of north] at matching (site, time) points, all of one shape."""
    decl, hour_angle = _declination_hour_angle(lon, utc_hours)
    return np.degrees(
        pvlib.solarposition.solar_azimuth_analytical(np.radians(lat), hour_angle, decl, np.radians(zenith_deg))
    )


def _quantile_map(u: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Piecewise-linear quantile function at probabilities ``u``.

    ``u`` has shape ``(365, n)``, ``q`` the matching tables ``(365, n, 15)``;
    beyond :data:`PROBS` the end values hold.
    """
    pos = np.clip(np.searchsorted(PROBS, u), 1, len(PROBS) - 1)
    p0, p1 = PROBS[pos - 1], PROBS[pos]
    q0 = np.take_along_axis(q, (pos - 1)[..., None], axis=-1)[..., 0]
    q1 = np.take_along_axis(q, pos[..., None], axis=-1)[..., 0]
    t = np.clip((u - p0) / (p1 - p0), 0.0, 1.0)
    return q0 + t * (q1 - q0)


@dataclass(frozen=True)
class SolarResult:
    """Output of :func:`simulate`.

    Attributes
    ----------
    power : numpy.ndarray
        DC output per kWp of the reference system [kW/kWp], shape ``(8760, n)``.
    ghi : numpy.ndarray
        Global horizontal irradiance [W/m2], shape ``(8760, n)``.
    """

    power: np.ndarray
    ghi: np.ndarray


def simulate(
    lat: np.ndarray,
    lon: np.ndarray,
    mean_temp_c: np.ndarray,
    daily_z: np.ndarray,
    hourly_z: np.ndarray,
) -> SolarResult:
    """Hourly PV output of the reference system, before scaling.

    Parameters
    ----------
    lat, lon : numpy.ndarray
        Shape ``(n,)`` [deg].
    mean_temp_c : numpy.ndarray
        Annual mean air temperature, shape ``(n,)`` [degC].
    daily_z : numpy.ndarray
        Latent daily cloudiness field, standard normal, shape ``(365, n)``.
    hourly_z : numpy.ndarray
        Latent hourly cloud noise, standard normal, shape ``(8760, n)``.

    Returns
    -------
    SolarResult
        Hour-beginning values in China Standard Time of the fixed 365-day year.
    """
    # 1. sun position; daylight = sun up at the start and the middle of the hour
    n = lat.size
    local = np.arange(_HOURS, dtype=float)
    zen_mid = _zenith(lat, lon, local + 0.5 - _UTC_OFFSET_H)
    zen_start = _zenith(lat, lon, local - _UTC_OFFSET_H)
    daylight = (zen_mid < 90.0 - MIN_ELEVATION_DEG) & (zen_start < 90.0 - MIN_ELEVATION_DEG)
    rows, cols = np.nonzero(daylight)
    day = rows // 24
    key = day * n + cols
    zen = zen_mid[rows, cols]
    azimuth = _azimuth(lat[cols], lon[cols], rows + 0.5 - _UTC_OFFSET_H, zen)

    # 2. clear sky on daylight hours only
    altitude = _altitude_m(lat, lon)
    linke = _linke_daily(lat, lon)
    dni_extra = pvlib.irradiance.get_extra_radiation(np.arange(1.0, _DAYS + 1.0))[day]
    am = pvlib.atmosphere.get_absolute_airmass(
        pvlib.atmosphere.get_relative_airmass(zen), pvlib.atmosphere.alt2pres(altitude)[cols]
    )
    cs_ghi = pvlib.clearsky.ineichen(zen, am, linke[day, cols], altitude[cols], dni_extra)["ghi"]
    cs_ghi = np.nan_to_num(cs_ghi, nan=0.0)

    # 3. daily clear-sky index from MERRA-2 distributions
    cs_day = np.bincount(key, weights=cs_ghi, minlength=_DAYS * n).reshape(_DAYS, n) / 24.0
    cs_month = np.stack([cs_day[_MONTH_OF_DAY == m].mean(axis=0) for m in range(12)])  # (12, n)
    clear = clearness_at(lat, lon)
    mean_mn = clear.mean.T  # (12, n)
    beta = np.max(mean_mn * clear.quantiles[:, :, -1].T / cs_month, axis=0)
    q_day = clear.quantiles[:, _MONTH_OF_DAY, :].transpose(1, 0, 2)  # (365, n, 15)
    rel = _quantile_map(ndtr(daily_z), q_day)
    kc_day = np.clip(mean_mn[_MONTH_OF_DAY] * rel / (beta * cs_month[_MONTH_OF_DAY]), 0.0, 1.0)

    # 4. intra-day variability, energy-preserving per day
    k = kc_day[day, cols]
    s = SIGMA_MAX * 4.0 * k * (1.0 - k)
    factor = np.exp(s * hourly_z[rows, cols] - 0.5 * s * s)
    num = np.bincount(key, weights=cs_ghi, minlength=_DAYS * n)
    den = np.bincount(key, weights=cs_ghi * factor, minlength=_DAYS * n)
    norm = np.divide(num, den, out=np.ones_like(num), where=den > 0)
    ghi = cs_ghi * np.minimum(k * factor * norm[key], 1.0)

    # 5. PV power of the reference system
    parts = pvlib.irradiance.erbs(ghi, zen, day + 1.0)
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=np.abs(lat)[cols], surface_azimuth=180.0, solar_zenith=zen,
        solar_azimuth=azimuth, dni=parts["dni"], ghi=ghi, dhi=parts["dhi"],
        albedo=ALBEDO, model="isotropic",
    )["poa_global"]
    poa = np.clip(np.nan_to_num(poa, nan=0.0), 0.0, None)
    temp_air = _air_temperature(lat, lon, mean_temp_c, rows, cols)
    temp_cell = pvlib.temperature.faiman(poa, temp_air, wind_speed=1.0)
    dc = pvlib.pvsystem.pvwatts_dc(poa, temp_cell, pdc0=1.0, gamma_pdc=GAMMA_PDC)

    power = np.zeros((_HOURS, n))
    power[rows, cols] = np.clip(dc, 0.0, None)
    ghi_full = np.zeros((_HOURS, n))
    ghi_full[rows, cols] = ghi
    return SolarResult(power=power, ghi=ghi_full)


def _air_temperature(
    lat: np.ndarray, lon: np.ndarray, mean_temp_c: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Air temperature [degC] at the given (hour, site) pairs (ESTIMATE, see module docstring)."""
    doy = rows / 24.0 + 1.0
    solar_hour = (rows + 0.5 - _UTC_OFFSET_H + lon[cols] / 15.0) % 24.0
    half_range = np.clip(0.55 * np.abs(lat) - 6.0, 3.0, 20.0)[cols]
    return (
        mean_temp_c[cols]
        - half_range * np.cos(2.0 * np.pi * (doy - 18.0) / _DAYS)
        + DIURNAL_TEMP_K * np.cos(2.0 * np.pi * (solar_hour - 15.0) / 24.0)
    )
