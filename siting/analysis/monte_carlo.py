"""Monte Carlo: solves under sampled uncertain inputs, build probabilities
and quantiles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from siting.analysis.run import FAILED, execute, leave_if_importing_main, tidy_table
from siting.errors import InputError
from siting.scenario import Scenario

__all__ = ["DISTRIBUTIONS", "MonteCarloResult", "monte_carlo"]

#: Tuple specifications :func:`monte_carlo` accepts, with their parameters
#: (numpy :class:`~numpy.random.Generator` conventions).
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "sigma"),
    "triangular": ("low", "mode", "high"),
    "choice": ("values",),
}


@dataclass(frozen=True)
class MonteCarloResult:
    """Outcomes of :func:`monte_carlo`.

    Attributes
    ----------
    runs : pandas.DataFrame
        Index ``draw``: the sampled inputs, ``status``, ``error`` and the
        summary outputs, as in :func:`~siting.analysis.sweep`.
    capacity_mw : pandas.DataFrame
        IT capacity built [MW], draws × sites (NaN for failed draws).
    sites : pandas.DataFrame
        ``province``, ``lat``, ``lon`` [deg] and ``role`` of each site.
    seed : int
        Seed the draws came from.
    built_mw : float
        Capacity above which a site counts as built [MW].
    """

    runs: pd.DataFrame
    capacity_mw: pd.DataFrame
    sites: pd.DataFrame
    seed: int
    built_mw: float = 1.0

    @property
    def solved(self) -> pd.Series:
        """True for draws that solved (optimal or at a time limit)."""
        return ~self.runs["status"].isin(FAILED)

    @property
    def build_probability(self) -> pd.Series:
        """Share of solved draws in which each site builds more than
        :attr:`built_mw` of IT capacity [0..1], index ``site``."""
        cap = self.capacity_mw[self.solved.to_numpy()]
        if cap.empty:
            return pd.Series(np.nan, index=self.capacity_mw.columns, name="build_probability")
        return (cap > self.built_mw).mean().rename("build_probability")

    def quantiles(self, q: Sequence[float] = (0.05, 0.5, 0.95), columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Quantiles of inputs and outcomes over the solved draws.

        Parameters
        ----------
        q : sequence of float
            Quantiles in [0, 1].
        columns : sequence of str, optional
            Columns of :attr:`runs`; default every numeric one.

        Returns
        -------
        pandas.DataFrame
            Index ``q``, one column per input or outcome, in its unit.
        """
        ok = self.runs[self.solved]
        if columns is None:
            columns = [c for c in ok.columns if c != "error" and pd.api.types.is_numeric_dtype(ok[c])]
        out = ok[list(columns)].quantile(list(q))
        out.index.name = "q"
        return out


