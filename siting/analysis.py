"""Many solves of one scenario: sweeps, cost–carbon Pareto fronts,
sensitivity and Monte Carlo, fanned out over any executor.

Every function takes a base :class:`~siting.scenario.Scenario` and a set of
*changes* (keyword arguments of :meth:`Scenario.replace`, including its
shortcuts ``rtt_max_ms_<workload>``, ``demand_scale``,
``electricity_price_scale``, ``grid_ef_scale`` and ``capex_scale``), solves
each changed scenario and gathers the outcomes into tidy tables, one row per
run, in the order the runs were given.

Executors
---------
``executor=None`` (default)
    A local :class:`concurrent.futures.ProcessPoolExecutor` with one worker
    per CPU (at most one per run), created and shut down inside the call.
    Its workers are started with the ``"forkserver"`` method (``"spawn"``
    where that does not exist), so none inherits the solver threads or locks
    of the calling process; scripts must therefore guard their entry point
    with ``if __name__ == "__main__":``. A single run is solved inline.
``executor="serial"``
    Every run in the calling process, one after the other.
any :class:`concurrent.futures.Executor`
    Used as given and left running: ``ProcessPoolExecutor(4)``, or a Dask
    client's ``client.get_executor()`` to run the same calls on a cluster
    (extra ``siting[dask]``).

Runs are independent and deterministic, and Monte Carlo draws are made up
front in the calling process, so the tables do not depend on the executor.
A run that fails (an infeasible or invalid scenario, a lost worker) becomes a
row with ``status`` ``"infeasible"`` or ``"error"`` and its message in
``error``; the other runs still return, and a :class:`RuntimeWarning` counts
the failures and quotes the first.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pulp

from siting import _analysis_run as _run
from siting._analysis_plots import plot_build_probability, plot_pareto, plot_tornado
from siting.errors import InfeasibleError, InputError
from siting.model import build, emission_terms
from siting.scenario import Scenario
from siting.solver import Status, solve, solve_model

__all__ = [
    "sweep",
    "pareto",
    "plot_pareto",
    "sensitivity",
    "Sensitivity",
    "plot_tornado",
    "SENSITIVITY_PARAMETERS",
    "monte_carlo",
    "MonteCarloResult",
    "plot_build_probability",
    "DISTRIBUTIONS",
]

#: Parameters :func:`sensitivity` varies by default (names of
#: :meth:`Scenario.replace`).
SENSITIVITY_PARAMETERS: tuple[str, ...] = (
    "electricity_price_scale",
    "grid_ef_scale",
    "capex_scale",
    "demand_scale",
    "rtt_max_ms_interactive",
    "carbon_price_cny_per_t",
)

#: Tuple specifications :func:`monte_carlo` accepts, with their parameters
#: (numpy :class:`~numpy.random.Generator` conventions).
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "sigma"),
    "triangular": ("low", "mode", "high"),
}

# scale shortcuts of Scenario.replace; their base value is 1
_SCALES = ("demand_scale", "electricity_price_scale", "grid_ef_scale", "capex_scale")


# ---------------------------------------------------------------- sweep
def sweep(
    scenario: Scenario,
    changes: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]],
    executor: Executor | str | None = None,
    *,
    progress: bool | None = None,
    **solve_kwargs: Any,
) -> pd.DataFrame:
    """Solve a grid or a list of changes to a scenario.

    Parameters
    ----------
    scenario : Scenario
        The base scenario.
    changes : dict or list of dict
        A dict ``name -> list of values`` sweeps the cartesian product of the
        lists (the first name varies slowest); a list of dicts gives the runs
        explicitly. Names are anything :meth:`Scenario.replace` accepts, for
        example ``carbon_price_cny_per_t`` [CNY/tCO2], ``demand_scale`` [-]
        or ``rtt_max_ms_interactive`` [ms].
    executor : None, "serial" or concurrent.futures.Executor
        Where the runs are solved (see the module docstring). Default: a
        local process pool.
    progress : bool, optional
        Progress bar (needs ``tqdm``; none without it). Default: only on a
        terminal. ``False`` never prints.
    **solve_kwargs
        Options of :func:`siting.solve` (``solver``, ``time_limit``,
        ``threads``, ``algorithm``, ...).

    Returns
    -------
    pandas.DataFrame
        Index ``run`` in input order. Columns: the changed inputs (NaN where a
        run leaves one unchanged), ``status`` (``"optimal"``,
        ``"time_limit"``, ``"infeasible"`` or ``"error"``), ``error`` (the
        message, NaN when solved), every entry of
        :attr:`siting.Result.summary` (cost by component [CNY/yr],
        ``emissions_t`` [tCO2/yr], ``green_share`` and ``west_share``
        [0..1], ``rtt_mean_ms_<class>`` [ms], ...) and, for national
        policies that are set, their shadow prices
        ``shadow_green_share_cny_per_pp``, ``shadow_west_share_cny_per_pp``
        [CNY/yr per percentage point], ``shadow_water_cny_per_m3``,
        ``shadow_emissions_cny_per_t`` [CNY per tCO2]. A summary entry
        named like an input (``rtt_max_ms_<class>``, the largest RTT
        served) is prefixed ``result_``.

    Raises
    ------
    InputError
        If ``changes``, ``executor`` or a solver option is malformed. Bad
        values inside runs do not raise: those runs are reported.

    Examples
    --------
    >>> table = sweep(scn, {"carbon_price_cny_per_t": [0, 100, 200],
    ...                     "demand_scale": [1.0, 2.0]})       # doctest: +SKIP
    """
    runs = _run.runs_from_changes(changes)
    if not runs:
        raise InputError("changes: no runs to solve")
    outcomes = _run.execute(scenario, runs, executor, progress, solve_kwargs, "sweep")
    return _run.table(pd.DataFrame.from_records(runs, index=range(len(runs))), outcomes, "run")


# ---------------------------------------------------------------- Pareto
def pareto(
    scenario: Scenario,
    objectives: tuple[str, str] = ("cost", "emissions"),
    points: int = 10,
    executor: Executor | str | None = None,
    *,
    progress: bool | None = None,
    **solve_kwargs: Any,
) -> pd.DataFrame:
    r"""Cost–emissions Pareto front by the epsilon-constraint method.

    The two ends are solved first, in the calling process: the least-cost
    solution (emissions :math:`E_{max}`) and the least-emission one,
    :math:`E_{min} = \min \sum_s EF_s \sum_t h_t g_{st}` over the same
    feasible set (the objective replaced by emissions from grid power).
    Then ``points`` caps evenly spaced from :math:`E_{max}` down to
    :math:`E_{min}` are each solved at least cost with
    ``emissions_t_max = cap`` on the executor. The last cap is
    :math:`E_{min}` loosened by 1e-6 (relative) so that solver tolerances
    keep it feasible; it is the cheapest least-emission solution.

    Parameters
    ----------
    scenario : Scenario
        The base scenario; an ``emissions_t_max`` it sets is ignored. Cost
        is the scenario's objective, so it includes the carbon price
        ``carbon_price_cny_per_t``; set that to 0 for a front of costs
        without carbon pricing.
    objectives : tuple of str
        ``("cost", "emissions")``, the one pair supported.
    points : int
        Number of points on the front, ends included (>= 2).
    executor, progress, **solve_kwargs
        As for :func:`sweep`.

    Returns
    -------
    pandas.DataFrame
        Index ``point`` from least cost to least emissions. Columns
        ``emissions_cap_t`` [tCO2/yr], ``status``, ``error``,
        ``cost_total_cny`` [CNY/yr], ``emissions_t`` [tCO2/yr],
        ``green_share``, ``west_share`` [0..1],
        ``carbon_shadow_price_cny_per_t`` [CNY/tCO2] (the dual of the cap:
        the cost of the last tonne abated, on top of the carbon price),
        then the cost components ``cost_<component>_cny`` [CNY/yr].

    Raises
    ------
    InputError
        On other objectives or fewer than 2 points.
    InfeasibleError
        If the base scenario itself cannot be solved.
    """
    if tuple(objectives) != ("cost", "emissions"):
        raise InputError(f"objectives was {tuple(objectives)!r} but only ('cost', 'emissions') is supported")
    if int(points) < 2:
        raise InputError(f"points must be >= 2 (the two ends of the front), got {points}")
    _run.check_solve_kwargs(solve_kwargs)
    base = scenario.replace(emissions_t_max=None)
    e_max = float(solve(base, **solve_kwargs).summary["emissions_t"])
    # the least-cost plan may already emit the least (to solver tolerance):
    # keep the caps non-increasing from least cost to least emissions
    e_min = min(_min_emissions(base, solve_kwargs), e_max)
    caps = np.linspace(e_max, e_min, int(points))
    caps[-1] = min(e_min * (1 + 1e-6), e_max)
    runs = [{"emissions_t_max": float(c)} for c in caps]
    outcomes = _run.execute(base, runs, executor, progress, solve_kwargs, "pareto")
    table = _run.table(pd.DataFrame({"emissions_cap_t": caps}), outcomes, "point")
    table = table.rename(columns={"shadow_emissions_cny_per_t": "carbon_shadow_price_cny_per_t"})
    head = ["emissions_cap_t", "status", "error", "cost_total_cny", "emissions_t", "green_share", "west_share",
            "carbon_shadow_price_cny_per_t"]
    costs = [c for c in table.columns if c.startswith("cost_") and c.endswith("_cny") and c not in head]
    return table.reindex(columns=head + costs)


def _min_emissions(scenario: Scenario, solve_kwargs: dict[str, Any]) -> float:
    """Least emissions from grid power over the scenario's feasible set [tCO2/yr]."""
    model = build(scenario)
    extra = solve_kwargs.get("extra")
    if extra is not None:  # user constraints shape the feasible set of every point
        extra(model)
    model.problem.setObjective(pulp.LpAffineExpression(emission_terms(model)))
    # options of siting.solve that solve_model does not take (method, tol, extra) do not apply here
    accepted = inspect.signature(solve_model).parameters
    status = solve_model(model, **{k: v for k, v in solve_kwargs.items() if k in accepted and k != "model"})
    if status != Status.OPTIMAL:
        raise InfeasibleError(f"scenario {scenario.name!r}: minimising emissions ended with status {status}")
    return float(model.problem.objective.value() or 0.0)


