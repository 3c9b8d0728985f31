"""The equal-area projection of the static maps: :data:`CRS`, projected provinces and points."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from siting import datasets

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.path import Path
    from pyproj import Transformer
    from shapely.geometry.base import BaseGeometry

#: Albers equal-area conic projection for China (standard parallels 25 and
#: 47 deg N, central meridian 105 deg E), used by every static map.
CRS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


def projected(boundaries: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Province polygons in :data:`CRS` [m]; default: :func:`siting.datasets.boundaries`."""
    return _projected_default() if boundaries is None else datasets.boundaries(boundaries).to_crs(CRS)


@functools.lru_cache(maxsize=1)
def _projected_default() -> gpd.GeoDataFrame:
    return datasets.boundaries().to_crs(CRS)


def project(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude, latitude [deg] to map coordinates of :data:`CRS` [m]."""
    return _transformer().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


@functools.lru_cache(maxsize=1)
def _transformer() -> Transformer:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", CRS, always_xy=True)


def geometry_path(geom: BaseGeometry) -> Path:
    """A matplotlib Path of a (multi)polygon, exteriors and holes oriented."""
    from matplotlib.path import Path as MplPath
    from shapely.geometry.polygon import orient

    polygons = getattr(geom, "geoms", [geom])
    rings = []
    for poly in polygons:
        poly = orient(poly, 1.0)
        rings.append(poly.exterior)
        rings.extend(poly.interiors)
    return MplPath.make_compound_path(*(MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in rings))
