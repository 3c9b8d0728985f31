"""Running many solves: same tables on every executor, failures reported
per run (a lost batch with its parameters), tidy outputs, quiet when asked,
Ctrl-C with the finished runs attached, a pool that cannot start replaced.

Signals, scripts and clusters in other processes: test_run_processes.py."""

from __future__ import annotations

import warnings
from concurrent.futures import Executor, Future

import pandas as pd
import pytest

from siting import analysis
from siting.analysis.run import Interrupted


def test_sweep_renames_outputs_that_shadow_inputs(scn):
    table = analysis.sweep(scn, [{"rtt_max_ms_interactive": 25.0}], executor="serial", progress=False)
    assert table.loc[0, "rtt_max_ms_interactive"] == 25.0
    assert table.loc[0, "result_rtt_max_ms_interactive"] <= 25.0 + 1e-9


def test_sweep_identical_on_every_executor(scn, executor):
    runs = [{"carbon_price_cny_per_t": p, "electricity_price_scale": s} for p, s in
            [(0.0, 1.0), (200.0, 1.0), (0.0, 1.3), (400.0, 0.8)]]
    serial = analysis.sweep(scn, runs, executor="serial", progress=False)
    parallel = analysis.sweep(scn, runs, executor=executor, progress=False)
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)


def test_default_executor_is_a_working_process_pool(scn):
    runs = {"carbon_price_cny_per_t": [0.0, 250.0]}
    serial = analysis.sweep(scn, runs, executor="serial", progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # the pool started: no fallback
        default = analysis.sweep(scn, runs, progress=False)
    pd.testing.assert_frame_equal(serial, default, check_exact=True)


def test_options_that_do_not_pickle_are_solved_in_process(scn):
    runs = {"carbon_price_cny_per_t": [0.0, 250.0]}
    serial = analysis.sweep(scn, runs, executor="serial", progress=False)
    with pytest.warns(RuntimeWarning, match=r"cannot be pickled.*module level"):
        default = analysis.sweep(scn, runs, progress=False, extra=lambda model: None)
    pd.testing.assert_frame_equal(serial, default, check_exact=True)


@pytest.mark.parametrize("where", ["serial", "pool"])
def test_failed_runs_are_reported_and_others_kept(scn, pool, where):
    runs = [
        {"carbon_price_cny_per_t": 100.0},
        {"rtt_max_ms_interactive": 0.5},  # no site within 0.5 ms: infeasible
        {"demand_scale": -1.0},  # negative demand: invalid input
        {"no_such_field": 1.0},
        {"carbon_price_cny_per_t": 200.0},
    ]
    with pytest.warns(RuntimeWarning, match="3 of 5 runs failed"):
        table = analysis.sweep(scn, runs, executor="serial" if where == "serial" else pool, progress=False)
    assert table["status"].tolist() == ["optimal", "infeasible", "error", "error", "optimal"]
    assert table.loc[1, "rtt_max_ms_interactive"] == 0.5
    assert "RTT limit" in table.loc[1, "error"]
    assert all(word in table.loc[2, "error"] for word in ("InputError", "demand_scale", "-1"))
    assert "no_such_field" in table.loc[3, "error"]
    assert table.loc[[1, 2, 3], "cost_total_cny"].isna().all()
    assert table.loc[[0, 4], "error"].isna().all()
    assert table.loc[4, "cost_total_cny"] > table.loc[0, "cost_total_cny"]


def test_progress_false_prints_nothing(scn, capsys):
    analysis.sweep(scn, {"carbon_price_cny_per_t": [0.0, 100.0]}, executor="serial", progress=False)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


class LosesOneBatch(Executor):
    """Runs batches inline, except that the second comes back as from a lost worker."""

    _max_workers = 1  # batches of two runs for six runs

    def __init__(self) -> None:
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        self.submitted += 1
        if self.submitted == 2:
            future.set_exception(RuntimeError("worker tcp://127.0.0.1:1234 lost"))
        else:
            future.set_result(fn(*args, **kwargs))
        return future


def test_a_lost_batch_is_reported_with_its_parameters(scn):
    runs = [{"carbon_price_cny_per_t": 50.0 * i} for i in range(6)]
    with pytest.warns(RuntimeWarning, match=r"2 of 6 runs failed.*run 2 with \{'carbon_price_cny_per_t': 100.0\}"):
        table = analysis.sweep(scn, runs, executor=LosesOneBatch(), progress=False)
    assert table["status"].tolist() == ["optimal"] * 2 + ["error"] * 2 + ["optimal"] * 2
    assert table.loc[[2, 3], "carbon_price_cny_per_t"].tolist() == [100.0, 150.0]
    assert (table.loc[[2, 3], "error"] == "RuntimeError: worker tcp://127.0.0.1:1234 lost").all()


class CtrlCAfter:
    """An ``extra`` that raises KeyboardInterrupt, as Ctrl-C would, at its ``n + 1``-th call."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __call__(self, model) -> None:
        self.n -= 1
        if self.n < 0:
            raise KeyboardInterrupt


DISTRIBUTIONS = {"demand_scale": ("uniform", 0.8, 1.2)}


@pytest.mark.parametrize(
    "study, in_process, table_of",
    [
        (lambda scn, **kw: analysis.sweep(scn, {"carbon_price_cny_per_t": [0.0, 100.0, 200.0, 300.0]}, **kw),
         0, lambda result: result),
        # the two ends of the front are solved before the points
        (lambda scn, **kw: analysis.pareto(scn, points=4, **kw), 2, lambda result: result),
        (lambda scn, **kw: analysis.sensitivity(scn, parameters=["capex_scale", "demand_scale"], **kw), 1,
         lambda result: result.table),
        (lambda scn, **kw: analysis.monte_carlo(scn, DISTRIBUTIONS, n=4, seed=2, **kw), 0,
         lambda result: result.runs),
    ],
    ids=["sweep", "pareto", "sensitivity", "monte_carlo"],
)
def test_ctrl_c_raises_interrupted_with_the_finished_runs(scn, study, in_process, table_of):
    full = table_of(study(scn, executor="serial", progress=False))
    with pytest.raises(Interrupted) as caught:
        study(scn, executor="serial", progress=False, extra=CtrlCAfter(in_process + 2))
    stop = caught.value
    assert isinstance(stop, KeyboardInterrupt) and not isinstance(stop, Exception)  # stops a script
    assert (stop.finished, stop.cancelled) == (2, stop.total - 2)
    assert f"2 of {stop.total} runs finished" in str(stop)
    pd.testing.assert_frame_equal(stop.table, full.iloc[:2], check_exact=True)
