"""The library logs to "siting" (silent unless configured); `siting -v/-vv/-q` sets what reaches stderr."""

from __future__ import annotations

import logging

import pytest

import siting
from siting.cli import main


def test_the_library_logger_has_a_null_handler_and_no_output_by_default():
    logger = logging.getLogger("siting")
    assert any(isinstance(h, logging.NullHandler) for h in logger.handlers)
    assert not any(type(h) is logging.StreamHandler for h in logger.handlers)


@pytest.mark.parametrize("kw, method", [(dict(resolution="days", representative_days=2), "benders"),
                                        (dict(resolution="average"), "direct")])
def test_solve_logs_scenario_method_size_status_and_times(caplog, kw, method):
    with caplog.at_level(logging.INFO, logger="siting"):
        siting.solve(siting.Scenario.preset("east-only", **kw))
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "siting.model.solve")
    assert "'east-only'" in text and f"method {method}" in text
    assert "variables" in text and "constraints" in text and "nonzeros" in text
    assert "status optimal" in text and " s" in text
    assert ("iterations" in text) == (method == "benders")
    assert all(r.levelno == logging.INFO for r in caplog.records if r.name == "siting.model.solve")


def test_solve_logs_nothing_at_warning_level(caplog):
    with caplog.at_level(logging.WARNING, logger="siting"):
        siting.solve(siting.Scenario.preset("east-only", resolution="average"))
    assert not [r for r in caplog.records if r.name.startswith("siting")]


def run_args(tmp_path):
    return ["run", "--preset", "east-only", "--resolution", "average", "--no-maps", "-o", str(tmp_path / "r"),
            "--overwrite"]


def test_cli_verbose_logs_to_stderr_and_quiet_or_default_does_not(tmp_path, capsys):
    assert main(["-v", *run_args(tmp_path)]) == 0
    out = capsys.readouterr()
    assert "siting: scenario 'east-only': 1 average slice, method direct" in out.err
    assert "status optimal" in out.err
    assert "total cost" in out.out  # the results still go to stdout

    assert main(run_args(tmp_path)) == 0
    out = capsys.readouterr()
    assert "method direct" not in out.err and "total cost" in out.out

    assert main(["-q", *run_args(tmp_path), "-v"]) == 0  # -q wins: warnings and errors only
    out = capsys.readouterr()
    assert out.out == "" and "method direct" not in out.err

    assert main([*run_args(tmp_path), "-v"]) == 0  # after the command too
    assert "method direct" in capsys.readouterr().err
    # the handler is removed when the command ends: nothing accumulates in the process
    assert not any(type(h) is logging.StreamHandler for h in logging.getLogger("siting").handlers)


def test_cli_vv_shows_debug_records_and_v_does_not(monkeypatch, capsys):
    def presets(args):
        logging.getLogger("siting.model.benders").debug("iteration 1: gap 0.5")
        logging.getLogger("siting.model.solve").info("a step")
        logging.getLogger("siting.model.solve").warning("a warning")
        return 0

    monkeypatch.setattr("siting.cli._cmd_presets", presets)
    assert main(["-vv", "presets"]) == 0
    err = capsys.readouterr().err
    assert "siting: debug (siting.model.benders): iteration 1: gap 0.5" in err
    assert "siting: a step" in err and "siting: warning: a warning" in err
    assert main(["-v", "presets"]) == 0
    err = capsys.readouterr().err
    assert "iteration 1" not in err and "a step" in err
    assert main(["-q", "presets"]) == 0
    err = capsys.readouterr().err
    assert "a step" not in err and "siting: warning: a warning" in err
    assert logging.getLogger("siting").level == logging.NOTSET  # restored
