"""Loaders of the province, site, boundary and parameter tables.

Every loader accepts, in place of the bundled file, a path to the user's own
file or a DataFrame; user data goes through exactly the same checks.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from siting.datasets.bundle import data_dir, read_csv, table_arg
from siting.datasets.schemas import PARAMETER_COLUMNS, PROVINCE_COLUMNS, SITE_COLUMNS
from siting.datasets.validation import check_known, check_table, where
from siting.errors import InputError

__all__ = ["provinces", "sites", "boundaries", "parameters", "parameter"]

_LAT_CHINA = (15.0, 55.0)
_LON_CHINA = (70.0, 140.0)


def _check_in_china(df: pd.DataFrame, table: str) -> None:
    for col, (lo, hi) in (("lat", _LAT_CHINA), ("lon", _LON_CHINA)):
        bad = ((df[col] < lo) | (df[col] > hi)).to_numpy()
        if bad.any():
            position = int(bad.nonzero()[0][0])
            raise InputError(
                f"{table}: {where(df, position)}, column '{col}': {df[col].iloc[position]:g} is outside "
                f"mainland China ({lo:g}..{hi:g})"
            )

def provinces(data: str | Path | pd.DataFrame | None = None, *, encoding: str | None = None) -> pd.DataFrame:
    """The 31 mainland provinces with economic, energy and climate attributes.

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own table, with a ``province`` column (or index) and at
        least the columns of :data:`PROVINCE_COLUMNS`. Default: the bundled
        ``provinces.csv`` merged with ``province_resources.csv``.
    encoding : str, optional
        Text encoding of the user's file (e.g. ``"gbk"``); default UTF-8.

    Returns
    -------
    pandas.DataFrame
        Index ``province`` (English name, e.g. ``"Inner Mongolia"``);
        columns include ``name_zh``, ``adcode``, ``region``, ``lat``/``lon``
        [deg] of the capital, ``population_million``, ``gdp_billion_cny``,
        ``electricity_price_cny_per_kwh`` [CNY/kWh], ``grid_ef_t_co2_per_mwh``
        [tCO2/MWh], ``renewable_share`` (measured, of generation in the
        province) and ``grid_renewable_share`` (of grid power consumed,
        consistent with the emission factor) [0..1], ``solar_cf`` and ``wind_cf``
        [0..1], ``mean_temp_c`` [C], ``water_stress`` [0..5] and
        ``land_area_km2`` [km2].

    Raises
    ------
    InputError
        If the file cannot be read, the table has no rows, a column is
        missing, a value is missing or out of range, or a province appears
        twice; the message names the file, line and column.
    """
    if data is None:
        base = read_csv("provinces.csv").set_index("province")
        res = read_csv("province_resources.csv").set_index("province")
        check_known(res.index, base.index, "province_resources.csv", "province", "province")
        missing = base.index.difference(res.index)
        if len(missing):
            raise InputError(f"province_resources.csv: no row for province {missing[0]!r}")
        both = base.columns.intersection(res.columns)
        if len(both):
            raise InputError(
                f"provinces.csv and province_resources.csv both have column {both[0]!r}; keep it in one file"
            )
        table = "provinces.csv"
        df = base.join(res)
    else:
        df, table = table_arg(data, "provinces.csv", encoding)
    out = check_table(df, PROVINCE_COLUMNS, table, index="province")
    out.index.name = "province"
    _check_in_china(out, table)
    return out


def _bundled_provinces() -> pd.DataFrame:
    return provinces()


def sites(
    data: str | Path | pd.DataFrame | None = None,
    provinces: pd.DataFrame | None = None,
    *,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Candidate data-center sites: the 10 national clusters and 31 capitals, or the user's own.

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own table with a ``site`` column (or index) and at least
        ``province``, ``lat``, ``lon`` and ``it_capacity_max_mw`` (all
        missing ones are reported at once). Left-out columns get defaults:
        ``kind="custom"``, no ``hub``, no ``pue_max`` cap, and ``role`` that
        of the national hub cluster in the site's province where there is
        one (e.g. Sichuan's Tianfu: ``east``), else ``west`` for provinces of
        the NBS western region and ``east`` for the rest. Default: bundled
        ``sites.csv``.
    provinces : DataFrame, optional
        Province table the ``province`` column must refer to. Default:
        :func:`provinces`.
    encoding : str, optional
        Text encoding of the user's file (e.g. ``"gbk"``); default UTF-8.

    Returns
    -------
    pandas.DataFrame
        Index ``site``; columns ``province``, ``lat``, ``lon`` [deg],
        ``kind`` (cluster / capital / custom), ``hub``, ``role`` (east / west),
        ``pue_max`` [-] (NaN where no policy cap applies) and
        ``it_capacity_max_mw`` [MW], plus any extra columns of the file.

    Raises
    ------
    InputError
        On a file that cannot be read, a table without rows, a missing
        column or value, coordinates outside China or a province that
        :func:`provinces` does not know; the message names the file, line
        and column.
    """
    df, table = table_arg(data, "sites.csv", encoding)
    out = check_table(df, SITE_COLUMNS, table, index="site")
    out.index.name = "site"
    _check_in_china(out, table)
    prov = provinces if provinces is not None else _bundled_provinces()
    check_known(out["province"], prov.index, table, "province", "province")
    return _with_site_defaults(out, prov)


