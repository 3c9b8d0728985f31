"""Scenario: every input of one siting study as one immutable, validated value.

- :mod:`~siting.scenario.scenario`: the :class:`Scenario` value, its derived quantities and comparison.
- :mod:`~siting.scenario.validation`: the table and parameter checks run when a scenario is created.
- :mod:`~siting.scenario.changes`: :meth:`Scenario.replace` and its keyword shortcuts.
- :mod:`~siting.scenario.builders`: :meth:`Scenario.from_data`, building from bundled or user tables.
- :mod:`~siting.scenario.preset`: the named presets, :meth:`Scenario.preset` and :func:`presets`.
- :mod:`~siting.scenario.io`: YAML in and out and the readers of user table files.
"""

from siting.scenario.preset import presets
from siting.scenario.scenario import Scenario
from siting.scenario.validation import DEMAND_COLUMNS, SCENARIO_SITE_COLUMNS, WORKLOAD_COLUMNS

__all__ = ["Scenario", "presets", "SCENARIO_SITE_COLUMNS", "WORKLOAD_COLUMNS", "DEMAND_COLUMNS"]
