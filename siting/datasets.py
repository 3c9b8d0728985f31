"""Bundled data for mainland China and loaders that validate the user's own.

Every loader returns pandas objects with the unit in each column name and
accepts, in place of the bundled file, a path to the user's own file or a
DataFrame; user data goes through exactly the same checks, and a problem is
reported with the table, the row and the column.

Sources, years, licences and the status of every column (sourced, derived
or estimated) are in ``datasets/SOURCES.md`` (:func:`sources`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from siting._validation import Column, check_known, check_table
from siting.errors import InputError

__all__ = [
    "PROVINCE_COLUMNS",
    "SITE_COLUMNS",
    "PARAMETER_COLUMNS",
    "data_dir",
    "files",
    "sources",
    "provinces",
    "sites",
    "boundaries",
    "profiles",
    "parameters",
    "parameter",
]

REGIONS = ("east", "central", "west", "northeast")
ROLES = ("east", "west")
KINDS = ("cluster", "capital")
TECHNOLOGIES = ("solar", "wind")
HOURS_PER_YEAR = 8760

#: Schema of :func:`provinces` (after merging ``provinces.csv`` with
#: ``province_resources.csv``).
PROVINCE_COLUMNS: tuple[Column, ...] = (
    Column("name_zh", "str", description="Chinese name"),
    Column("adcode", "int", min=110000, max=659999, description="GB/T 2260 division code"),
    Column("region", "str", choices=REGIONS, description="NBS four-region division"),
    Column("capital", "str", description="capital city (English)"),
    Column("lat", "float", min=-90, max=90, description="capital latitude [deg N]"),
    Column("lon", "float", min=-180, max=180, description="capital longitude [deg E]"),
    Column("population_million", "float", min=0, description="resident population [million]"),
    Column("gdp_billion_cny", "float", min=0, description="gross regional product [billion CNY]"),
    Column(
        "electricity_price_cny_per_kwh",
        "float",
        min=0,
        description="price a large data center pays for grid electricity [CNY/kWh]",
    ),
    Column("grid_ef_t_co2_per_mwh", "float", min=0, max=2, description="grid emission factor [tCO2/MWh]"),
    Column("renewable_share", "float", min=0, max=1, description="measured non-fossil share of generation [0..1]"),
    Column(
        "grid_renewable_share",
        "float",
        min=0,
        max=1,
        description="non-fossil share of grid power consumed, implied by the emission factor [0..1]",
    ),
    Column("solar_cf", "float", min=0, max=1, description="annual solar PV capacity factor [0..1]"),
    Column("wind_cf", "float", min=0, max=1, description="annual wind capacity factor [0..1]"),
    Column("mean_temp_c", "float", min=-30, max=40, description="annual mean air temperature [C]"),
    Column("water_stress", "float", min=0, max=5, description="baseline water stress score [0..5]"),
    Column("land_area_km2", "float", min=0, description="land area [km2]"),
)

#: Schema of :func:`sites`.
SITE_COLUMNS: tuple[Column, ...] = (
    Column("name_zh", "str", required=False, nan_ok=True, description="Chinese name"),
    Column("province", "str", description="province (English name, as in provinces())"),
    Column("lat", "float", min=-90, max=90, description="latitude [deg N]"),
    Column("lon", "float", min=-180, max=180, description="longitude [deg E]"),
    Column("kind", "str", choices=KINDS, description="national cluster or provincial capital"),
    Column("hub", "str", nan_ok=True, description="national hub node, empty if none"),
    Column("role", "str", choices=ROLES, description="east (demand-side) or west (resource-side)"),
    Column("pue_max", "float", min=1, max=3, nan_ok=True, description="policy PUE cap, empty if none"),
    Column("it_capacity_max_mw", "float", min=0, description="buildable IT capacity [MW]"),
)

#: Schema of :func:`parameters`.
PARAMETER_COLUMNS: tuple[Column, ...] = (
    Column("value", "float", description="the value, in ``unit``"),
    Column("unit", "str", description="unit of ``value``"),
    Column("year", "str", description="year the value refers to"),
    Column("status", "str", choices=("sourced", "derived", "estimate"), description="provenance"),
    Column("source", "str", description="where the value comes from"),
)

_LAT_CHINA = (15.0, 55.0)
_LON_CHINA = (70.0, 140.0)


def data_dir() -> Path:
    """Directory holding the bundled data files.

    Inside an installed wheel the files live in ``siting/_datasets``; in a
    source checkout they are the repository's ``datasets/`` folder.

    Returns
    -------
    pathlib.Path
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "_datasets", here.parent / "datasets"):
        if (candidate / "SOURCES.md").is_file():
            return candidate
    raise FileNotFoundError(
        "siting's bundled datasets were not found next to the package "
        f"({here / '_datasets'}) nor in a source checkout ({here.parent / 'datasets'}); "
        "reinstall siting with `pip install .`"
    )


