"""Synthetic hourly wind output: latent Gaussian field -> Weibull speed -> power curve.

Steps (constants marked ESTIMATE are this module's choices; the sourced
calibration targets they were tuned against are in
:mod:`siting.weather.calibration`):

1. **Latent field**: ``Z = sqrt(w) Z_syn + sqrt(1 - w) Z_meso``, the sum of
   two independent space-time fields of :mod:`siting.weather.field`: a
   synoptic one (weather systems; long range, about a day of persistence)
   and a mesoscale one (shorter range, hours). Two scales because the
   correlation length of wind fluctuations shrinks with their time scale
   (St. Martin, Lundquist & Handschy 2015, Environ. Res. Lett. 10 044004,
   https://doi.org/10.1088/1748-9326/10/4/044004; Olauson & Bergkvist 2016,
   Energy 114 663-670, https://doi.org/10.1016/j.energy.2016.08.036, find
   exponential decay with distance, slowest for long periods and fastest for
   hourly steps). Both use second-order (cascaded AR(1)) persistence: an
   AR(1) path is too rough from hour to hour for the observed ramps at the
   observed lag-one autocorrelation. Lengths, time constants and ``w`` are
   ESTIMATES tuned to the targets of :mod:`siting.weather.calibration`
   (:data:`SYNOPTIC`, :data:`MESOSCALE`, :data:`SYNOPTIC_WEIGHT`).
2. **Weibull speed** of the *local fleet* (the farms that would supply a
   site, not one turbine): ``u = c s(t) F^-1(Phi(Z))`` with ``F`` the
   unit-scale Weibull law of shape :data:`WEIBULL_SHAPE` = 2.8, ``c`` the
   location's scale [m/s] and ``s(t)`` a seasonal x diurnal modulation [-]
   of the scale; at a given time of year and day the speed is Weibull.
   A single site's hub-height speed has k of about 2 (Rayleigh, the
   reference of IEC 61400-1); averaging over a fleet narrows the
   distribution, and k = 2.8 (ESTIMATE) puts the share of calm hours of the
   provincial CFs (0.17-0.32) in the observed "several to over 20 %" range.
3. **Cycles** (ESTIMATE): the regimes of the project's bundled profiles
   (the former ``datasets/scripts/make_profiles.py``): north, north-west, north-east
   and east with a spring maximum (day 95) and a night-time maximum at hub
   height (01:00 solar time); the south-west dry-season regime (Yunnan,
   Guizhou, Sichuan, Chongqing, Tibet, Guangxi) peaking on day 60 and at
   15:00; the south-east coast north-east-monsoon regime (Fujian,
   Guangdong, Hainan, Zhejiang, Shanghai) peaking on day 350 and at 01:00.
   The bundled profiles put amplitudes of 0.25/0.45 (season) and 0.15
   (day) on the capacity factor; on the speed they are divided by 2.5, the
   typical slope d ln P / d ln u of the power curve below rated speed.
4. **Power curve** of the GE 2.5-120 (2.5 MW, 120 m rotor, 221 W/m2), from
   windpowerlib 0.2.2's copy of the OpenEnergy Platform turbine library
   (``windpowerlib/oedb/power_curves.csv``, type ``GE120/2500``; source
   given there: https://www.wind-turbine-models.com/turbines/310-general-electric-ge-2.5-120;
   windpowerlib is MIT-licensed), chosen as the library's closest match to
   the low-specific-power 2-3 MW class that dominates China's onshore
   fleet. Normalised by its maximum (2530 kW): cut-in 3 m/s, rated 12 m/s,
   zero above the last tabulated speed, 20 m/s, as
   :func:`windpowerlib.power_output.power_curve` treats it (cut-out).
   For the fleet the curve is averaged over a Gaussian spread of speeds
   with standard deviation :data:`FLEET_SPREAD` x ``u`` (the multi-turbine
   power curve of Norgaard & Holttinen 2004, "A multi-turbine power curve
   approach", Nordic Wind Power Conference, as implemented by
   :func:`windpowerlib.power_curves.smooth_power_curve` with a turbulence
   intensity of 0.2; ESTIMATE).
5. **Scale to the capacity factor**: ``c`` is the root of
   ``mean_t P(c s(t) g_t) = CF`` on the rising branch of that function,
   found by vectorised bisection on every 16th order statistic of
   ``s(t) g_t``; the caller then applies an exact final correction.
"""

