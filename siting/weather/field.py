"""Spatio-temporal Gaussian fields that any location can sample on its own.

Every stochastic ingredient of :mod:`siting.weather` (synoptic and mesoscale
wind, daily cloudiness, hourly cloud noise) is a standard-normal field
``Z(x, t)`` with a *separable* covariance

.. math:: \\operatorname{Cov}[Z(x, t), Z(y, s)] = e^{-d(x, y)/L}\\,\\varphi^{|t-s|}

(exponential decay with distance ``d`` over the length ``L`` [km], AR(1)
persistence ``phi`` per time step). It is built by *random Fourier
features* (Rahimi & Recht 2007, "Random features for large-scale kernel
machines", NIPS 20; the spectral method of Shinozuka & Deodatis 1991,
Appl. Mech. Rev. 44(4) 191-204, https://doi.org/10.1115/1.3119501):

.. math:: Z(x, t) = K^{-1/2} \\sum_{k=1}^{K} A_k(t) \\cos(\\omega_k \\cdot x)
          + B_k(t) \\sin(\\omega_k \\cdot x)

with ``x`` the Earth-centred position [km] (so ``d`` is the chord, within
0.5 % of the great-circle distance up to 1,000 km), ``omega_k`` drawn from
the spectral density of ``exp(-d/L)`` in three dimensions (a multivariate
Cauchy law: ``omega = g / (L |z|)`` with ``g ~ N(0, I_3)``, ``z ~ N(0, 1)``)
and ``A_k``, ``B_k`` independent unit-variance AR(1) series (or, for
wind, two AR(1) filters in cascade; see :class:`FieldSpec`), synthesised
spectrally (:func:`_coefficients`).

Why this construction: given the frequencies, ``Z(x, t)`` is *exactly*
standard normal at every point, and the series of a location depends only on
its own coordinates and on the random draws of the (seed, weather year,
field) triple - never on which other locations are generated with it. So a
site keeps its series when locations are added, removed or reordered, and
nearby sites are correlated as the covariance says. A fixed grid
interpolated to the sites would give the same two properties but smooths the
field below the grid spacing and costs memory for all of China; a Cholesky
factor of the sites' covariance would make every series depend on the whole
location set. With ``K`` features the realised spatial correlation of one
field is ``K^-1 sum_k cos(omega_k . h)``, within about ``K^-1/2`` of the
target.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from scipy import fft as sp_fft

__all__ = ["EARTH_RADIUS_KM", "FieldSpec", "LatentField", "draw_field", "field_rng", "positions_km"]

EARTH_RADIUS_KM = 6371.0
"""Mean Earth radius [km] (IUGG)."""


@dataclass(frozen=True)
class FieldSpec:
    """Parameters of one latent field.

    Parameters
    ----------
    name : str
        Stable key; part of the random seed, so renaming changes the weather.
    length_km : float
        E-folding length ``L`` of the spatial correlation ``exp(-d/L)`` [km].
    step_corr : float
        Lag-one autocorrelation ``phi`` per time step [-], in [0, 1).
    steps : int
        Number of time steps (8760 hours or 365 days).
    features : int
        Number ``K`` of random Fourier features.
    order : int
        1: AR(1) coefficients, autocorrelation ``phi^h``. 2: two AR(1)
        filters in cascade, autocorrelation
        ``phi^h (1 + h (1 - phi^2) / (1 + phi^2))``, smooth at lag 0 like
        observed hourly wind (an AR(1) path is too rough hour to hour).
    """

    name: str
    length_km: float
    step_corr: float
    steps: int
    features: int
    order: int = 1


def positions_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Earth-centred Cartesian positions on a sphere.

    Parameters
    ----------
    lat, lon : numpy.ndarray
        Latitude and longitude [deg], shape ``(n,)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 3)`` [km].
    """
    phi, lam = np.radians(lat), np.radians(lon)
    return EARTH_RADIUS_KM * np.column_stack(
        [np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)]
    )


