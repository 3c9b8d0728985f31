"""Distances and network round-trip times between demand origins and sites.

The latency model is deliberately simple and fully parametrised:

.. math::

    RTT = 2 \\, d \\, f_{route} / v_{fibre} + t_{overhead}

with :math:`d` the great-circle (geodesic, WGS84) distance, :math:`f_{route}`
the ratio of fibre route length to great-circle distance, :math:`v_{fibre}`
the speed of light in fibre and :math:`t_{overhead}` a fixed switching and
processing overhead. Defaults come from the bundled ``parameters.csv`` (see
``datasets/SOURCES.md``). A user-supplied RTT matrix replaces the model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyproj import Geod

from siting import datasets
from siting.errors import InputError

__all__ = ["distance_km", "distance_matrix", "rtt_ms", "rtt_matrix"]

_GEOD = Geod(ellps="WGS84")


def distance_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Geodesic distance on the WGS84 ellipsoid.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : array_like
        Coordinates of the two ends [deg]; broadcast against each other.

    Returns
    -------
    numpy.ndarray
        Distance [km].
    """
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (lat1, lon1, lat2, lon2)))
    la1, lo1, la2, lo2 = (a.ravel() for a in arrays)
    _, _, metres = _GEOD.inv(lo1, la1, lo2, la2)
    return np.asarray(metres).reshape(arrays[0].shape) / 1000.0


def distance_matrix(origins: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Distances between every origin and every site.

    Parameters
    ----------
    origins, sites : pandas.DataFrame
        Tables with ``lat`` and ``lon`` columns [deg], indexed by name.

    Returns
    -------
    pandas.DataFrame
        Origins × sites [km]; index ``origin``, columns ``site``.
    """
    for name, table in (("origins", origins), ("sites", sites)):
        missing = {"lat", "lon"} - set(table.columns)
        if missing:
            raise InputError(f"{name} table: missing column {sorted(missing)[0]!r}")
    d = distance_km(
        origins["lat"].to_numpy()[:, None],
        origins["lon"].to_numpy()[:, None],
        sites["lat"].to_numpy()[None, :],
        sites["lon"].to_numpy()[None, :],
    )
    return pd.DataFrame(
        d, index=pd.Index(origins.index, name="origin"), columns=pd.Index(sites.index, name="site")
    )


def _param(value: float | None, name: str) -> float:
    return datasets.parameter(name) if value is None else float(value)


def rtt_ms(
    distance,
    route_factor: float | None = None,
    fibre_speed_km_per_s: float | None = None,
    overhead_ms: float | None = None,
):
    """Round-trip time over a fibre path.

    Parameters
    ----------
    distance : float, array_like or DataFrame
        Great-circle distance [km].
    route_factor : float, optional
        Fibre route length / great-circle distance [-]. Default: bundled
        ``route_factor``.
    fibre_speed_km_per_s : float, optional
        Signal speed in fibre [km/s]. Default: bundled ``fibre_speed_km_per_s``.
    overhead_ms : float, optional
        Fixed round-trip overhead [ms]. Default: bundled ``rtt_overhead_ms``.

    Returns
    -------
    same type as ``distance``
        Round-trip time [ms].

    Notes
    -----
    :math:`RTT = 2 d f / v \\cdot 1000 + t_0`.
    """
    f = _param(route_factor, "route_factor")
    v = _param(fibre_speed_km_per_s, "fibre_speed_km_per_s")
    t0 = _param(overhead_ms, "rtt_overhead_ms")
    if f < 1:
        raise InputError(f"route_factor must be >= 1 (a fibre route is never shorter than the geodesic), got {f}")
    if v <= 0 or t0 < 0:
        raise InputError("fibre_speed_km_per_s must be > 0 and overhead_ms >= 0")
    return 2.0 * distance * f / v * 1000.0 + t0


def rtt_matrix(
    origins: pd.DataFrame,
    sites: pd.DataFrame,
    route_factor: float | None = None,
    fibre_speed_km_per_s: float | None = None,
    overhead_ms: float | None = None,
) -> pd.DataFrame:
    """Modelled round-trip times between every origin and every site.

    Parameters
    ----------
    origins, sites : pandas.DataFrame
        Tables with ``lat`` and ``lon`` [deg] (e.g. :func:`siting.datasets.provinces`,
        whose coordinates are the provincial capitals, and
        :func:`siting.datasets.sites`).
    route_factor, fibre_speed_km_per_s, overhead_ms : float, optional
        See :func:`rtt_ms`.

    Returns
    -------
    pandas.DataFrame
        Origins × sites [ms].
    """
    return rtt_ms(distance_matrix(origins, sites), route_factor, fibre_speed_km_per_s, overhead_ms)
