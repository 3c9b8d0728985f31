"""Fixtures of the scenario tests: one preset built once for the package."""

from __future__ import annotations

import pytest

from siting.scenario import Scenario


@pytest.fixture(scope="package")
def edwc_avg():
    return Scenario.preset("east-data-west-computing", resolution="average")