def _draw(distributions: Mapping[str, Any], n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` draws of every distribution, in the order given."""
    columns = {}
    for name, dist in distributions.items():
        if hasattr(dist, "rvs"):
            values = np.asarray(dist.rvs(size=n, random_state=rng), dtype=float)
        elif isinstance(dist, tuple) and dist and dist[0] in DISTRIBUTIONS:
            kind, params = dist[0], dist[1:]
            if len(params) != len(DISTRIBUTIONS[kind]):
                raise InputError(
                    f"distributions[{name!r}]: {kind!r} takes {len(DISTRIBUTIONS[kind])} parameters "
                    f"{DISTRIBUTIONS[kind]}, got {params!r}"
                )
            if kind == "choice":
                values = _choice(name, params[0], n, rng)
                columns[name] = values
                continue
            p = [float(x) for x in params]
            if kind == "uniform":
                values = rng.uniform(p[0], p[1], n)
            elif kind == "normal":
                values = rng.normal(p[0], p[1], n)
            elif kind == "lognormal":
                values = rng.lognormal(p[0], p[1], n)
            else:
                values = rng.triangular(p[0], p[1], p[2], n)
        else:
            raise InputError(
                f"distributions[{name!r}]: expected a frozen scipy.stats distribution or a tuple "
                f"(kind, *parameters) with kind in {DISTRIBUTIONS}, got {dist!r}"
            )
        if values.shape != (n,):
            raise InputError(f"distributions[{name!r}]: expected {n} scalar draws, got shape {values.shape}")
        columns[name] = values
    return pd.DataFrame(columns, index=pd.RangeIndex(n, name="draw"))


def _choice(name: str, options: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` values drawn with equal probability from ``options`` (kept as given: integers stay integers)."""
    values = np.asarray(list(options) if not isinstance(options, (str, bytes)) else [options])
    if values.ndim != 1 or len(values) == 0:
        raise InputError(f"distributions[{name!r}]: 'choice' takes a non-empty list of values, got {options!r}")
    return values[rng.integers(0, len(values), n)]


def monte_carlo(
    scenario: Scenario,
    distributions: Mapping[str, Any],
    n: int = 100,
    seed: int = 0,
    executor: Executor | str | None = None,
    *,
    built_mw: float = 1.0,
    progress: bool | None = None,
    **solve_kwargs: Any,
) -> MonteCarloResult:
    """Solve a scenario under sampled uncertain inputs.

    All draws are made up front in the calling process from
    ``numpy.random.default_rng(seed)``, one distribution after the other in
    the order of ``distributions``, so the result depends on the seed only,
    never on the executor or the order in which runs complete.

    Parameters
    ----------
    scenario : Scenario
        The base scenario.
    distributions : dict
        Name of a :meth:`Scenario.replace` change (``electricity_price_scale``,
        ``demand_scale``, ``capex_scale``, ``grid_ef_scale`` [-],
        ``carbon_price_cny_per_t`` [CNY/tCO2], ...) -> its distribution: a
        frozen ``scipy.stats`` distribution (anything with
        ``rvs(size, random_state)``) or a tuple ``("uniform", low, high)``,
        ``("normal", mean, sd)``, ``("lognormal", mean, sigma)`` (mean and
        standard deviation of the underlying normal, as numpy's; ``(0, s)``
        has median 1), ``("triangular", low, mode, high)`` or
        ``("choice", values)`` (each value equally likely, kept as given):
        ``{"weather_year": ("choice", range(siting.weather.WEATHER_YEARS))}``
        samples the synthetic weather year.
    n : int
        Number of draws (>= 1).
    seed : int
        Seed of the draws.
    executor, progress, **solve_kwargs
        As for :func:`~siting.analysis.sweep`.
    built_mw : float
        Capacity above which a site counts as built [MW].

    Returns
    -------
    MonteCarloResult
        ``runs`` (one row per draw), ``capacity_mw`` per draw and site,
        :attr:`~MonteCarloResult.build_probability` per site and
        :meth:`~MonteCarloResult.quantiles`.

    Raises
    ------
    InputError
        On a malformed distribution or ``n < 1``. A draw whose scenario
        is invalid (say, a negative scale) or infeasible is reported in
        ``runs`` and left out of the probabilities and quantiles.
    Interrupted
        On Ctrl-C while the runs are solved (a :class:`KeyboardInterrupt`):
        runs not started are cancelled and the default pool's workers
        terminated; its ``table`` holds the rows of ``runs`` of the draws
        that finished. See :mod:`siting.analysis`.
    """
    leave_if_importing_main()
    if int(n) < 1:
        raise InputError(f"n must be >= 1 draws, got {n}")
    if not distributions:
        raise InputError("distributions: nothing to sample; give at least one name -> distribution")
    draws = _draw(distributions, int(n), np.random.default_rng(seed))
    runs = [{k: float(v) for k, v in row.items()} for row in draws.to_dict("records")]
    outcomes = execute(scenario, runs, executor, progress, solve_kwargs, "monte carlo",
                       lambda done, finished: tidy_table(draws.iloc[done], finished, "draw"))
    table = tidy_table(draws, outcomes, "draw")
    capacity = pd.DataFrame(
        [np.full(len(scenario.sites), np.nan) if o.capacity_mw is None
         else o.capacity_mw.reindex(scenario.sites.index).to_numpy() for o in outcomes],
        index=table.index,
        columns=scenario.sites.index,
    )
    info = scenario.sites[["province", "lat", "lon", "role"]].copy()
    return MonteCarloResult(runs=table, capacity_mw=capacity, sites=info, seed=seed, built_mw=built_mw)