# ---------------------------------------------------------------- sensitivity
@dataclass(frozen=True)
class Sensitivity:
    """One-at-a-time changes around a base solve, and its marginal values.

    Attributes
    ----------
    base : pandas.Series
        Summary of the base solve (:attr:`siting.Result.summary`).
    table : pandas.DataFrame
        One row per parameter and side: ``parameter``, ``side``
        (``"low"``/``"high"``), ``factor`` (1 ∓ change [-]), ``value`` (the
        value solved, in the parameter's unit), ``status``, ``error`` and
        the summary outputs, as in :func:`sweep`.
    duals : pandas.DataFrame
        Marginal values of the base solve in user units: ``kind``, ``key``,
        ``value``, ``unit``, ``method``. Rows of
        :attr:`siting.Result.duals` (demand: CNY per MW-yr by origin and
        class; binding policies; site capacity), ``latency`` rows (CNY/yr
        per ms of each class's RTT limit, by finite difference of ±1 ms)
        and, when the scenario sets no green-share target, the cost of one
        more percentage point of green share (forward difference).
    """

    base: pd.Series
    table: pd.DataFrame
    duals: pd.DataFrame


def _base_value(scenario: Scenario, name: str) -> float:
    if name in _SCALES:
        return 1.0
    if name.startswith("rtt_max_ms_"):
        w = name.removeprefix("rtt_max_ms_")
        if w not in scenario.workloads.index:
            raise InputError(f"{name}: unknown workload class {w!r}; classes are {list(scenario.workloads.index)}")
        limit = float(scenario.workloads.at[w, "rtt_max_ms"])
        if np.isnan(limit):
            raise InputError(f"{name}: class {w!r} has no RTT limit to vary")
        return limit
    value = scenario.parameters.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(
            f"sensitivity: {name!r} is not a numeric scenario parameter; use a scalar field, "
            f"rtt_max_ms_<workload> or one of {list(_SCALES)}"
        )
    return float(value)


