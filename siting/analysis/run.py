"""Running many solves for :mod:`siting.analysis`: the worker, the
executors, batching, the progress bar, Ctrl-C and the tidy table of outcomes.

The studies (:mod:`~siting.analysis.sweep`, :mod:`~siting.analysis.pareto`,
:mod:`~siting.analysis.sensitivity`, :mod:`~siting.analysis.monte_carlo`)
call :func:`leave_if_importing_main` first, turn their changes into a list of
runs, :func:`execute` them on the chosen executor and gather the outcomes
with :func:`tidy_table`. On Ctrl-C :func:`execute` cancels what has not
started, ends the default pool's workers and raises :class:`Interrupted`
with the table of the finished runs, which the study builds (``partial``)."""

from __future__ import annotations

import functools
import inspect
import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from siting.errors import InfeasibleError, InputError
from siting.model.solve import solve
from siting.scenario import Scenario

log = logging.getLogger(__name__)

# national policy rows of Result.duals -> output column
SHADOW_COLUMNS = {
    "green_share_min:national": "shadow_green_share_cny_per_pp",
    "west_share_min:national": "shadow_west_share_cny_per_pp",
    "water_m3_max:national": "shadow_water_cny_per_m3",
    "emissions_t_max:national": "shadow_emissions_cny_per_t",
}
FAILED = ("infeasible", "error")
# how long the default pool's workers get to exit after SIGTERM, then after SIGKILL, and
# its manager thread to wind up [s]: at most 1.5 s from Ctrl-C to return
TERMINATE_WAIT_S = 0.5
KILL_WAIT_S = 0.5