def files() -> pd.DataFrame:
    """List the bundled data files.

    Returns
    -------
    pandas.DataFrame
        Index ``file``; columns ``size_kb`` and ``loader``.
    """
    loaders = {
        "provinces.csv": "provinces",
        "province_resources.csv": "provinces",
        "sites.csv": "sites",
        "boundaries.geojson": "boundaries",
        "profiles.csv.gz": "profiles",
        "parameters.csv": "parameters",
        "accelerators.csv": "demand.accelerators",
        "trajectories.csv": "demand.trajectories",
    }
    rows = [
        {"file": p.name, "size_kb": round(p.stat().st_size / 1024, 1), "loader": loaders.get(p.name, "")}
        for p in sorted(data_dir().iterdir())
        if p.is_file()
    ]
    return pd.DataFrame(rows).set_index("file")


def sources() -> str:
    """Text of ``SOURCES.md``: source, year, licence and status of every column.

    Returns
    -------
    str
    """
    return (data_dir() / "SOURCES.md").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def _read_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir() / name, comment="#")


def _table(data: str | Path | pd.DataFrame | None, default: str) -> tuple[pd.DataFrame, str]:
    """Resolve a loader argument to a DataFrame and a name for messages."""
    if data is None:
        return _read_csv(default).copy(), default
    if isinstance(data, pd.DataFrame):
        return data, f"{default.split('.')[0]} table"
    path = Path(data)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        return pd.read_csv(path, comment="#"), path.name
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path.name}: cannot be read as CSV ({exc})") from exc


def _check_in_china(df: pd.DataFrame, table: str) -> None:
    for col, (lo, hi) in (("lat", _LAT_CHINA), ("lon", _LON_CHINA)):
        bad = (df[col] < lo) | (df[col] > hi)
        if bad.any():
            row = df.index[bad.to_numpy()][0]
            raise InputError(
                f"{table}: row {row!r}, column '{col}': {df.loc[row, col]:g} is outside "
                f"mainland China ({lo:g}..{hi:g})"
            )