def sensitivity(
    scenario: Scenario,
    parameters: Sequence[str] = SENSITIVITY_PARAMETERS,
    change: float = 0.2,
    executor: Executor | str | None = None,
    *,
    progress: bool | None = None,
    **solve_kwargs: Any,
) -> Sensitivity:
    """One-at-a-time sensitivity (tornado) and marginal values of a scenario.

    Each parameter is multiplied by ``1 - change`` and ``1 + change`` in
    turn, the others held at their base values. The scale shortcuts
    (``electricity_price_scale``, ``grid_ef_scale``, ``capex_scale``,
    ``demand_scale``) start from 1; ``rtt_max_ms_<class>`` from the class's
    limit [ms]; a scalar field (``carbon_price_cny_per_t``, ...) from its
    value (a parameter at 0 stays at 0).

    The base is solved in the calling process (its duals are needed), the
    other runs on the executor: two per parameter, two per class with an
    RTT limit (limit ±1 ms) and, when ``green_share_min`` is unset, one at
    one percentage point above the base green share.

    Parameters
    ----------
    scenario : Scenario
        The base scenario.
    parameters : sequence of str
        What to vary; default :data:`SENSITIVITY_PARAMETERS`.
    change : float
        Relative change on each side [-], in (0, 1).
    executor, progress, **solve_kwargs
        As for :func:`sweep`.

    Returns
    -------
    Sensitivity

    Raises
    ------
    InputError
        On an unknown parameter or a change outside (0, 1).
    InfeasibleError
        If the base scenario cannot be solved.
    """
    if not 0 < change < 1:
        raise InputError(f"change must be a fraction in (0, 1), got {change!r}")
    _run.check_solve_kwargs(solve_kwargs)
    base = solve(scenario, **solve_kwargs)
    spec = []
    for name in parameters:
        value = _base_value(scenario, name)
        for side, factor in (("low", 1 - change), ("high", 1 + change)):
            spec.append({"parameter": name, "side": side, "factor": factor, "value": value * factor})
    limited = scenario.workloads.index[scenario.workloads["rtt_max_ms"].notna()]
    fd = [
        {f"rtt_max_ms_{w}": float(scenario.workloads.at[w, "rtt_max_ms"]) + step}
        for w in limited
        for step in (-1.0, 1.0)
    ]
    green_step_pp = 0.0
    if scenario.green_share_min is None:
        target = min(1.0, float(base.summary["green_share"]) + 0.01)
        green_step_pp = 100.0 * (target - float(base.summary["green_share"]))
        if green_step_pp > 1e-6:
            fd.append({"green_share_min": target})
    runs = [{s["parameter"]: s["value"]} for s in spec] + fd
    outcomes = _run.execute(scenario, runs, executor, progress, solve_kwargs, "sensitivity")
    oat = _run.table(pd.DataFrame(spec), outcomes[: len(spec)], "run")
    cost = float(base.summary["cost_total_cny"])
    fd_cost = [o.summary.get("cost_total_cny", np.nan) for o in outcomes[len(spec):]]
    rows = [dict(r, method="dual of the base solve") for r in base.duals.to_dict("records")]
    for j, w in enumerate(limited):
        tighter, looser = fd_cost[2 * j], fd_cost[2 * j + 1]
        value, method = _difference(tighter, cost, looser, "ms")
        rows.append({"kind": "latency", "key": f"rtt_max_ms_{w}", "value": value,
                     "unit": "CNY/yr per ms of RTT limit", "method": method})
    if scenario.green_share_min is None and green_step_pp > 1e-6:
        rows.append({"kind": "policy", "key": "green_share_min:national",
                     "value": (fd_cost[-1] - cost) / green_step_pp, "unit": "CNY per percentage point",
                     "method": f"forward difference, +{green_step_pp:.2g} pp above the base green share"})
    return Sensitivity(base=base.summary, table=oat, duals=pd.DataFrame(rows))


