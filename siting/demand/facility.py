"""Facility overhead: PUE, cooling share, free cooling, water.

:func:`facility_power`, :func:`cooling_share`, :func:`pue_from_cooling_share`,
:func:`pue_from_climate` (cooling technology and free-cooling hours from
temperature) and water use (:func:`wue`, :func:`wue_from_climate`,
:func:`water_m3`) turn the IT power of :mod:`siting.demand.workloads` into
facility power and water.

Power usage effectiveness is ``PUE = facility power / IT power`` (The Green
Grid; ISO/IEC 30134-2). Everything here works on scalars, NumPy arrays and
pandas Series alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from siting.errors import InputError

__all__ = [
    "COOLING_TECHNOLOGIES",
    "ANNUAL_AMPLITUDE_C",
    "facility_power",
    "cooling_share",
    "pue_from_cooling_share",
    "free_cooling_hours",
    "free_cooling_fraction",
    "cooling_technologies",
    "pue_from_climate",
    "wue",
    "wue_from_climate",
    "water_m3",
]

#: A scalar, a NumPy array or a pandas Series; results keep the input's type.
Numeric = float | np.ndarray | pd.Series

#: Cooling technologies and the parameters of :func:`pue_from_climate` and
#: :func:`wue`. ``pue_mechanical`` is the PUE while the compressors (chillers)
#: carry the whole heat load, ``pue_free`` while the economizer does (fans and
#: pumps only), ``free_cooling_max_temp_c`` the outdoor dry-bulb temperature
#: [C] below which the economizer carries the load, ``wue_l_per_kwh`` the
#: site water use per IT energy [L/kWh].
#:
#: Status: **estimates**, anchored on sourced figures. Mechanical-mode PUE
#: 1.55-1.60 of chiller plants brackets the industry average 1.56-1.58
#: (Uptime Institute Global Data Center Survey 2023/2024); the 1.10 of liquid
#: cooling in free mode is the best reported fleet value (Google ~1.1) and
#: the lowest PUE of new Chinese hub data centers (NDA, 2024); WUE 1.8 L/kWh
#: for cooling towers is the U.S. average on-site water use (Shehabi et al.
#: 2016, LBNL "United States Data Center Energy Usage Report"); 0.30 L/kWh
#: for closed-loop liquid cooling is Microsoft's fleet WUE after replacing
#: evaporative systems (FY2023). The free-cooling thresholds are engineering
#: judgements consistent with ASHRAE TC 9.9 supply-air limits (18-27 C)
#: minus the heat-exchanger approach.
COOLING_TECHNOLOGIES: dict[str, dict[str, float | str]] = {
    "air_chiller": {
        "description": "air-cooled rooms (CRAC) on chillers, no economizer",
        "pue_mechanical": 1.60,
        "pue_free": 1.60,
        "free_cooling_max_temp_c": -273.15,
        "wue_l_per_kwh": 1.8,
    },
    "chiller_economizer": {
        "description": "chilled water with a water-side economizer (cooling towers)",
        "pue_mechanical": 1.55,
        "pue_free": 1.25,
        "free_cooling_max_temp_c": 10.0,
        "wue_l_per_kwh": 1.8,
    },
    "indirect_evaporative": {
        "description": "indirect evaporative air cooling with compressor trim",
        "pue_mechanical": 1.35,
        "pue_free": 1.15,
        "free_cooling_max_temp_c": 18.0,
        "wue_l_per_kwh": 1.0,
    },
    "liquid": {
        "description": "direct-to-chip liquid cooling, warm water to dry coolers",
        "pue_mechanical": 1.20,
        "pue_free": 1.10,
        "free_cooling_max_temp_c": 30.0,
        "wue_l_per_kwh": 0.3,
    },
}

#: Default amplitude of the annual temperature cycle [C] used by
#: :func:`free_cooling_fraction` when only the annual mean is known.
#: Estimate: half the January-July difference of monthly mean temperature,
#: about 15 C in Beijing, 12 C in Shanghai and 7.5 C in Guangzhou.
ANNUAL_AMPLITUDE_C = 12.0


def _num(value: Numeric, name: str) -> Numeric:
    """Return ``value`` as float/array, refusing NaN and infinity."""
    arr = np.asarray(value, dtype=float)
    if np.isnan(arr).any():
        raise InputError(f"{name}: missing value (NaN)")
    if np.isinf(arr).any():
        raise InputError(f"{name}: value is infinite")
    return value


def _check_pue(pue: Numeric) -> None:
    _num(pue, "pue")
    arr = np.asarray(pue, dtype=float)
    if (arr < 1).any():
        raise InputError(f"pue: {arr[arr < 1].flat[0]:g} is below 1; PUE = facility power / IT power >= 1")


def facility_power(it: Numeric, pue: Numeric) -> Numeric:
    """Facility power (or energy) from IT power (or energy) and PUE.

    Parameters
    ----------
    it : float, array or Series
        IT power [MW] or energy [MWh]; any unit, returned in the same unit.
    pue : float, array or Series
        Power usage effectiveness [-], >= 1.

    Returns
    -------
    float, array or Series
        ``it * pue``, in the unit of ``it``.
    """
    _num(it, "it")
    _check_pue(pue)
    return it * pue


def cooling_share(pue: Numeric, electrical_overhead: float = 0.0) -> Numeric:
    """Share of facility power that goes to cooling.

    Parameters
    ----------
    pue : float, array or Series
        Power usage effectiveness [-], >= 1.
    electrical_overhead : float
        Non-cooling overhead (UPS and distribution losses, lighting) per unit
        of IT power [-]. The default 0 gives the upper bound
        ``(PUE - 1) / PUE`` (all overhead counted as cooling).

    Returns
    -------
    float, array or Series
        Cooling power / facility power [0..1].

    Notes
    -----
    With IT power 1, facility power is PUE and cooling is
    ``PUE - 1 - electrical_overhead``.
    """
    _check_pue(pue)
    _num(electrical_overhead, "electrical_overhead")
    if electrical_overhead < 0:
        raise InputError(f"electrical_overhead: {electrical_overhead:g} is negative")
    share = (pue - 1.0 - electrical_overhead) / pue
    if np.any(np.asarray(share) < 0):
        raise InputError(
            f"electrical_overhead: {electrical_overhead:g} exceeds PUE - 1; "
            "the overhead cannot be larger than all non-IT power"
        )
    return share


def pue_from_cooling_share(share: Numeric, other_share: float = 0.0) -> Numeric:
    """PUE implied by the share of facility power used for cooling.

    Parameters
    ----------
    share : float, array or Series
        Cooling power / facility power [0..1).
    other_share : float
        Other non-IT power (electrical losses, lighting) / facility power
        [0..1). Default 0: everything that is not cooling is IT.

    Returns
    -------
    float, array or Series
        ``1 / (1 - share - other_share)`` [-].

    Examples
    --------
    "Over 60 % of power goes to cooling" means PUE > 2.5:

    >>> pue_from_cooling_share(0.6)
    2.5
    """
    _num(share, "share")
    arr = np.asarray(share, dtype=float) + other_share
    if (np.asarray(share) < 0).any() or other_share < 0:
        raise InputError("share and other_share must be >= 0")
    if (arr >= 1).any():
        raise InputError(
            f"share + other_share = {arr.flat[np.argmax(arr)]:g} must be below 1 "
            "(some facility power must reach the IT equipment)"
        )
    return 1.0 / (1.0 - share - other_share)


def free_cooling_hours(temp_c: pd.Series | np.ndarray, threshold_c: float) -> float:
    """Hours per year in which the outdoor temperature allows free cooling.

    Parameters
    ----------
    temp_c : Series or array
        Hourly outdoor dry-bulb temperature [C] (any number of hours; the
        count is scaled to 8760 h).
    threshold_c : float
        Highest outdoor temperature at which the economizer carries the
        whole load [C].

    Returns
    -------
    float
        Free-cooling hours in a year [h].
    """
    temps = np.asarray(_num(temp_c, "temp_c"), dtype=float)
    if temps.size == 0:
        raise InputError("temp_c: no values")
    return float((temps <= threshold_c).mean() * 8760.0)


def free_cooling_fraction(
    mean_temp_c: Numeric, threshold_c: float, amplitude_c: Numeric = ANNUAL_AMPLITUDE_C
) -> Numeric:
    """Fraction of the year with free cooling, from the annual mean temperature.

    Parameters
    ----------
    mean_temp_c : float, array or Series
        Annual mean outdoor temperature [C].
    threshold_c : float
        Highest outdoor temperature at which the economizer carries the
        whole load [C].
    amplitude_c : float, array or Series
        Amplitude of the annual temperature cycle [C] (half the difference
        between the warmest and coldest monthly means). Default
        :data:`ANNUAL_AMPLITUDE_C`.

    Returns
    -------
    float, array or Series
        Fraction of hours with outdoor temperature <= ``threshold_c`` [0..1].

    Notes
    -----
    The temperature is modelled as a sinusoid over the year,
    ``T = mean + amplitude * cos(theta)``; the fraction of the cycle with
    ``T <= threshold`` is

    .. math:: f = 1 - \\arccos(\\mathrm{clip}(x, -1, 1)) / \\pi,
              \\quad x = (T_{threshold} - T_{mean}) / A

    (0 when the threshold is below the coldest month, 1 above the warmest).
    Counting hours below an economizer threshold is the standard way to
    estimate free-cooling potential (e.g. Amado, Schneider & Bresolin 2021,
    "Free cooling potential for Brazilian data centers based on approach
    point methodology", Int. J. Refrigeration 122, 171-180). The sinusoid
    ignores the daily cycle and weather noise, which add free-cooling hours
    in warm climates; use :func:`free_cooling_hours` with measured hourly
    temperatures where available.
    """
    _num(mean_temp_c, "mean_temp_c")
    _num(amplitude_c, "amplitude_c")
    amp = np.asarray(amplitude_c, dtype=float)
    if (amp <= 0).any():
        raise InputError(f"amplitude_c: {amp[amp <= 0].flat[0]:g} must be > 0")
    x = np.clip((threshold_c - np.asarray(mean_temp_c, dtype=float)) / amp, -1.0, 1.0)
    frac = 1.0 - np.arccos(x) / np.pi
    if isinstance(mean_temp_c, pd.Series):
        return pd.Series(frac, index=mean_temp_c.index, name="free_cooling_fraction")
    return float(frac) if np.ndim(frac) == 0 else frac


def _technology(cooling: str) -> dict:
    if not isinstance(cooling, str) or cooling not in COOLING_TECHNOLOGIES:
        raise InputError(f"unknown cooling technology {cooling!r}; valid: {sorted(COOLING_TECHNOLOGIES)}")
    return COOLING_TECHNOLOGIES[cooling]


def cooling_technologies() -> pd.DataFrame:
    """The cooling technologies of :data:`COOLING_TECHNOLOGIES` as a table.

    Returns
    -------
    pandas.DataFrame
        Index ``cooling``; columns ``description``, ``pue_mechanical`` [-],
        ``pue_free`` [-], ``free_cooling_max_temp_c`` [C], ``wue_l_per_kwh``
        [L/kWh].
    """
    df = pd.DataFrame.from_dict(COOLING_TECHNOLOGIES, orient="index")
    df.index.name = "cooling"
    return df


def pue_from_climate(
    mean_temp_c: Numeric,
    cooling: str = "chiller_economizer",
    amplitude_c: Numeric = ANNUAL_AMPLITUDE_C,
    free_fraction: Numeric | None = None,
) -> Numeric:
    """Annual PUE from the cooling technology and the climate.

    Parameters
    ----------
    mean_temp_c : float, array or Series
        Annual mean outdoor temperature [C] (ignored if ``free_fraction``
        is given).
    cooling : str
        A key of :data:`COOLING_TECHNOLOGIES`.
    amplitude_c : float, array or Series
        Amplitude of the annual temperature cycle [C]; see
        :func:`free_cooling_fraction`.
    free_fraction : float, array or Series, optional
        Measured fraction of hours in free cooling [0..1] (e.g. from
        :func:`free_cooling_hours` / 8760); overrides the temperature model.

    Returns
    -------
    float, array or Series
        ``pue_free * f + pue_mechanical * (1 - f)`` [-], with ``f`` the
        free-cooling fraction.

    Examples
    --------
    Hohhot (annual mean about 8 C) against Guangzhou (about 22 C), chilled
    water with a water-side economizer:

    >>> round(pue_from_climate(8.0), 2), round(pue_from_climate(22.4), 2)
    (1.38, 1.55)
    """
    tech = _technology(cooling)
    if free_fraction is None:
        free_fraction = free_cooling_fraction(mean_temp_c, float(tech["free_cooling_max_temp_c"]), amplitude_c)
    else:
        _num(free_fraction, "free_fraction")
        arr = np.asarray(free_fraction, dtype=float)
        if ((arr < 0) | (arr > 1)).any():
            raise InputError("free_fraction: must lie in [0, 1]")
    return float(tech["pue_free"]) * free_fraction + float(tech["pue_mechanical"]) * (1.0 - free_fraction)


def wue(cooling: str = "chiller_economizer") -> float:
    """Site water use per IT energy of a cooling technology [L/kWh].

    Parameters
    ----------
    cooling : str
        A key of :data:`COOLING_TECHNOLOGIES`.

    Returns
    -------
    float
        Water usage effectiveness [L/kWh] (The Green Grid WUE, site).
    """
    return float(_technology(cooling)["wue_l_per_kwh"])


def wue_from_climate(mean_temp_c: Numeric, cooling: str = "chiller_economizer", amplitude_c: Numeric = ANNUAL_AMPLITUDE_C) -> Numeric:
    """Site water use per IT energy, from the cooling technology and the climate.

    Parameters
    ----------
    mean_temp_c : float, array or Series
        Annual mean outdoor temperature [C].
    cooling : str
        A key of :data:`COOLING_TECHNOLOGIES`.
    amplitude_c : float, array or Series
        Amplitude of the annual temperature cycle [C]; see
        :func:`free_cooling_fraction`.

    Returns
    -------
    float, array or Series
        ``wue(cooling) * (1 - f)`` [L/kWh], with ``f`` the free-cooling
        fraction.

    Notes
    -----
    A modelling assumption, not a sourced relation: the technology's WUE is
    taken to apply to the hours that need evaporative or mechanical
    cooling, and free-cooling hours (dry economizer or outside air) to use
    no water, so cold sites use less water than warm ones.
    """
    tech = _technology(cooling)
    free = free_cooling_fraction(mean_temp_c, float(tech["free_cooling_max_temp_c"]), amplitude_c)
    return float(tech["wue_l_per_kwh"]) * (1.0 - free)


def water_m3(it_energy_mwh: Numeric, wue_l_per_kwh: Numeric) -> Numeric:
    """Site water use from IT energy and WUE.

    Parameters
    ----------
    it_energy_mwh : float, array or Series
        IT energy [MWh].
    wue_l_per_kwh : float, array or Series
        Water usage effectiveness [L/kWh].

    Returns
    -------
    float, array or Series
        Water [m3]; numerically ``MWh * L/kWh`` (1 MWh = 1000 kWh,
        1 m3 = 1000 L).
    """
    _num(it_energy_mwh, "it_energy_mwh")
    _num(wue_l_per_kwh, "wue_l_per_kwh")
    if (np.asarray(it_energy_mwh) < 0).any() or (np.asarray(wue_l_per_kwh) < 0).any():
        raise InputError("it_energy_mwh and wue_l_per_kwh must be >= 0")
    return it_energy_mwh * wue_l_per_kwh
