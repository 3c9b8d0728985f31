"""Hourly solar and wind capacity factors of the bundled sites."""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from siting.datasets.bundle import read_user_csv
from siting.datasets.schemas import TECHNOLOGIES
from siting.datasets.validation import check_cells, keep_lines, source_of, where
from siting.errors import InputError
from siting.timeseries import HOURS_PER_YEAR

__all__ = ["profiles", "HOURS_PER_YEAR"]


@functools.lru_cache(maxsize=None)
def _generated(weather_year: int) -> pd.DataFrame:
    """Synthetic-weather profiles of the bundled sites (:mod:`siting.weather`), cached per year."""
    from siting.datasets.tables import sites
    from siting.weather.generator import profiles as weather_profiles

    return weather_profiles(sites()[["lat", "lon", "province"]], weather_year=weather_year)


def profiles(data: str | Path | pd.DataFrame | None = None, weather_year: int = 0) -> pd.DataFrame:
    """Hourly solar and wind capacity factors for one non-leap year.

    The bundled sites' profiles are **synthetic weather, not measurements**:
    generated on first use (about 0.5 s, then cached) by
    :func:`siting.weather.profiles` from each site's coordinates, each
    scaled so its annual mean equals the site province's ``solar_cf`` /
    ``wind_cf``; ``weather_year`` picks one of
    :data:`siting.weather.WEATHER_YEARS` equally plausible years (method,
    calibration and achieved statistics in ``SOURCES.md``).

    Parameters
    ----------
    weather_year : int
        Synthetic weather year of the bundled profiles, 0 ...
        ``siting.weather.WEATHER_YEARS - 1``; only with ``data=None``.
    data : path or DataFrame, optional
        The user's own profiles: 8760 consecutive hours (a CSV file: the
        times in the first column, tz-naive times in China Standard Time;
        two header lines, location then technology; UTF-8), columns a
        MultiIndex ``(location, technology)``.

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
        On a file that cannot be read, a wrong number of rows, times that
        are not consecutive hours (unreadable, repeated or out of order), an
        unknown or repeated column, a value that is not a number, missing or
        outside [0, 1]; the message names the file, line and column.
    """
    if data is None:
        return _generated(weather_year).copy()
    if weather_year != 0:
        raise InputError(
            f"weather_year={weather_year!r} applies to the bundled sites' generated profiles; "
            "a profile table given as data is used as it is"
        )
    if isinstance(data, pd.DataFrame):
        df, table = data.copy(), source_of(data, "profiles table")
    else:
        df = read_user_csv(data, header=[0, 1], index_col=0, comment=None, remedy=_ENCODING_REMEDY)
        table = source_of(df, "profiles table")
    return _checked(df, table)


#: What to do about a profile file in another encoding.
_ENCODING_REMEDY = (
    "read it with pandas.read_csv(path, header=[0, 1], index_col=0, encoding='gbk') and pass the DataFrame"
)


