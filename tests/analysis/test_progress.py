"""Progress bars of the studies: silent off a terminal and with progress=False, shown on one."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from siting import analysis


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def study(name, scn, **kw):
    """Each study with as few runs as it takes, solved in this process."""
    if name == "sweep":
        return analysis.sweep(scn, {"carbon_price_cny_per_t": [0.0, 100.0]}, executor="serial", **kw)
    if name == "pareto":
        return analysis.pareto(scn, points=2, executor="serial", **kw)
    if name == "sensitivity":
        return analysis.sensitivity(scn, parameters=["capex_scale"], executor="serial", **kw)
    return analysis.monte_carlo(scn, {"capex_scale": ("uniform", 0.9, 1.1)}, n=2, seed=1, executor="serial", **kw)


STUDIES = ["sweep", "pareto", "sensitivity", "monte carlo"]


@pytest.mark.parametrize("name", STUDIES)
def test_no_output_when_stderr_is_not_a_terminal(scn, capsys, name):
    study(name, scn)  # progress=None: a bar only on a terminal; capsys is not one
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


@pytest.mark.parametrize("name", STUDIES)
def test_a_bar_on_a_terminal_and_none_with_progress_false(scn, monkeypatch, name):
    desc = "monte carlo" if name == "monte carlo" else name
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    study(name, scn)
    assert desc in terminal.getvalue() and "run" in terminal.getvalue()

    quiet = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    study(name, scn, progress=False)
    assert quiet.getvalue() == ""


def test_progress_true_shows_a_bar_even_off_a_terminal(scn, capsys):
    analysis.sweep(scn, {"carbon_price_cny_per_t": [0.0, 100.0]}, executor="serial", progress=True)
    out = capsys.readouterr()
    assert out.out == "" and "2/2" in out.err


def test_studies_log_how_many_scenarios_and_where(scn, caplog, pool):
    with caplog.at_level(logging.INFO, logger="siting"):
        analysis.sweep(scn, {"carbon_price_cny_per_t": [0.0, 50.0, 100.0]}, executor="serial", progress=False)
        analysis.sweep(scn, {"carbon_price_cny_per_t": [0.0, 100.0]}, executor=pool, progress=False)
    runs = [r.getMessage() for r in caplog.records if r.name == "siting.analysis.run"]
    assert any("sweep: 3 scenarios" in m and "this process" in m for m in runs), runs
    assert any("sweep: 2 scenarios" in m and "ProcessPoolExecutor" in m for m in runs), runs
