"""Hourly solar and wind capacity factors of the bundled sites."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from siting.datasets.bundle import data_dir
from siting.datasets.schemas import TECHNOLOGIES
from siting.errors import InputError

__all__ = ["profiles", "HOURS_PER_YEAR"]

HOURS_PER_YEAR = 8760


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
