"""Renewable profiles of a scenario's sites from synthetic weather (:mod:`siting.weather`).

A scenario built without a profile table gets its sites' hourly solar and
wind capacity factors from their coordinates for its ``weather_year``, each
scaled to the site's ``solar_cf`` / ``wind_cf`` (copied from its province
unless the site table gives them). A location's series depends only on its
own coordinates, capacity factors and the weather year, so the profiles of
a set of sites are cached and shared between scenarios.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np
import pandas as pd

from siting.errors import InputError
from siting.weather.generator import WEATHER_YEARS
from siting.weather.generator import profiles as weather_profiles

__all__ = ["LOCATION_COLUMNS", "check_weather_year", "site_profiles", "site_tou_profiles"]

#: Site columns the weather generator reads.
LOCATION_COLUMNS = ("lat", "lon", "province", "solar_cf", "wind_cf")


def check_weather_year(value: object) -> int | None:
    """``value`` as a weather year: ``None`` or a whole number in 0 ... WEATHER_YEARS - 1 (3.0 is 3).

    Raises
    ------
    InputError
        For anything else.
    """
    if value is None:
        return None
    whole = isinstance(value, numbers.Integral) or (isinstance(value, numbers.Real) and float(value).is_integer())
    if isinstance(value, bool) or not whole or not 0 <= value < WEATHER_YEARS:
        raise InputError(
            f"parameter weather_year: {value!r} must be a whole number 0..{WEATHER_YEARS - 1} "
            "(one of the synthetic weather years of siting.weather), or null for a user profile table"
        )
    return int(value)


def site_profiles(sites: pd.DataFrame, weather_year: int) -> pd.DataFrame:
    """Hourly capacity factors of ``sites`` for one synthetic weather year.

    Parameters
    ----------
    sites : pandas.DataFrame
        Index ``site``; columns ``lat``, ``lon`` [deg], ``province``,
        ``solar_cf`` and ``wind_cf`` [0..1].
    weather_year : int
        0 ... ``siting.weather.WEATHER_YEARS - 1``.

    Returns
    -------
    pandas.DataFrame
        8760 hourly rows (China Standard Time) × ``(site, technology)``
        [0..1]; a copy the caller may change.
    """
    table = sites.loc[:, list(LOCATION_COLUMNS)]
    key = tuple(table.itertuples(index=True, name=None))
    return _cached(key, int(weather_year)).copy()


@functools.lru_cache(maxsize=32)
def _cached(key: tuple, weather_year: int) -> pd.DataFrame:
    table = pd.DataFrame.from_records(list(key), columns=["site", *LOCATION_COLUMNS]).set_index("site")
    return weather_profiles(table, weather_year=weather_year)


def site_tou_profiles(sites: pd.DataFrame, provinces: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each site's hourly grid price relative to its flat price [-], from the bundled time-of-use tariffs.

    Parameters
    ----------
    sites : pandas.DataFrame
        Index ``site``; columns ``province`` and
        ``electricity_price_cny_per_kwh`` [CNY/kWh] (the flat price).
    provinces : pandas.DataFrame, optional
        Province table (:func:`siting.datasets.provinces`, the default):
        the split of the price into the part that floats and the rest.

    Returns
    -------
    pandas.DataFrame
        8760 hourly rows × site: ``price_t / flat price`` (1 where the flat
        price is 0), :func:`siting.tariffs.hourly_prices`.
    """
    from siting import datasets, tariffs

    prov = datasets.provinces() if provinces is None else provinces
    prices = tariffs.hourly_prices(sites, prov, datasets.tou())
    flat = sites["electricity_price_cny_per_kwh"].to_numpy(dtype=float)
    factors = np.divide(prices.to_numpy(), flat[None, :], out=np.ones(prices.shape), where=flat[None, :] > 0)
    return pd.DataFrame(factors, columns=sites.index)