def _checked(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Profiles ``df`` checked: columns ``(location, technology)``, 8760 consecutive hours, values in [0, 1]."""
    if not isinstance(df.columns, pd.MultiIndex) or df.columns.nlevels != 2:
        raise InputError(
            f"{table}: columns must be a MultiIndex (location, technology); a file has two header lines, "
            "the site names and then solar or wind"
        )
    df.columns = df.columns.set_names(["location", "technology"])
    _check_columns(df, table)
    if len(df) != HOURS_PER_YEAR:
        raise InputError(f"{table}: {len(df)} rows; expected {HOURS_PER_YEAR} (hours of a non-leap year)")
    df.index = _hours(df, table)
    check_cells(keep_lines(df), table, "a capacity factor in [0, 1]", min=0, max=1)
    return df


def _check_columns(df: pd.DataFrame, table: str) -> None:
    """Every column names a location and a known technology, once."""
    for j, labels in enumerate(df.columns):
        for level, label in zip(("location", "technology"), labels):
            if str(label).startswith("Unnamed: ") or str(label).strip() == "":
                raise InputError(
                    f"{table}: column {j + 2} has no {level} name (header line {1 if level == 'location' else 2}); "
                    f"expected a {'site name' if level == 'location' else 'technology, solar or wind'}"
                )
    unknown = [(loc, tech) for loc, tech in df.columns if tech not in TECHNOLOGIES]
    if unknown:
        location, tech = unknown[0][0], str(unknown[0][1])
        repeated = tech.rpartition(".")[0]
        if repeated in TECHNOLOGIES:  # pandas renames a repeated header to "solar.1"
            raise InputError(
                f"{table}: location {location!r} has column {repeated!r} more than once; expected each once"
            )
        raise InputError(
            f"{table}: unknown technology {tech!r}; valid: {list(TECHNOLOGIES)} (the second header line)"
        )
    repeated = df.columns[df.columns.duplicated()]
    if len(repeated):
        raise InputError(f"{table}: column {repeated[0]} appears more than once; expected each once")


def _hours(df: pd.DataFrame, table: str) -> pd.DatetimeIndex:
    """The index of ``df`` as consecutive hours in China Standard Time (tz-naive times are read as such).

    Raises
    ------
    InputError
        Naming the line (or row) of the first time that is not a timestamp,
        appears twice or does not follow the one before by one hour.
    """
    index = df.index
    if not isinstance(index, pd.DatetimeIndex):
        if pd.api.types.is_numeric_dtype(index) or pd.api.types.is_bool_dtype(index):
            raise InputError(
                f"{table}: {where(df, 0)}: {index[0]!r} is not a timestamp; expected hourly times in the "
                "first column, such as 2023-01-01 00:00"
            )
        index = _parse_times(df, table)
    try:
        index = index.tz_localize("Asia/Shanghai") if index.tz is None else index.tz_convert("Asia/Shanghai")
    except (ValueError, TypeError) as exc:  # a local time that does not exist or is ambiguous
        raise InputError(f"{table}: the times cannot be read as China Standard Time ({exc})") from exc
    repeated = np.flatnonzero(index.duplicated())
    if len(repeated):
        i = int(repeated[0])
        first = int(np.flatnonzero(index == index[i])[0])
        raise InputError(
            f"{table}: {where(df, i)}: timestamp {index[i]} appears more than once (first at "
            f"{where(df, first)}); expected {HOURS_PER_YEAR} consecutive hours"
        )
    steps = np.flatnonzero((index[1:] - index[:-1]) != pd.Timedelta(hours=1))
    if len(steps):
        i = int(steps[0]) + 1
        raise InputError(
            f"{table}: {where(df, i)}: timestamp {index[i]} follows {index[i - 1]}; expected consecutive "
            "hours (one hour apart, in order)"
        )
    return pd.DatetimeIndex(index.as_unit("ns"), freq=None, name="time")


def _parse_times(df: pd.DataFrame, table: str) -> pd.DatetimeIndex:
    """Timestamps read from the text labels of ``df``'s index."""
    labels = df.index
    times = None
    for fmt in (None, "mixed"):  # one format for all (fast), else each on its own
        try:
            with warnings.catch_warnings():  # "could not infer format": the times are checked below
                warnings.simplefilter("ignore", UserWarning)
                times = pd.DatetimeIndex(pd.to_datetime(labels, errors="coerce", format=fmt))
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. times in several time zones
            if fmt is not None:
                raise InputError(
                    f"{table}: the times cannot be read ({' '.join(str(exc).split())}); expected hourly "
                    "times in one time zone, such as 2023-01-01 00:00"
                ) from exc
            continue
        if not times.isna().any():
            return times
    bad = int(np.flatnonzero(times.isna())[0])
    found = "no time" if pd.isna(labels[bad]) else f"{labels[bad]!r} is not a timestamp"
    raise InputError(f"{table}: {where(df, bad)}: {found}; expected hourly times such as 2023-01-01 00:00")
