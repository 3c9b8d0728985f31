"""Running many solves for :mod:`siting.analysis`: the worker, the
executors, batching, the progress bar and the tidy table of outcomes.

The studies (:mod:`~siting.analysis.sweep`, :mod:`~siting.analysis.pareto`,
:mod:`~siting.analysis.sensitivity`, :mod:`~siting.analysis.monte_carlo`)
turn their changes into a list of runs, :func:`execute` them on the chosen
executor and gather the outcomes with :func:`tidy_table`."""

from __future__ import annotations

import inspect
import itertools
import multiprocessing
import os
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from siting.errors import InfeasibleError, InputError
from siting.model.solve import solve
from siting.scenario import Scenario

# national policy rows of Result.duals -> output column
SHADOW_COLUMNS = {
    "green_share_min:national": "shadow_green_share_cny_per_pp",
    "west_share_min:national": "shadow_west_share_cny_per_pp",
    "water_m3_max:national": "shadow_water_cny_per_m3",
    "emissions_t_max:national": "shadow_emissions_cny_per_t",
}
FAILED = ("infeasible", "error")


class Outcome(NamedTuple):
    """What one run sends back: only plain, picklable data."""

    status: str
    summary: dict[str, float]
    capacity_mw: pd.Series | None
    error: str | None


def solve_run(scenario: Scenario, changes: dict[str, Any], solve_kwargs: dict[str, Any]) -> Outcome:
    """Solve ``scenario.replace(**changes)``; never raises for a bad run.

    Module-level so that it pickles by reference to any worker.

    Returns
    -------
    Outcome
        ``status`` (``"optimal"``, ``"time_limit"``, ``"infeasible"`` or
        ``"error"``), the result summary plus the national policy shadow
        prices (:data:`SHADOW_COLUMNS`), the IT capacity built per site
        [MW] and the error message (None when solved).
    """
    try:
        with warnings.catch_warnings():
            # a time limit is reported in `status`, the same on every executor
            warnings.filterwarnings("ignore", message=".*time limit", category=RuntimeWarning)
            result = solve(scenario.replace(**changes) if changes else scenario, **solve_kwargs)
    except InfeasibleError as exc:
        return Outcome("infeasible", {}, None, str(exc))
    except Exception as exc:  # one bad run (invalid input, solver failure) must not end the batch
        return Outcome("error", {}, None, f"{type(exc).__name__}: {exc}")
    summary = result.summary.to_dict()
    duals = result.duals
    policy = duals[duals["kind"] == "policy"].set_index("key")["value"]
    summary.update({col: float(policy[key]) for key, col in SHADOW_COLUMNS.items() if key in policy.index})
    return Outcome(result.status, summary, result.sites["it_capacity_mw"].copy(), None)


def solve_batch(scenario: Scenario, batch: list[dict[str, Any]], solve_kwargs: dict[str, Any]) -> list[Outcome]:
    """:func:`solve_run` for several runs: the scenario crosses to the worker once per batch."""
    return [solve_run(scenario, changes, solve_kwargs) for changes in batch]


