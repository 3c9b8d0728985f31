"""Fixtures of the map tests: the two headline presets, solved once."""

from __future__ import annotations

import pytest

import siting


@pytest.fixture(scope="package")
def results() -> dict[str, siting.Result]:
    """The two headline presets, one time slice each (fast)."""
    return {
        name: siting.solve(siting.Scenario.preset(name, resolution="average"))
        for name in ("east-only", "east-data-west-computing")
    }


@pytest.fixture(scope="package")
def edwc(results) -> siting.Result:
    """The solved East Data, West Computing preset (a Result, unlike ``edwc`` of tests/conftest.py)."""
    return results["east-data-west-computing"]
