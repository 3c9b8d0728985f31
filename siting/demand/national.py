"""National AI electricity demand: growth, and where and how urgent.

1. **Growth.** :func:`national_demand_twh` interpolates sourced national
   data-center electricity trajectories (:func:`trajectories`), e.g. the
   IEA (2025) base case for China, 102 TWh (2024) to 277 TWh (2030);
   :func:`it_mw_from_twh` turns it into average IT load.
2. **Where and how urgent.** :func:`spatial_split` spreads national IT
   demand over the 31 provinces and the workload classes of
   :func:`workload_classes`; the result (columns ``origin``, ``workload``,
   ``it_mw``) is the demand table of a ``Scenario``. :func:`class_profiles`
   gives each class's hourly shape (mean 1). :func:`provincial_demand`
   chains steps 1 and 2.

Every figure has a source in ``datasets/SOURCES.md`` or in the docstring of
the constant that holds it; estimates are labelled as such.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from siting import datasets
from siting.datasets import bundle
from siting.datasets.validation import Column, check_known, check_table, source_of, where
from siting.demand.facility import Numeric, _check_pue, _num
from siting.demand.workloads import HOURS_PER_YEAR, _check_number
from siting.errors import InputError

__all__ = [
    "TRAJECTORY_COLUMNS",
    "CLASS_COLUMNS",
    "NATIONAL_PUE",
    "USERS_HOURLY_SHAPE",
    "trajectories",
    "national_demand_twh",
    "it_mw_from_twh",
    "workload_classes",
    "spatial_split",
    "class_profiles",
    "provincial_demand",
]


#: Average PUE of China's computing centres, mid-2025 [-]: 1.42 (MIIT data as
#: summarised by reportify.cn; secondary). The 2024 DC green low-carbon action
#: plan targets a national average below 1.5 by end-2025. Default PUE of
#: :func:`provincial_demand`.
NATIONAL_PUE = 1.42

#: Relative load of user-facing services by hour of the day in China
#: Standard Time, 00:00 ... 23:00 (normalised to mean 1 by
#: :func:`class_profiles`). **Derived** from the average-day mobile data
#: traffic of ~9,600 cell towers in Shanghai (Xu et al. 2017, "Understanding
#: mobile traffic patterns of large scale cellular towers in urban
#: environment", IEEE/ACM Trans. Networking 25(2), 1147-1161), as digitised in
#: 10-minute steps in github.com/tmc-calc/mob-traffic-ds
#: (``data/traffic_normal.csv``, column ``thp_xu17``, normalised to its
#: maximum); the values are the samples on the hour. Trough at 04:00 (14 %
#: of the maximum), plateau 10:00-15:00, second peak 20:00-21:00.
USERS_HOURLY_SHAPE: tuple[float, ...] = (
    0.506, 0.340, 0.240, 0.167, 0.136, 0.141, 0.233, 0.412, 0.677, 0.842, 0.937, 0.977,
    0.998, 0.993, 0.979, 0.972, 0.926, 0.868, 0.845, 0.871, 0.906, 0.924, 0.873, 0.709,
)  # fmt: skip

#: Schema of :func:`trajectories`.
TRAJECTORY_COLUMNS: tuple[Column, ...] = (
    Column("preset", "str", description="trajectory name"),
    Column("year", "int", min=1990, max=2100, description="year"),
    Column("twh", "float", min=0, description="national data-center electricity [TWh/yr]"),
    Column("status", "str", choices=("sourced", "derived", "estimate"), description="provenance"),
    Column("source", "str", description="where the value comes from"),
)

#: Schema of :func:`workload_classes` (and of a user's own class table).
CLASS_COLUMNS: tuple[Column, ...] = (
    Column("share", "float", min=0, max=1, description="share of national IT demand [0..1]"),
    Column("rtt_max_ms", "float", min=0, nan_ok=True, description="round-trip-time limit [ms], NaN = none"),
    Column("flexible", "bool", description="load can be shifted in time"),
    Column("profile", "str", choices=("users", "flat"), description="hourly shape"),
    Column("description", "str", required=False, nan_ok=True, description="what the class holds"),
)

_KEYS = {"population": "population_million", "gdp": "gdp_billion_cny"}


# --------------------------------------------------------------------------
# growth


def trajectories(data: str | Path | pd.DataFrame | None = None, *, encoding: str | None = None) -> pd.DataFrame:
    """National data-center electricity trajectories for China (presets).

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own table with the columns of :data:`TRAJECTORY_COLUMNS`.
        Default: the bundled ``trajectories.csv``.
    encoding : str, optional
        Text encoding of the user's file (e.g. ``"gbk"``); default UTF-8.

    Returns
    -------
    pandas.DataFrame
        Columns ``preset``, ``year``, ``twh`` [TWh/yr] (facility electricity
        of all data centers), ``status`` and ``source``; sorted by preset and
        year. Presets: ``iea-2025-base`` (IEA Energy and AI 2025, base case:
        102 TWh in 2024, 277 TWh in 2030), ``caict-2025`` (140 TWh in 2024,
        CAICT "up to 400 TWh" in 2030, via Caixin) and ``greenpeace-2019``
        (160.9 TWh in 2018, 266.8 TWh projected for 2023). The presets
        disagree by definition and source; state which one you use.

    Raises
    ------
    InputError
        On a missing column or value, or a year given twice in one preset.
    """
    df, table = bundle.table_arg(data, "trajectories.csv", encoding)
    out = check_table(df, TRAJECTORY_COLUMNS, table)
    dup = out.duplicated(["preset", "year"]).to_numpy()
    if dup.any():
        position = int(dup.nonzero()[0][0])
        row = out.iloc[position]
        raise InputError(
            f"{source_of(out, table)}: {where(out, position)}: preset {row['preset']!r} has year {row['year']} "
            "more than once; expected one value per preset and year"
        )
    return out.sort_values(["preset", "year"]).reset_index(drop=True)


def national_demand_twh(year: int, preset: str = "iea-2025-base") -> float:
    """National data-center electricity in a year, from a preset trajectory.

    Parameters
    ----------
    year : int
        Calendar year, within the preset's first and last sourced year.
    preset : str
        A preset of :func:`trajectories`.

    Returns
    -------
    float
        Facility electricity of all data centers in China [TWh/yr].

    Raises
    ------
    InputError
        On an unknown preset (the message lists the valid ones) or a year
        outside the sourced range (no extrapolation).

    Notes
    -----
    Between two sourced years the trajectory grows at a constant annual
    rate (geometric interpolation): for ``y0 <= year <= y1``,
    ``twh = twh0 * (twh1 / twh0) ** ((year - y0) / (y1 - y0))``. For the
    IEA base case this is 18.1 %/yr from 2024 to 2030.
    """
    table = trajectories()
    presets = sorted(table["preset"].unique())
    if preset not in presets:
        raise InputError(f"unknown trajectory preset {preset!r}; valid presets: {presets}")
    t = table[table["preset"] == preset]
    years = t["year"].to_numpy(dtype=float)
    twh = t["twh"].to_numpy(dtype=float)
    y = _check_number(year, "national_demand_twh: year")
    if not years[0] <= y <= years[-1]:
        raise InputError(
            f"national_demand_twh: year {year} is outside preset {preset!r}'s sourced range "
            f"{int(years[0])}..{int(years[-1])}; no extrapolation"
        )
    return float(np.exp(np.interp(y, years, np.log(twh))))


def it_mw_from_twh(twh: Numeric, pue: Numeric = 1.0) -> Numeric:
    """Average IT power from annual facility electricity.

    Parameters
    ----------
    twh : float, array or Series
        Facility electricity [TWh/yr].
    pue : float, array or Series
        Power usage effectiveness [-], >= 1.

    Returns
    -------
    float, array or Series
        ``twh * 1e6 / 8760 / pue`` [MW] of average IT load.
    """
    _num(twh, "it_mw_from_twh: twh")
    if (np.asarray(twh, dtype=float) < 0).any():
        raise InputError("it_mw_from_twh: twh is negative; expected >= 0")
    _check_pue(pue)
    return twh * 1e6 / HOURS_PER_YEAR / pue


# --------------------------------------------------------------------------
# where and how urgent


def workload_classes() -> pd.DataFrame:
    """Default workload classes by latency tolerance.

    Returns
    -------
    pandas.DataFrame
        Index ``workload`` = ``interactive``, ``near_realtime``, ``batch``;
        columns ``share`` [0..1] (sums to 1), ``rtt_max_ms`` [ms] (NaN = no
        limit), ``flexible`` (bool), ``profile`` ("users" or "flat") and
        ``description``.

    Notes
    -----
    *Shares.* ``batch`` = 0.40 follows Google's split of ML energy, about
    3/5 inference and 2/5 training in 2019-2021 (Patterson et al. 2022, "The
    Carbon Footprint of Machine Learning Training Will Plateau, Then
    Shrink", IEEE Computer 55(7)); Meta reports 10:20:70 for
    experimentation, training and inference (Wu et al. 2022, MLSys), which
    would give batch 0.30. The split of inference into ``interactive`` 0.35
    and ``near_realtime`` 0.25 is an **estimate** (chat and search answer
    while the user waits; recommendation, agents and API back-ends tolerate
    more delay).

    *Latency.* ``interactive`` 20 ms reads the 20 ms cross-hub latency
    circle of the Dec-2023 implementation opinions on the integrated
    national computing network (1 ms city / 5 ms regional / 20 ms cross-hub;
    one-way vs round trip not specified) as a round-trip limit;
    ``near_realtime`` 50 ms is an **estimate** (a judgement, no source);
    ``batch`` has no limit and is time-flexible.
    """
    rows = [
        ("interactive", 0.35, 20.0, False, "users", "chat, search, assistants: the user waits for the answer"),
        ("near_realtime", 0.25, 50.0, False, "users", "recommendation, agents, API back-ends: seconds matter"),
        ("batch", 0.40, np.nan, True, "flat", "training, fine-tuning, offline inference: no latency limit"),
    ]
    df = pd.DataFrame(rows, columns=["workload", "share", "rtt_max_ms", "flexible", "profile", "description"])
    return df.set_index("workload")


def _classes(classes: pd.DataFrame | None) -> pd.DataFrame:
    if classes is None:
        return workload_classes()
    out = check_table(classes, CLASS_COLUMNS, "classes table", index="workload")
    total = float(out["share"].sum())
    if not np.isclose(total, 1.0, rtol=0, atol=1e-6):
        raise InputError(f"classes table: column 'share' sums to {total:g}; expected 1")
    return out


def _weights(key: str | pd.Series, prov: pd.DataFrame) -> pd.Series:
    if isinstance(key, pd.Series):
        check_known(key.index, prov.index, "weights", "province", "province")
        if key.index.duplicated().any():
            raise InputError(f"weights: province {key.index[key.index.duplicated()][0]!r} appears twice")
        values = pd.to_numeric(key, errors="coerce")
        for label, raw, num in zip(key.index, key, values):
            if pd.isna(num):
                raise InputError(f"weights: province {label!r}: {raw!r} is missing or not a number")
            if not np.isfinite(num) or num < 0:
                raise InputError(f"weights: province {label!r}: {num:g} is negative or infinite")
        weights = values.reindex(prov.index, fill_value=0.0).astype(float)
    elif isinstance(key, str) and key in _KEYS:
        weights = prov[_KEYS[key]].astype(float)
    else:
        raise InputError(f"key: {key!r} is not one of {sorted(_KEYS)} nor a Series of weights by province")
    if weights.sum() <= 0:
        raise InputError("weights: all weights are zero; at least one province needs demand")
    return weights


def spatial_split(
    it_mw: float,
    key: str | pd.Series = "population",
    classes: pd.DataFrame | None = None,
    provinces: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Spread national IT demand over provinces and workload classes.

    Parameters
    ----------
    it_mw : float
        National average IT load [MW], >= 0 (e.g. from :func:`it_mw_from_twh`).
    key : {"population", "gdp"} or Series
        Where users are: the provinces' ``population_million`` or
        ``gdp_billion_cny``, or the user's own non-negative weights indexed
        by province (provinces left out get weight 0).
    classes : DataFrame, optional
        Workload classes with the columns of :data:`CLASS_COLUMNS`; default
        :func:`workload_classes`.
    provinces : DataFrame, optional
        Province table; default :func:`siting.datasets.provinces`.

    Returns
    -------
    pandas.DataFrame
        One row per province and class (31 x 3 by default), columns
        ``origin`` (province), ``workload`` and ``it_mw`` [MW];
        ``it_mw`` sums to the input.

    Raises
    ------
    InputError
        On a negative demand, an unknown key, a weight for an unknown
        province, a negative or missing weight, or class shares that do not
        sum to 1.

    Notes
    -----
    ``it_mw[p, c] = it_mw * w_p / sum(w) * share_c``. Population and GDP are
    proxies for where AI is used; measured provincial data or compute demand
    is a gap in the bundled data (see ``SOURCES.md``).
    """
    total = _check_number(it_mw, "spatial_split: it_mw")
    prov = datasets.provinces() if provinces is None else provinces
    cls = _classes(classes)
    weights = _weights(key, prov)
    w = weights.to_numpy() / weights.sum()
    s = cls["share"].to_numpy(dtype=float)
    s = s / s.sum()
    return pd.DataFrame(
        {
            "origin": np.repeat(prov.index.to_numpy(dtype=object), len(cls)),
            "workload": np.tile(cls.index.to_numpy(dtype=object), len(prov)),
            "it_mw": total * np.outer(w, s).ravel(),
        }
    )


def _hourly_index() -> pd.DatetimeIndex:
    return pd.date_range("2023-01-01", periods=8760, freq="h", tz="Asia/Shanghai", name="time")


def class_profiles(classes: pd.DataFrame | None = None, index: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Hourly load shape of each workload class, mean 1.

    Parameters
    ----------
    classes : DataFrame, optional
        Workload classes (column ``profile`` = "users" or "flat"); default
        :func:`workload_classes`.
    index : DatetimeIndex, optional
        Hours to evaluate; tz-naive times are read as China Standard Time.
        Default: the 8760 hours of 2023 in ``Asia/Shanghai``, the index of
        :func:`siting.datasets.profiles`.

    Returns
    -------
    pandas.DataFrame
        Index as given (default named ``time``), one column per workload;
        each column has mean exactly 1 over the index.

    Notes
    -----
    "users" follows :data:`USERS_HOURLY_SHAPE` by hour of day in China
    Standard Time (the users of mainland data centers are in one time zone);
    "flat" is 1 in every hour (training and batch jobs run around the
    clock). Day-of-week and seasonal variation are not modelled.
    """
    cls = _classes(classes)
    idx = _hourly_index() if index is None else index
    if not isinstance(idx, pd.DatetimeIndex) or len(idx) == 0:
        raise InputError("class_profiles: index must be a non-empty pandas DatetimeIndex")
    local = idx.tz_localize("Asia/Shanghai") if idx.tz is None else idx.tz_convert("Asia/Shanghai")
    users = np.asarray(USERS_HOURLY_SHAPE)[local.hour]
    users = users / users.mean()
    data = {w: (users if p == "users" else np.ones(len(idx))) for w, p in cls["profile"].items()}
    out = pd.DataFrame(data, index=idx)
    out.columns.name = "workload"
    return out


def provincial_demand(
    year: int = 2030,
    preset: str = "iea-2025-base",
    pue: float = NATIONAL_PUE,
    key: str | pd.Series = "population",
    classes: pd.DataFrame | None = None,
    provinces: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """IT demand by province and workload class in a year of a trajectory.

    Chains :func:`national_demand_twh`, :func:`it_mw_from_twh` and
    :func:`spatial_split`.

    Parameters
    ----------
    year : int
        Calendar year within the preset's sourced range.
    preset : str
        A preset of :func:`trajectories`.
    pue : float
        PUE that turns the national facility electricity into IT load [-];
        default :data:`NATIONAL_PUE` (1.42).
    key, classes, provinces
        As in :func:`spatial_split`.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``workload``, ``it_mw`` [MW] (the demand table
        of a ``Scenario``).

    Examples
    --------
    IEA base case 2030: 277 TWh at PUE 1.42 is 22.3 GW of IT load:

    >>> round(provincial_demand(2030)["it_mw"].sum())
    22268
    """
    twh = national_demand_twh(year, preset)
    return spatial_split(it_mw_from_twh(twh, pue), key=key, classes=classes, provinces=provinces)