class Outcome(NamedTuple):
    """What one run sends back: only plain, picklable data."""

    status: str
    summary: dict[str, float]
    capacity_mw: pd.Series | None
    error: str | None


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) while a study's runs were being solved.

    A :class:`KeyboardInterrupt`, so that it stops the calling script (and
    ``except Exception`` does not swallow it), carrying the runs that had
    finished. Runs not started were cancelled; the default pool's workers
    were terminated.

    Attributes
    ----------
    table : pandas.DataFrame
        The study's table of runs (what :func:`~siting.analysis.sweep` and
        :func:`~siting.analysis.pareto` return, ``Sensitivity.table``,
        ``MonteCarloResult.runs``) with only the rows of the finished runs,
        under their own index labels.
    finished : int
        Number of runs that had finished (in a sensitivity this includes the
        finite-difference runs, which have no row in ``table``).
    total : int
        Number of runs the study had to solve.
    """

    def __init__(self, study: str, table: pd.DataFrame, finished: int, total: int) -> None:
        self.table = table
        self.finished = finished
        self.total = total
        super().__init__(
            f"{study} interrupted: {finished} of {total} runs finished, {total - finished} cancelled; "
            "the finished runs are in this exception's .table"
        )

    @property
    def cancelled(self) -> int:
        """Number of runs cancelled or cut short."""
        return self.total - self.finished


class _PoolCannotStart(Exception):
    """A process pool that could not be given the runs (``stage="send"``) or
    lost its workers before any came back (``stage="start"``)."""

    def __init__(self, stage: str, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.stage = stage


#: Builds a study's table from the positions (in ``runs``) of the finished
#: runs and their outcomes; what :class:`Interrupted` carries.
Partial = Callable[[list[int], list[Outcome]], pd.DataFrame]


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


def solve_batch(batch: list[dict[str, Any]], scenario: Scenario, solve_kwargs: dict[str, Any]) -> list[Outcome]:
    """:func:`solve_run` for several runs: the scenario crosses to the worker once per batch."""
    return [solve_run(scenario, changes, solve_kwargs) for changes in batch]


def _solve_pickled(blob: bytes, batch: list[dict[str, Any]]) -> list[Outcome]:
    """:func:`solve_batch` on ``(scenario, solve_kwargs)`` pickled once by the caller: a task of the default pool.

    The caller pickles the scenario once rather than once per task, and each
    task unpickles it (a few ms), so that the pool can take one run per task.
    """
    scenario, solve_kwargs = pickle.loads(blob)
    return solve_batch(batch, scenario, solve_kwargs)


def _ignore_sigint() -> None:
    """Initializer of the default pool's workers: Ctrl-C is the calling process's to handle.

    A terminal sends SIGINT to every process of its foreground group; idle
    workers would die with a traceback each. The calling process ends them.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def batches(n: int, workers: int) -> list[range]:
    """Split ``n`` runs into about four batches per worker, in order.

    For a given executor, which ships the scenario (several MB of hourly
    profiles) with every task: once per batch rather than once per run is
    what makes small solves worth sending to other processes. The default
    pool takes one run per task (:func:`_solve_pickled`).
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
    """A tqdm bar on stderr: ``None`` only on a terminal (or a notebook's widget), ``True`` always, ``False`` none."""
    if progress is False:
        return _NoBar()
    try:  # a core dependency; a broken install still solves, without a bar
        from tqdm.auto import tqdm
    except ImportError:
        return _NoBar()
    # progress=None: tqdm's own rule, a bar only on a terminal
    return tqdm(total=total, desc=desc, unit="run", disable=None if progress is None else False)


def leave_if_importing_main() -> None:
    """End this process quietly if it is a pool worker importing the main script.

    A worker started by ``"forkserver"`` or ``"spawn"`` imports the main
    script again (with multiprocessing's ``_inheriting`` flag set) so that
    functions defined there unpickle. A study reached during that import
    means the script has no ``if __name__ == "__main__":`` guard: going on
    would repeat the study in every worker, and starting a pool from there
    fails with a traceback. The worker exits instead (status 1, no output);
    the calling process sees its pool broken and :func:`execute` solves the
    runs in-process with a :class:`RuntimeWarning` that says how to fix it.
    """
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise SystemExit(1)


def _default_pool(runs: int) -> ProcessPoolExecutor:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=min(os.cpu_count() or 1, runs),
        mp_context=multiprocessing.get_context(method),
        initializer=_ignore_sigint,
    )


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel the queued runs and end the pool's workers now, busy or not.

    ``shutdown(wait=False, cancel_futures=True)`` alone lets running tasks
    finish in the background; the workers are sent SIGTERM (SIGKILL after
    :data:`TERMINATE_WAIT_S`) and reaped, so none outlives the call, and the
    pool's manager thread, which then finds them gone, is given
    :data:`KILL_WAIT_S` to wind up.
    """
    # the executor has no public handle on its processes or its thread; both are None after shutdown
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for stop, wait_s in (("terminate", TERMINATE_WAIT_S), ("kill", KILL_WAIT_S)):  # SIGTERM, then SIGKILL
        for process in processes:  # signal every worker before waiting for any
            if process.exitcode is None:
                getattr(process, stop)()
        deadline = time.monotonic() + wait_s
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
    if manager is not None:
        manager.join(KILL_WAIT_S)


def _no_pool_message(desc: str, runs: int, exc: _PoolCannotStart) -> str:
    """Why the process pool was given up, and how to get it back."""
    head = f"{desc}: solving the {runs} runs in this process, one after the other, instead of a process pool: "
    if exc.stage == "send":
        return head + (
            f"the scenario and solver options cannot be pickled for its workers ({exc}). Options that are "
            "functions (`extra`) must be defined at module level, not as a lambda or inside a function."
        )
    script = getattr(sys.modules.get("__main__"), "__file__", None)
    return head + (
        f"its workers exited before solving anything ({exc}). The usual cause is a study started at "
        "import, without an `if __name__ == \"__main__\":` guard: each worker imports "
        f"{'the script ' + script if script else 'the main module'} again and stops at the study. Put the "
        "script's top-level code under `if __name__ == \"__main__\":` to solve on all CPUs."
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
    partial: Partial,
) -> list[Outcome]:
    """Solve every run on the executor; outcomes in the order of ``runs``.

    A process pool that cannot start (its workers exit before any run comes
    back, or the scenario and options do not pickle) is replaced by solving
    in this process, with a :class:`RuntimeWarning` that says why.

    Raises
    ------
    InputError
        On a scenario, executor or solver option that is malformed.
    Interrupted
        On Ctrl-C: runs not yet started are cancelled (the pending futures
        of a given executor, which is left running), the default pool's
        workers are terminated, and the table ``partial`` builds from the
        finished runs is attached.
    """
    if not isinstance(scenario, Scenario):
        raise InputError(f"expected a Scenario, got {type(scenario).__name__}")
    if executor is not None and executor != "serial" and not isinstance(executor, Executor):
        raise InputError(
            f"executor was {executor!r} but is expected to be None, 'serial' or a concurrent.futures.Executor "
            "(e.g. ProcessPoolExecutor(2) or a Dask client's client.get_executor())"
        )
    check_solve_kwargs(solve_kwargs)
    log.info("%s: %d scenario%s of %r on %s", desc, len(runs), "" if len(runs) == 1 else "s", scenario.name,
             _where(executor, len(runs)))
    outcomes: list[Outcome | None] = [None] * len(runs)
    bar = _bar(len(runs), progress, desc)
    try:
        if executor == "serial" or (executor is None and len(runs) <= 1):
            _serial(scenario, runs, solve_kwargs, outcomes, bar)
        else:
            try:
                if executor is None:
                    _on_default_pool(scenario, runs, solve_kwargs, outcomes, bar)
                else:
                    task = functools.partial(solve_batch, scenario=scenario, solve_kwargs=solve_kwargs)
                    parts = batches(len(runs), getattr(executor, "_max_workers", None) or os.cpu_count() or 1)
                    _gather(executor, task, runs, parts, outcomes, bar)
            except _PoolCannotStart as exc:
                warnings.warn(_no_pool_message(desc, len(runs), exc), RuntimeWarning, stacklevel=3)
                _serial(scenario, runs, solve_kwargs, outcomes, bar)
    except KeyboardInterrupt:
        done = [i for i, outcome in enumerate(outcomes) if outcome is not None]
        table = partial(done, [outcome for outcome in outcomes if outcome is not None])
        raise Interrupted(desc, table, len(done), len(runs)) from None
    finally:
        bar.close()
    return outcomes  # type: ignore[return-value]


def _where(executor: Executor | str | None, runs: int) -> str:
    """Where :func:`execute` solves the runs, in words (for the log)."""
    if executor == "serial" or (executor is None and runs <= 1):
        return "this process, one after the other"
    if executor is None:
        return f"a local process pool of {min(os.cpu_count() or 1, runs)} workers"
    workers = getattr(executor, "_max_workers", None)
    return f"the given {type(executor).__name__}" + (f" ({workers} workers)" if workers else "")


def _serial(
    scenario: Scenario, runs: list[dict[str, Any]], solve_kwargs: dict[str, Any], outcomes: list[Outcome | None],
    bar: Any,
) -> None:
    """Solve the runs in this process, filling ``outcomes`` as they finish."""
    for i, changes in enumerate(runs):
        outcomes[i] = solve_run(scenario, changes, solve_kwargs)
        bar.update()


def _on_default_pool(
    scenario: Scenario, runs: list[dict[str, Any]], solve_kwargs: dict[str, Any], outcomes: list[Outcome | None],
    bar: Any,
) -> None:
    """One run per task on a pool of this call's own; on any exit but success its workers end at once."""
    try:
        blob = pickle.dumps((scenario, solve_kwargs), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an option that does not pickle: a lambda, a local function, ...
        raise _PoolCannotStart("send", exc) from exc
    pool = _default_pool(len(runs))
    try:
        task = functools.partial(_solve_pickled, blob)
        _gather(pool, task, runs, [range(i, i + 1) for i in range(len(runs))], outcomes, bar)
    except BaseException:  # Ctrl-C, a pool that cannot start: nothing left worth waiting for
        _stop_pool(pool)
        raise
    pool.shutdown()


def _gather(
    executor: Executor,
    task: Callable[[list[dict[str, Any]]], list[Outcome]],
    runs: list[dict[str, Any]],
    parts: list[range],
    outcomes: list[Outcome | None],
    bar: Any,
) -> None:
    """Submit ``task`` for each part of the runs; fill ``outcomes`` as parts come back.

    A lost part (a dead worker) becomes error outcomes. A process pool whose
    workers cannot be created, or are lost before any part came back,
    raises :class:`_PoolCannotStart`. On Ctrl-C the parts not
    started are cancelled and those done are kept in ``outcomes``.
    """
    is_pool = isinstance(executor, ProcessPoolExecutor)
    futures: dict[Future[list[Outcome]], range] = {}
    started = False
    try:
        try:
            for part in parts:
                futures[executor.submit(task, [runs[i] for i in part])] = part
        except (BrokenProcessPool, EOFError, OSError) as exc:  # a worker that could not be created
            if is_pool:
                raise _PoolCannotStart("start", exc) from exc
            raise
        for future in as_completed(futures):
            part = futures[future]
            try:
                done = future.result()
            except BrokenProcessPool as exc:
                if is_pool and not started:
                    raise _PoolCannotStart("start", exc) from exc
                done = [Outcome("error", {}, None, f"{type(exc).__name__}: {exc}")] * len(part)
            except Exception as exc:  # the worker itself was lost (a dead Dask worker, ...)
                done = [Outcome("error", {}, None, f"{type(exc).__name__}: {exc}")] * len(part)
            else:
                started = True
            for i, outcome in zip(part, done):
                outcomes[i] = outcome
            bar.update(len(part))
    except KeyboardInterrupt:
        for future, part in futures.items():
            if future.cancel() or not future.done() or future.exception() is not None:
                continue
            for i, outcome in zip(part, future.result()):  # done, not yet taken by the loop
                outcomes[i] = outcome
        raise


def tidy_table(inputs: pd.DataFrame, outcomes: list[Outcome], index_name: str) -> pd.DataFrame:
    """Inputs, ``status``, ``error`` and summary outputs, one row per run.

    Rows keep the index labels of ``inputs`` (a table of some runs, as
    :class:`Interrupted` carries, keeps theirs). An output whose name is also an input column (``rtt_max_ms_<class>``:
    the RTT limit given versus the largest RTT served) is prefixed
    ``result_``.
    """
    n = len(outcomes)
    outputs = pd.DataFrame.from_records([o.summary for o in outcomes], index=inputs.index)
    outputs = outputs.rename(columns={c: f"result_{c}" for c in outputs.columns if c in inputs.columns})
    state = pd.DataFrame(
        {"status": [o.status for o in outcomes], "error": [np.nan if o.error is None else o.error for o in outcomes]},
        index=inputs.index,
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


