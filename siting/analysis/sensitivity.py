"""One-at-a-time sensitivity (tornado) around a base solve, and its
marginal values in user units."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from siting.analysis.run import Outcome, check_solve_kwargs, execute, leave_if_importing_main, tidy_table
from siting.errors import InputError
from siting.model.solve import solve
from siting.scenario import Scenario

__all__ = ["SENSITIVITY_PARAMETERS", "Sensitivity", "sensitivity"]

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

# scale shortcuts of Scenario.replace; their base value is 1
_SCALES = ("demand_scale", "electricity_price_scale", "grid_ef_scale", "capex_scale")


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
        the summary outputs, as in :func:`~siting.analysis.sweep`.
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
        As for :func:`~siting.analysis.sweep`.

    Returns
    -------
    Sensitivity

    Raises
    ------
    InputError
        On an unknown parameter or a change outside (0, 1).
    InfeasibleError
        If the base scenario cannot be solved.
    Interrupted
        On Ctrl-C while the runs are solved (a :class:`KeyboardInterrupt`):
        runs not started are cancelled and the default pool's workers
        terminated; its ``table`` holds the finished rows of
        ``Sensitivity.table`` (no marginal values). See :mod:`siting.analysis`.
    """
    leave_if_importing_main()
    if not 0 < change < 1:
        raise InputError(f"change must be a fraction in (0, 1), got {change!r}")
    check_solve_kwargs(solve_kwargs)
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
    inputs = pd.DataFrame(spec)

    def partial(done: list[int], finished: list[Outcome]) -> pd.DataFrame:
        rows = [k for k, i in enumerate(done) if i < len(spec)]  # one-at-a-time runs, not differences
        return tidy_table(inputs.iloc[[done[k] for k in rows]], [finished[k] for k in rows], "run")

    outcomes = execute(scenario, runs, executor, progress, solve_kwargs, "sensitivity", partial)
    oat = tidy_table(inputs, outcomes[: len(spec)], "run")
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
