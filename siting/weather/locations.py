"""The ``locations`` table of :func:`siting.weather.profiles`: checks and defaults."""

from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from siting.datasets.bundle import data_dir
from siting.datasets.tables import provinces
from siting.datasets.validation import Column, check_table
from siting.errors import InputError

__all__ = ["CHINA_MARGIN_DEG", "LOCATION_COLUMNS", "TABLE", "check_locations"]

TABLE = "locations"
CHINA_MARGIN_DEG = 0.5
"""Tolerance around the mainland outline [deg] (about 50 km) for coastal sites."""

LOCATION_COLUMNS = (
    Column("lat", min=18.0, max=54.0, description="latitude [deg N], mainland China"),
    Column("lon", min=73.0, max=135.5, description="longitude [deg E], mainland China"),
    Column("province", kind="str", description="province name as in siting.datasets.provinces()"),
    Column("solar_cf", required=False, min=0.0, max=1.0,
           description="annual mean solar capacity factor [0..1]; default: the province's"),
    Column("wind_cf", required=False, min=0.0, max=1.0,
           description="annual mean wind capacity factor [0..1]; default: the province's"),
)


@functools.lru_cache(maxsize=1)
def _province_defaults() -> pd.DataFrame:
    """``solar_cf``, ``wind_cf`` and ``mean_temp_c`` of the bundled provinces (read once)."""
    return provinces()[["solar_cf", "wind_cf", "mean_temp_c"]].copy()


@functools.lru_cache(maxsize=1)
def _mainland() -> shapely.Geometry:
    """Mainland outline from ``boundaries.geojson``, simplified and buffered."""
    features = json.loads((data_dir() / "boundaries.geojson").read_text())["features"]
    outline = shapely.union_all([shapely.simplify(shape(f["geometry"]), 0.05) for f in features])
    zone = outline.buffer(CHINA_MARGIN_DEG)
    shapely.prepare(zone)
    return zone


def check_locations(locations: pd.DataFrame) -> pd.DataFrame:
    """Validate the locations table and fill default capacity factors.

    Parameters
    ----------
    locations : pandas.DataFrame
        Indexed by location name; columns ``lat`` [deg], ``lon`` [deg],
        ``province`` and optionally ``solar_cf``, ``wind_cf`` [0..1].

    Returns
    -------
    pandas.DataFrame
        Columns ``lat``, ``lon``, ``province``, ``solar_cf``, ``wind_cf``,
        ``mean_temp_c``, index the location names as ``str``. A capacity
        factor column that is absent is taken from the province
        (``siting.datasets.provinces()`` columns ``solar_cf`` / ``wind_cf``);
        ``mean_temp_c`` [degC] always is.

    Raises
    ------
    InputError
        Naming table ``locations``, the row and the column: missing column,
        missing (NaN) or non-numeric value, a point outside mainland China,
        an unknown province, a capacity factor not strictly between 0 and 1,
        a duplicated or empty name, an empty table.
    """
    if isinstance(locations, pd.DataFrame) and locations.empty:
        raise InputError(f"{TABLE}: the table has no rows")
    if isinstance(locations, pd.DataFrame) and locations.index.name is None:
        locations = locations.rename_axis("location")
    index = locations.index.name if isinstance(locations, pd.DataFrame) else None
    df = check_table(locations, LOCATION_COLUMNS, TABLE, index=index)
    df.index.name = "location"
    inside = shapely.contains_xy(_mainland(), df["lon"].to_numpy(), df["lat"].to_numpy())
    if not inside.all():
        row = df.index[np.flatnonzero(~inside)[0]]
        raise InputError(
            f"{TABLE}: row {row!r}, columns 'lat'/'lon': ({df.at[row, 'lat']:g}, {df.at[row, 'lon']:g}) "
            "is outside mainland China"
        )
    prov = _province_defaults()
    unknown = ~df["province"].isin(prov.index).to_numpy()
    if unknown.any():
        row = df.index[np.flatnonzero(unknown)[0]]
        raise InputError(
            f"{TABLE}: row {row!r}, column 'province': {df.at[row, 'province']!r} is not one of "
            f"{sorted(prov.index)}"
        )
    for col in ("solar_cf", "wind_cf"):
        if col not in df.columns:
            df[col] = prov.loc[df["province"], col].to_numpy(dtype=float)
            continue
        bad = ((df[col] <= 0.0) | (df[col] >= 1.0)).to_numpy()
        if bad.any():
            row = df.index[np.flatnonzero(bad)[0]]
            raise InputError(
                f"{TABLE}: row {row!r}, column {col!r}: {df.at[row, col]:g} is not a capacity "
                "factor strictly between 0 and 1"
            )
    df["mean_temp_c"] = prov.loc[df["province"], "mean_temp_c"].to_numpy(dtype=float)
    return df[["lat", "lon", "province", "solar_cf", "wind_cf", "mean_temp_c"]]