def provinces(data: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """The 31 mainland provinces with economic, energy and climate attributes.

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own table, with a ``province`` column (or index) and at
        least the columns of :data:`PROVINCE_COLUMNS`. Default: the bundled
        ``provinces.csv`` merged with ``province_resources.csv``.

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
        If a column is missing, a value is missing or out of range, or a
        province appears twice.
    """
    if data is None:
        base = _read_csv("provinces.csv").set_index("province")
        res = _read_csv("province_resources.csv").set_index("province")
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
        df, table = _table(data, "provinces.csv")
    out = check_table(df, PROVINCE_COLUMNS, table, index="province")
    out.index.name = "province"
    _check_in_china(out, table)
    return out


def sites(
    data: str | Path | pd.DataFrame | None = None,
    provinces: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Candidate data-center sites: the 10 national clusters and 31 capitals.

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own table with a ``site`` column (or index) and the
        columns of :data:`SITE_COLUMNS`. Default: bundled ``sites.csv``.
    provinces : DataFrame, optional
        Province table the ``province`` column must refer to. Default:
        :func:`provinces`.

    Returns
    -------
    pandas.DataFrame
        Index ``site``; columns ``province``, ``lat``, ``lon`` [deg],
        ``kind`` (cluster / capital), ``hub``, ``role`` (east / west),
        ``pue_max`` [-] (NaN where no policy cap applies) and
        ``it_capacity_max_mw`` [MW], plus any extra columns of the file.

    Raises
    ------
    InputError
        On a missing column or value, coordinates outside China or a
        province that :func:`provinces` does not know.
    """
    df, table = _table(data, "sites.csv")
    out = check_table(df, SITE_COLUMNS, table, index="site")
    out.index.name = "site"
    _check_in_china(out, table)
    known = (provinces if provinces is not None else globals()["provinces"]()).index
    check_known(out["province"], known, table, "province", "province")
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
        if not path.is_file():
            raise InputError(f"{path}: file not found")
        gdf, table = gpd.read_file(path), path.name
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


@functools.lru_cache(maxsize=1)
def _read_profiles() -> pd.DataFrame:
    df = pd.read_csv(data_dir() / "profiles.csv.gz", header=[0, 1], index_col=0)
    df.index = pd.DatetimeIndex(pd.to_datetime(df.index.str.slice(0, 19)), name="time").tz_localize(
        "Asia/Shanghai"
    )
    return df


def profiles(data: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Hourly solar and wind capacity factors for one non-leap year.

    The bundled profiles are modelled, not measured: clear-sky solar
    physics and a documented seasonal/diurnal wind shape, each scaled so its
    annual mean equals the site's province ``solar_cf`` / ``wind_cf`` (see
    ``SOURCES.md``).

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own profiles: 8760 rows, columns a MultiIndex
        ``(location, technology)``.

    Returns
    -------
    pandas.DataFrame
        8760 rows, hourly index in China Standard Time (``Asia/Shanghai``);
        columns MultiIndex ``(location, technology)`` with ``technology`` in
        ``{"solar", "wind"}``; values are capacity factors [0..1]. One
        ``location`` per site of :func:`sites`.

    Raises
    ------
    InputError
        On a wrong number of rows, an unknown technology, a missing value or
        a value outside [0, 1].
    """
    if data is None:
        df, table = _read_profiles().copy(), "profiles.csv.gz"
    elif isinstance(data, pd.DataFrame):
        df, table = data.copy(), "profiles table"
    else:
        path = Path(data)
        if not path.is_file():
            raise InputError(f"{path}: file not found")
        df, table = pd.read_csv(path, header=[0, 1], index_col=0), path.name
    if not isinstance(df.columns, pd.MultiIndex) or df.columns.nlevels != 2:
        raise InputError(f"{table}: columns must be a MultiIndex (location, technology)")
    df.columns = df.columns.set_names(["location", "technology"])
    if len(df) != HOURS_PER_YEAR:
        raise InputError(f"{table}: {len(df)} rows; expected {HOURS_PER_YEAR} (hours of a non-leap year)")
    techs = set(df.columns.get_level_values("technology"))
    if not techs <= set(TECHNOLOGIES):
        raise InputError(
            f"{table}: unknown technology {sorted(techs - set(TECHNOLOGIES))[0]!r}; "
            f"valid: {list(TECHNOLOGIES)}"
        )
    values = df.to_numpy(dtype=float)
    bad = np.isnan(values) | (values < 0) | (values > 1)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(
            f"{table}: row {df.index[i]!s}, column {df.columns[j]}: "
            f"{values[i, j]:g} is not a capacity factor in [0, 1]"
        )
    return df


def parameters(data: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Techno-economic parameters: capex, lifetimes, network cost, water use...

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own table with a ``parameter`` column (or index) and the
        columns of :data:`PARAMETER_COLUMNS`. Default: ``parameters.csv``.

    Returns
    -------
    pandas.DataFrame
        Index ``parameter``; columns ``value`` (in ``unit``), ``unit``,
        ``year``, ``status`` (sourced / derived / estimate) and ``source``.
    """
    df, table = _table(data, "parameters.csv")
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
