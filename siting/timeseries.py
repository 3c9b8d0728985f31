"""Time slicing: one average slice, representative days or all 8760 hours.

Each mode returns :class:`Slices`: the values of every hourly series in each
slice and the slice weights in hours, so that ``sum(weight_h) == 8760`` and
weighted sums give annual totals.

Representative days are chosen by k-medoids clustering of the 365 daily
profiles (all series, each scaled to its range), a standard time-series
aggregation for energy-system models (Kotzur et al. 2018, "Impact of
different time series aggregation methods on optimal energy system design",
Renewable Energy 117, 474-487). Each medoid day is weighted by the number of
days in its cluster, and each series is then rescaled within [0, 1] (or mean
1 for load) so its weighted annual mean equals the hourly one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from siting.errors import InputError

__all__ = ["Slices", "slice_series", "resolution_label", "HOURS_PER_YEAR"]

HOURS_PER_YEAR = 8760


@dataclass(frozen=True)
class Slices:
    """Values of hourly series in a set of time slices.

    Attributes
    ----------
    values : pandas.DataFrame
        One row per slice, the same columns as the hourly input.
    weight_h : numpy.ndarray
        Hours each slice stands for; sums to 8760 [h].
    hours : list of numpy.ndarray
        For each slice, the hours of the year (0..8759) it represents (used
        to map results back to the calendar).
    period : int
        Length of the cycles the slices form [slices]: 24 for representative
        days (each day repeats), 8760 for the full year, 1 for one average
        slice. Storage is cyclic over each period.
    """

    values: pd.DataFrame
    weight_h: np.ndarray
    hours: list
    period: int = 1

    def __len__(self) -> int:
        return len(self.weight_h)

    def previous(self) -> np.ndarray:
        """Index of the slice before each slice, cyclic within each period.

        The first hour of a representative day follows the last hour of the
        same day; hour 0 of the full year follows hour 8759.
        """
        t = np.arange(len(self))
        start = (t // self.period) * self.period
        return np.where(t == start, start + self.period - 1, t - 1)


def resolution_label(resolution: str, days: int) -> str:
    """How a model slices the year, in words: ``"12 representative days"``, ``"8760 hours"``, ``"1 average slice"``.

    Parameters
    ----------
    resolution : {"average", "days", "hours"}
    days : int
        Number of representative days (used with ``"days"``).
    """
    if resolution == "days":
        return f"{days} representative day{'s' if days != 1 else ''}"
    if resolution == "hours":
        return f"{HOURS_PER_YEAR} hours"
    return "1 average slice"


def slice_series(
    series: pd.DataFrame,
    resolution: str = "days",
    days: int = 12,
    seed: int = 0,
    bounded: list | None = None,
) -> Slices:
    """Reduce 8760 hourly rows to time slices.

    Parameters
    ----------
    series : pandas.DataFrame
        8760 hourly rows; columns are capacity factors or load shapes.
    resolution : {"average", "days", "hours"}
        One slice with the annual means; ``days`` representative days of 24
        hourly slices each; or every hour.
    days : int
        Number of representative days for ``resolution="days"`` (1..365).
    seed : int
        Seed of the k-medoids initialisation (results are deterministic).
    bounded : list, optional
        Columns that must stay within [0, 1] when rescaled (capacity
        factors). Other columns are rescaled freely.

    Returns
    -------
    Slices
    """
    if len(series) != HOURS_PER_YEAR:
        raise InputError(f"hourly series: {len(series)} rows, expected {HOURS_PER_YEAR}")
    data = series.to_numpy(dtype=float)
    if resolution == "average":
        values = pd.DataFrame(data.mean(axis=0, keepdims=True), columns=series.columns)
        return Slices(values, np.array([float(HOURS_PER_YEAR)]), [np.arange(HOURS_PER_YEAR)], period=1)
    if resolution == "hours":
        values = pd.DataFrame(data, columns=series.columns)
        return Slices(values, np.ones(HOURS_PER_YEAR), [np.array([h]) for h in range(HOURS_PER_YEAR)],
                      period=HOURS_PER_YEAR)
    if resolution != "days":
        raise InputError(f"resolution was {resolution!r} but is expected to be one of ['average', 'days', 'hours']")
    if not 1 <= int(days) <= 365:
        raise InputError(f"days must be between 1 and 365, got {days}")
    daily = _daily(data)
    medoids, labels = _kmedoids(daily, int(days), seed)
    counts = np.bincount(labels, minlength=len(medoids)).astype(float)
    hours_of_day = np.arange(24)
    rows = np.concatenate([m * 24 + hours_of_day for m in medoids])
    values = data[rows]
    weight = np.repeat(counts, 24)
    values = _match_means(values, weight, data.mean(axis=0), _bounded_mask(series.columns, bounded))
    hours = []
    for k in range(len(medoids)):
        members = np.flatnonzero(labels == k)
        for h in hours_of_day:
            hours.append(members * 24 + h)
    return Slices(pd.DataFrame(values, columns=series.columns), weight, hours, period=24)


def _daily(data: np.ndarray) -> np.ndarray:
    """365 x (24 * n_series) matrix, each series scaled to [0, 1] by its range."""
    lo, hi = data.min(axis=0), data.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    scaled = (data - lo) / span
    return scaled.reshape(365, 24, -1).transpose(0, 2, 1).reshape(365, -1)


def _kmedoids(x: np.ndarray, k: int, seed: int, iterations: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Alternating k-medoids with k-means++ initialisation.

    Returns the medoid day indices (sorted) and each day's cluster label.
    """
    n = len(x)
    sq = (x * x).sum(axis=1)
    dist = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2.0 * x @ x.T, 0.0))
    rng = np.random.default_rng(seed)
    medoids = [int(rng.integers(n))]
    for _ in range(1, k):
        d2 = dist[:, medoids].min(axis=1) ** 2
        if d2.sum() == 0:
            candidates = np.setdiff1d(np.arange(n), medoids)
            medoids.append(int(candidates[0]))
            continue
        medoids.append(int(rng.choice(n, p=d2 / d2.sum())))
    medoids = np.array(medoids)
    for _ in range(iterations):
        labels = dist[:, medoids].argmin(axis=1)
        new = medoids.copy()
        for j in range(k):
            members = np.flatnonzero(labels == j)
            if len(members):
                new[j] = members[dist[np.ix_(members, members)].sum(axis=1).argmin()]
        if np.array_equal(new, medoids):
            break
        medoids = new
    medoids = np.sort(medoids)
    labels = dist[:, medoids].argmin(axis=1)
    return medoids, labels


def _bounded_mask(columns: pd.Index, bounded: list | None) -> np.ndarray:
    if bounded is None:
        return np.zeros(len(columns), dtype=bool)
    return np.asarray(columns.isin(bounded))


def _match_means(values: np.ndarray, weight: np.ndarray, target: np.ndarray, bounded: np.ndarray) -> np.ndarray:
    """Rescale columns so their weighted mean equals ``target``.

    Bounded columns stay within [0, 1]: the scale is applied, values are
    clipped at 1 and the scaling repeated on the unclipped part.
    """
    out = values.copy()
    total = weight.sum()
    for j in range(out.shape[1]):
        col = out[:, j]
        for _ in range(50):
            mean = (weight * col).sum() / total
            if mean <= 0 or abs(mean - target[j]) <= 1e-12 * max(target[j], 1.0):
                break
            if not bounded[j]:
                col = col * (target[j] / mean)
                break
            free = col < 1.0
            fixed_part = (weight * col * ~free).sum()
            free_part = (weight * col * free).sum()
            if free_part <= 0:
                break
            factor = (target[j] * total - fixed_part) / free_part
            col = np.where(free, np.minimum(col * factor, 1.0), col)
        out[:, j] = col
    return out