def _difference(tighter: float, base: float, looser: float, unit: str) -> tuple[float, str]:
    """Cost of tightening a limit by one unit: central difference where both sides solved."""
    if np.isfinite(tighter) and np.isfinite(looser):
        return (tighter - looser) / 2.0, f"central difference, ±1 {unit}"
    if np.isfinite(tighter):
        return tighter - base, f"backward difference, -1 {unit} (+1 {unit} failed)"
    if np.isfinite(looser):
        return base - looser, f"forward difference, +1 {unit} (-1 {unit} failed)"
    return float("nan"), f"both ±1 {unit} runs failed"


# ---------------------------------------------------------------- Monte Carlo
@dataclass(frozen=True)
class MonteCarloResult:
    """Outcomes of :func:`monte_carlo`.

    Attributes
    ----------
    runs : pandas.DataFrame
        Index ``draw``: the sampled inputs, ``status``, ``error`` and the
        summary outputs, as in :func:`sweep`.
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
        return ~self.runs["status"].isin(_run.FAILED)

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
        has median 1) or ``("triangular", low, mode, high)``.
    n : int
        Number of draws (>= 1).
    seed : int
        Seed of the draws.
    executor, progress, **solve_kwargs
        As for :func:`sweep`.
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
    """
    if int(n) < 1:
        raise InputError(f"n must be >= 1 draws, got {n}")
    if not distributions:
        raise InputError("distributions: nothing to sample; give at least one name -> distribution")
    draws = _draw(distributions, int(n), np.random.default_rng(seed))
    runs = [{k: float(v) for k, v in row.items()} for row in draws.to_dict("records")]
    outcomes = _run.execute(scenario, runs, executor, progress, solve_kwargs, "monte carlo")
    table = _run.table(draws, outcomes, "draw")
    capacity = pd.DataFrame(
        [np.full(len(scenario.sites), np.nan) if o.capacity_mw is None
         else o.capacity_mw.reindex(scenario.sites.index).to_numpy() for o in outcomes],
        index=table.index,
        columns=scenario.sites.index,
    )
    info = scenario.sites[["province", "lat", "lon", "role"]].copy()
    return MonteCarloResult(runs=table, capacity_mw=capacity, sites=info, seed=seed, built_mw=built_mw)