def batches(n: int, workers: int) -> list[range]:
    """Split ``n`` runs into about four batches per worker, in order.

    Shipping the scenario (several MB of hourly profiles) once per batch
    rather than once per run is what makes small solves worth sending to
    other processes.
    """
    size = max(1, -(-n // (4 * max(workers, 1))))
    return [range(i, min(i + size, n)) for i in range(0, n, size)]


class _NoBar:
    """Stands in for a tqdm bar when there is none."""

    def update(self, n: int = 1) -> None:
        """Ignore progress."""

    def close(self) -> None:
        """Nothing to close."""


def _bar(total: int, progress: bool | None, desc: str) -> Any:
    if progress is False:
        return _NoBar()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _NoBar()
    # progress=None: tqdm's own rule, a bar only on a terminal
    return tqdm(total=total, desc=desc, unit="run", disable=None if progress is None else False)


def _default_pool(runs: int) -> ProcessPoolExecutor:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=min(os.cpu_count() or 1, runs), mp_context=multiprocessing.get_context(method)
    )


def check_solve_kwargs(solve_kwargs: dict[str, Any]) -> None:
    """Raise :class:`~siting.errors.InputError` unless ``solve_kwargs`` are options of :func:`siting.solve`."""
    try:
        inspect.signature(solve).bind(None, **solve_kwargs)
    except TypeError as exc:
        options = [p for p in inspect.signature(solve).parameters if p != "scenario"]
        raise InputError(f"solver options: {exc}; valid options are {options}") from exc


def execute(
    scenario: Scenario,
    runs: list[dict[str, Any]],
    executor: Executor | str | None,
    progress: bool | None,
    solve_kwargs: dict[str, Any],
    desc: str,
) -> list[Outcome]:
    """Solve every run on the executor; outcomes in the order of ``runs``."""
    if not isinstance(scenario, Scenario):
        raise InputError(f"expected a Scenario, got {type(scenario).__name__}")
    if executor is not None and executor != "serial" and not isinstance(executor, Executor):
        raise InputError(
            f"executor was {executor!r} but is expected to be None, 'serial' or a concurrent.futures.Executor "
            "(e.g. ProcessPoolExecutor(2) or a Dask client's client.get_executor())"
        )
    check_solve_kwargs(solve_kwargs)
    bar = _bar(len(runs), progress, desc)
    try:
        if executor == "serial" or (executor is None and len(runs) <= 1):
            outcomes = []
            for changes in runs:
                outcomes.append(solve_run(scenario, changes, solve_kwargs))
                bar.update()
            return outcomes
        if executor is None:
            with _default_pool(len(runs)) as pool:
                return _gather(pool, scenario, runs, solve_kwargs, bar)
        return _gather(executor, scenario, runs, solve_kwargs, bar)
    finally:
        bar.close()


def _gather(
    executor: Executor, scenario: Scenario, runs: list[dict[str, Any]], solve_kwargs: dict[str, Any], bar: Any
) -> list[Outcome]:
    workers = getattr(executor, "_max_workers", None) or os.cpu_count() or 1
    futures = {
        executor.submit(solve_batch, scenario, [runs[i] for i in part], solve_kwargs): part
        for part in batches(len(runs), workers)
    }
    outcomes: list[Outcome | None] = [None] * len(runs)
    for future in as_completed(futures):
        part = futures[future]
        try:
            done = future.result()
        except Exception as exc:  # the worker itself was lost (BrokenProcessPool, a dead Dask worker)
            done = [Outcome("error", {}, None, f"{type(exc).__name__}: {exc}")] * len(part)
        for i, outcome in zip(part, done):
            outcomes[i] = outcome
        bar.update(len(part))
    return outcomes  # type: ignore[return-value]


def tidy_table(inputs: pd.DataFrame, outcomes: list[Outcome], index_name: str) -> pd.DataFrame:
    """Inputs, ``status``, ``error`` and summary outputs, one row per run.

    An output whose name is also an input column (``rtt_max_ms_<class>``:
    the RTT limit given versus the largest RTT served) is prefixed
    ``result_``.
    """
    n = len(outcomes)
    inputs = inputs.reset_index(drop=True)
    outputs = pd.DataFrame.from_records([o.summary for o in outcomes], index=range(n))
    outputs = outputs.rename(columns={c: f"result_{c}" for c in outputs.columns if c in inputs.columns})
    state = pd.DataFrame(
        {"status": [o.status for o in outcomes], "error": [np.nan if o.error is None else o.error for o in outcomes]}
    )
    table = pd.concat([inputs, state, outputs], axis=1)
    table.index.name = index_name
    failed = table[table["status"].isin(FAILED)]
    if len(failed):
        first = failed.iloc[0]
        params = {c: first[c].item() if isinstance(first[c], np.generic) else first[c] for c in inputs.columns}
        message = " ".join(str(first["error"]).split())
        warnings.warn(
            f"{len(failed)} of {n} runs failed (see the 'status' and 'error' columns); the first, "
            f"{index_name} {failed.index[0]} with {params}: {message[:300]}",
            RuntimeWarning,
            stacklevel=3,
        )
    return table


def runs_from_changes(changes: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One dict of changes per run: the cartesian product of a grid (first name slowest) or the list as given."""
    if isinstance(changes, Mapping):
        for name, values in changes.items():
            if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, (Sequence, np.ndarray, pd.Series)):
                raise InputError(
                    f"changes[{name!r}]: expected a list of values to sweep, got {values!r}; "
                    f"write {{{name!r}: [{values!r}]}} for a single value"
                )
        names = list(changes)
        return [dict(zip(names, combo)) for combo in itertools.product(*(list(changes[k]) for k in names))]
    if isinstance(changes, (str, bytes)) or not isinstance(changes, Sequence):
        raise InputError("changes: expected a dict name -> list of values (a grid) or a list of dicts (runs)")
    runs = []
    for i, run in enumerate(changes):
        if not isinstance(run, Mapping):
            raise InputError(f"changes[{i}]: expected a dict of scenario changes, got {run!r}")
        runs.append(dict(run))
    return runs