def _with_site_defaults(sites: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """Fill the optional site columns a user table leaves out (see :func:`sites`)."""
    out = sites.copy()
    if "kind" not in out.columns:
        out["kind"] = "custom"
    if "hub" not in out.columns:
        out["hub"] = np.nan
    if "pue_max" not in out.columns:
        out["pue_max"] = np.nan
    if "role" not in out.columns:
        bundled = read_csv("sites.csv")
        hub_role = bundled[bundled["kind"] == "cluster"].groupby("province")["role"].first()
        by_region = pd.Series(np.where(provinces["region"] == "west", "west", "east"), index=provinces.index)
        role = hub_role.reindex(out["province"]).fillna(by_region.reindex(out["province"]))
        out["role"] = role.to_numpy()
    return out


def boundaries(data: str | Path | None = None):
    """Province boundaries as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    data : path or GeoDataFrame, optional
        The user's own polygons with a ``province`` column. Default: the
        bundled ``boundaries.geojson`` (Natural Earth admin-1, public domain).

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``province``, columns ``name_zh`` and ``geometry``
        (valid Polygon/MultiPolygon, EPSG:4326).

    Raises
    ------
    InputError
        On an unknown or missing province, or an invalid or empty geometry.
    """
    import geopandas as gpd

    if data is None:
        gdf = _read_boundaries().copy()
        table = "boundaries.geojson"
    elif isinstance(data, gpd.GeoDataFrame):
        gdf, table = data.copy(), "boundaries table"
    else:
        path = Path(data)
        if path.is_dir():
            raise InputError(f"{path}: is a folder; expected a file of polygons (GeoJSON, GeoPackage, ...)")
        if not path.is_file():
            raise InputError(f"{path}: file not found")
        try:
            gdf, table = gpd.read_file(path), path.name
        except (RuntimeError, OSError, ValueError) as exc:  # pyogrio's DataSourceError is a RuntimeError
            raise InputError(f"{path.name}: cannot be read as polygons ({' '.join(str(exc).split())})") from exc
    if "province" in gdf.columns:
        gdf = gdf.set_index("province")
    if gdf.index.name != "province":
        raise InputError(f"{table}: missing column 'province'")
    if gdf.crs is None:
        raise InputError(f"{table}: no coordinate reference system; expected EPSG:4326")
    gdf = gdf.to_crs(4326)
    empty = gdf.geometry.is_empty | gdf.geometry.isna()
    if empty.any():
        raise InputError(f"{table}: row {gdf.index[empty.to_numpy()][0]!r}, column 'geometry': empty geometry")
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        raise InputError(
            f"{table}: row {gdf.index[invalid.to_numpy()][0]!r}, column 'geometry': invalid "
            "geometry (repair it with shapely.make_valid)"
        )
    check_known(gdf.index, provinces().index, table, "province", "province")
    return gdf


@functools.lru_cache(maxsize=1)
def _read_boundaries():
    import geopandas as gpd

    return gpd.read_file(data_dir() / "boundaries.geojson")



def parameters(data: str | Path | pd.DataFrame | None = None, *, encoding: str | None = None) -> pd.DataFrame:
    """Techno-economic parameters: capex, lifetimes, network cost, water use...

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own table with a ``parameter`` column (or index) and the
        columns of :data:`PARAMETER_COLUMNS`. Default: ``parameters.csv``.
    encoding : str, optional
        Text encoding of the user's file (e.g. ``"gbk"``); default UTF-8.

    Returns
    -------
    pandas.DataFrame
        Index ``parameter``; columns ``value`` (in ``unit``), ``unit``,
        ``year``, ``status`` (sourced / derived / estimate) and ``source``.
    """
    df, table = table_arg(data, "parameters.csv", encoding)
    df = df.astype({"year": str}) if "year" in df.columns else df
    out = check_table(df, PARAMETER_COLUMNS, table, index="parameter")
    out.index.name = "parameter"
    return out


def parameter(name: str) -> float:
    """Value of one bundled parameter (see :func:`parameters`).

    Parameters
    ----------
    name : str
        Parameter name, e.g. ``"dc_capex_cny_per_mw"``.

    Returns
    -------
    float
        The value in the unit its name states.

    Raises
    ------
    KeyError
        If there is no such parameter; the message lists the valid names.
    """
    table = parameters()
    if name not in table.index:
        raise KeyError(f"unknown parameter {name!r}; valid names: {sorted(table.index)}")
    return float(table.at[name, "value"])