def field_rng(seed: int, weather_year: int, name: str) -> np.random.Generator:
    """Random generator of one field in one weather year.

    Parameters
    ----------
    seed : int
        Base seed (non-negative).
    weather_year : int
        Index of the synthetic weather year.
    name : str
        Field key (:attr:`FieldSpec.name`); hashed with CRC-32, which is
        stable across Python versions and processes.

    Returns
    -------
    numpy.random.Generator
        PCG64 generator seeded by ``SeedSequence([seed, weather_year, crc32(name)])``.
    """
    return np.random.default_rng(np.random.SeedSequence([seed, weather_year, zlib.crc32(name.encode())]))


def _coefficients(spec: FieldSpec, rng: np.random.Generator) -> np.ndarray:
    """Unit-variance coefficient series of the given order, shape ``(2K, steps)``.

    Spectral synthesis: complex white noise in frequency times the transfer
    function ``H(f) = (sqrt(1 - phi^2) / (1 - phi e^{-2 pi i f}))^order`` of
    the AR filter(s), one inverse real FFT along time. That is the filter
    run on a circle of ``N >= steps + 10 tau`` steps (``tau = -1/ln phi``),
    whose first ``steps`` values are exactly stationary; the wrap-around
    correlation is below ``e^-10``. Frequencies where ``|H|^2`` is below
    1e-6 of its peak are not drawn (they carry < 1e-5 of the variance).
    The series are then normalised to unit variance exactly.
    """
    phi = spec.step_corr
    pad = int(np.ceil(10.0 / -np.log(phi))) if phi > 0 else 1
    n = sp_fft.next_fast_len(spec.steps + pad, real=True)
    freq = np.arange(n // 2 + 1) / n
    h = (np.sqrt(1.0 - phi * phi) / (1.0 - phi * np.exp(-2j * np.pi * freq))) ** spec.order
    power = np.abs(h) ** 2
    keep = int(np.flatnonzero(power >= 1e-6 * power[0])[-1]) + 1
    weights = np.where((np.arange(keep) == 0) | (np.arange(keep) == n // 2), 1.0, 2.0)
    variance = float((weights * power[:keep]).sum()) / n
    gain = h[:keep] * np.sqrt(n / 2.0 / variance)
    gain[weights == 1.0] *= np.sqrt(2.0)
    white = rng.standard_normal((2 * spec.features, 2 * keep)).view(np.complex128)
    white[:, weights == 1.0] = white[:, weights == 1.0].real
    white *= gain
    return sp_fft.irfft(white, n=n, axis=-1)[:, : spec.steps]


@dataclass(frozen=True)
class LatentField:
    """One realisation of a field: frequencies and coefficient series.

    Drawn once per (seed, weather year, field) by :func:`draw_field` and
    then evaluated at any positions, in any number of batches, by :meth:`at`.

    Attributes
    ----------
    omega : numpy.ndarray
        Wave vectors, shape ``(K, 3)`` [1/km].
    coef : numpy.ndarray
        Coefficient series ``A_k``, ``B_k``, shape ``(2K, steps)``.
    """

    omega: np.ndarray
    coef: np.ndarray

    def at(self, pos_km: np.ndarray) -> np.ndarray:
        """Field values at positions ``pos_km`` (shape ``(n, 3)`` [km]), shape ``(steps, n)``.

        Standard normal at every point and step.
        """
        phase = pos_km @ self.omega.T
        basis = np.concatenate([np.cos(phase), np.sin(phase)], axis=1)
        return (basis @ self.coef).T / np.sqrt(self.omega.shape[0])


def draw_field(spec: FieldSpec, rng: np.random.Generator) -> LatentField:
    """Draw one realisation of a field.

    Parameters
    ----------
    spec : FieldSpec
        Length scale, persistence and size of the field.
    rng : numpy.random.Generator
        From :func:`field_rng`; consumed in a fixed order (frequencies, then
        coefficients) that does not depend on the locations.

    Returns
    -------
    LatentField
    """
    k = spec.features
    omega = rng.standard_normal((k, 3)) / (spec.length_km * np.abs(rng.standard_normal((k, 1))))
    return LatentField(omega=omega, coef=_coefficients(spec, rng))
