"""Running many solves: same tables on every executor, failures reported
per run, tidy outputs, quiet when asked."""

from __future__ import annotations

import pandas as pd
import pytest

from siting import analysis


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
    default = analysis.sweep(scn, runs, progress=False)
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
    assert "InputError" in table.loc[2, "error"] and "negative" in table.loc[2, "error"]
    assert "no_such_field" in table.loc[3, "error"]
    assert table.loc[[1, 2, 3], "cost_total_cny"].isna().all()
    assert table.loc[[0, 4], "error"].isna().all()
    assert table.loc[4, "cost_total_cny"] > table.loc[0, "cost_total_cny"]


def test_progress_false_prints_nothing(scn, capsys):
    analysis.sweep(scn, {"carbon_price_cny_per_t": [0.0, 100.0]}, executor="serial", progress=False)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