from __future__ import annotations

import numpy as np
from scipy.special import log_ndtr

from siting.weather.field import FieldSpec

__all__ = [
    "CURVE_POWER",
    "CURVE_SPEED_M_S",
    "FLEET_POWER",
    "FLEET_SPEED_M_S",
    "FLEET_SPREAD",
    "MESOSCALE",
    "SE_COAST",
    "SOUTHWEST",
    "SYNOPTIC",
    "SYNOPTIC_WEIGHT",
    "WEIBULL_SHAPE",
    "fit_scale",
    "modulation",
    "power_curve",
    "unit_speed",
]

CURVE_SPEED_M_S = np.arange(0.0, 20.01, 0.5)
"""Wind speeds of the power curve [m/s]."""
_CURVE_KW = np.array([
    0, 0, 0, 0, 0, 0, 25, 89, 171, 269, 389, 533, 704, 906, 1136, 1400, 1674, 1934, 2160, 2316,
    2416, 2477, 2514, 2528, 2530, 2530, 2530, 2530, 2530, 2530, 2530, 2530, 2530, 2530, 2530,
    2530, 2530, 2530, 2530, 2530, 2530,
], dtype=float)
CURVE_POWER = _CURVE_KW / _CURVE_KW.max()
"""GE 2.5-120 power curve normalised to its maximum [-] (windpowerlib/oedb ``GE120/2500``)."""
FLEET_SPREAD = 0.2
"""Relative spread of wind speeds across the local fleet [-] (ESTIMATE)."""

WEIBULL_SHAPE = 2.8
"""Weibull shape of the fleet-average hub-height speed [-] (ESTIMATE)."""
SYNOPTIC = FieldSpec("wind-synoptic", length_km=600.0, step_corr=float(np.exp(-1.0 / 16.0)),
                     steps=8760, features=256, order=2)
"""Synoptic wind field: e-folding 600 km; second-order persistence, time constant 16 h (ESTIMATES)."""
MESOSCALE = FieldSpec("wind-mesoscale", length_km=80.0, step_corr=float(np.exp(-1.0 / 2.5)),
                      steps=8760, features=128, order=2)
"""Mesoscale wind field: e-folding 80 km; second-order persistence, time constant 2.5 h (ESTIMATES)."""
SYNOPTIC_WEIGHT = 0.75
"""Variance share ``w`` of the synoptic field [-] (ESTIMATE)."""


_FLEET_STEP = 0.1


def _fleet_curve() -> tuple[np.ndarray, np.ndarray]:
    """Multi-turbine curve: the turbine curve averaged over speeds ``N(u, (FLEET_SPREAD u)^2)``.

    Outputs below 1e-6 (the Gaussian's tails below cut-in) are set to 0: they
    are no power anyone meters, and coefficients of 1e-60 would only hurt the
    conditioning of the LP.
    """
    speeds = np.arange(401) * _FLEET_STEP
    fine = np.arange(0.0, 45.0, 0.05)
    single = np.interp(fine, CURVE_SPEED_M_S, CURVE_POWER, left=0.0, right=0.0)
    sigma = np.maximum(FLEET_SPREAD * speeds, 0.1)[:, None]
    weight = np.exp(-0.5 * ((fine[None, :] - speeds[:, None]) / sigma) ** 2)
    power = (weight / weight.sum(axis=1, keepdims=True)) @ single
    return speeds, np.where(power < 1e-6, 0.0, power)


FLEET_SPEED_M_S, FLEET_POWER = _fleet_curve()
"""Fleet power curve [-] at speeds [m/s] 0..40 (step 0.1)."""

SOUTHWEST = frozenset({"Yunnan", "Guizhou", "Sichuan", "Chongqing", "Tibet", "Guangxi"})
SE_COAST = frozenset({"Fujian", "Guangdong", "Hainan", "Zhejiang", "Shanghai"})
_SPEED_PER_CF = 1.0 / 2.5
_UTC_OFFSET_H = 8.0


