"""Sweeps: a grid or a list of changes to one scenario, one row per run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

import pandas as pd

from siting.analysis.run import execute, leave_if_importing_main, runs_from_changes, tidy_table
from siting.errors import InputError
from siting.scenario import Scenario

__all__ = ["sweep"]


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
        Where the runs are solved (see :mod:`siting.analysis`). Default: a
        local process pool.
    progress : bool, optional
        Progress bar of the runs on stderr (tqdm). ``None`` (default): only
        when stderr is a terminal (in a notebook, a widget), so that logs
        and CI output stay clean; ``True``: always; ``False``: never prints.
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
    Interrupted
        On Ctrl-C while the runs are solved (a :class:`KeyboardInterrupt`):
        runs not started are cancelled and the default pool's workers
        terminated; its ``table`` holds the rows of the finished runs. See
        :mod:`siting.analysis`.

    Examples
    --------
    >>> table = sweep(scn, {"carbon_price_cny_per_t": [0, 100, 200],
    ...                     "demand_scale": [1.0, 2.0]})       # doctest: +SKIP
    """
    leave_if_importing_main()
    runs = runs_from_changes(changes)
    if not runs:
        raise InputError("changes: no runs to solve")
    inputs = pd.DataFrame.from_records(runs, index=range(len(runs)))
    outcomes = execute(scenario, runs, executor, progress, solve_kwargs, "sweep",
                       lambda done, finished: tidy_table(inputs.iloc[done], finished, "run"))
    return tidy_table(inputs, outcomes, "run")