def power_curve(speed: np.ndarray) -> np.ndarray:
    """Normalised fleet output [-] at the fleet-average hub-height speed ``speed`` [m/s].

    Linear interpolation on the uniform 0.1 m/s grid (direct indexing, which
    is faster than :func:`numpy.interp`'s search); 0 beyond 40 m/s.
    """
    x = np.clip(np.asarray(speed) / _FLEET_STEP, 0.0, FLEET_POWER.size - 1.0)
    i = np.minimum(x.astype(np.intp), FLEET_POWER.size - 2)
    t = x - i
    return FLEET_POWER[i] * (1.0 - t) + FLEET_POWER[i + 1] * t


def modulation(lon: np.ndarray, provinces: np.ndarray) -> np.ndarray:
    """Seasonal x diurnal factor ``s(t)`` on the Weibull scale [-], shape ``(8760, n)``.

    Diurnal phase from the local solar hour ``UTC hour + lon / 15``; the
    cosine of a sum is expanded into outer products (no 8760 x n cosine).
    """
    sw = np.isin(provinces, list(SOUTHWEST))
    se = np.isin(provinces, list(SE_COAST))
    peak_day = np.where(sw, 60.0, np.where(se, 350.0, 95.0))
    season_amp = _SPEED_PER_CF * np.where(sw, 0.45, 0.25)
    peak_hour = np.where(sw, 15.0, 1.0)
    day_amp = _SPEED_PER_CF * 0.15
    doy = np.arange(1.0, 366.0)[:, None]
    season = 1.0 + season_amp * np.cos(2.0 * np.pi * (doy - peak_day) / 365.0)  # (365, n)
    a = 2.0 * np.pi * (np.arange(8760.0) + 0.5 - _UTC_OFFSET_H) / 24.0  # UTC phase
    b = 2.0 * np.pi * (lon / 15.0 - peak_hour) / 24.0  # site phase
    diurnal = 1.0 + day_amp * (np.outer(np.cos(a), np.cos(b)) - np.outer(np.sin(a), np.sin(b)))
    return np.repeat(season, 24, axis=0) * diurnal


def unit_speed(z: np.ndarray, mod: np.ndarray) -> np.ndarray:
    """Wind speed for a unit Weibull scale [m/s per m/s of ``c``].

    Parameters
    ----------
    z : numpy.ndarray
        Latent standard-normal field, shape ``(8760, n)``.
    mod : numpy.ndarray
        :func:`modulation`, same shape.

    Returns
    -------
    numpy.ndarray
        ``s(t) (-ln(1 - Phi(z)))^(1/k)``; ``log_ndtr(-z)`` keeps the upper
        tail accurate.
    """
    return mod * (-log_ndtr(-z)) ** (1.0 / WEIBULL_SHAPE)


def fit_scale(unit: np.ndarray, cf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weibull scale that gives each location its capacity factor.

    Parameters
    ----------
    unit : numpy.ndarray
        :func:`unit_speed`, shape ``(8760, n)``.
    cf : numpy.ndarray
        Target annual mean output, shape ``(n,)`` [0..1].

    Returns
    -------
    scale : numpy.ndarray
        Weibull scale ``c`` [m/s], shape ``(n,)``.
    reachable : numpy.ndarray
        ``False`` where even the best ``c`` (the maximum of the mean power,
        beyond which more hours pass the cut-out) falls short of ``cf``.
    """
    sample = np.sort(unit, axis=0)[8::16]  # every 16th order statistic
    grid = np.linspace(1.0, 40.0, 27)
    curve = np.stack([power_curve(c * sample).mean(axis=0) for c in grid])  # (27, n)
    best = np.argmax(curve, axis=0)
    reachable = curve[best, np.arange(cf.size)] >= cf
    lo = np.full(cf.shape, grid[0])
    hi = grid[best]
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        below = power_curve(mid * sample).mean(axis=0) < cf
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return 0.5 * (lo + hi), reachable
