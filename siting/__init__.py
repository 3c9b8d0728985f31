"""siting: where should China's AI compute run?

Energy demand of AI workloads (:mod:`siting.demand`), a siting linear program
trading electricity price, renewables, carbon, water and latency
(:class:`Scenario`, :func:`solve`), and analysis and maps
(:mod:`siting.analysis`, :mod:`siting.maps`).

>>> import siting
>>> scn = siting.Scenario.preset("east-data-west-computing")   # doctest: +SKIP
>>> res = siting.solve(scn)                                     # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from siting import datasets, demand, network
from siting.errors import InfeasibleError, InputError, SitingError, SolverNotAvailableError
from siting.model.solve import solve
from siting.model.status import Status
from siting.result import Result
from siting.scenario import Scenario, presets

__version__ = "0.1.0"

# the library logs to "siting" (build sizes, solver status, Benders iterations,
# analysis runs) and leaves output to the application: `siting -v` on the
# command line, or logging.basicConfig(level=logging.INFO) in a script
logging.getLogger("siting").addHandler(logging.NullHandler())

__all__ = [
    "Scenario",
    "Result",
    "Status",
    "solve",
    "presets",
    "datasets",
    "demand",
    "network",
    "maps",
    "analysis",
    "SitingError",
    "InputError",
    "InfeasibleError",
    "SolverNotAvailableError",
]

_LAZY = {"maps", "analysis"}


def __getattr__(name: str) -> Any:
    # maps (matplotlib, folium) and analysis are imported on first use so
    # that `import siting` stays light
    if name in _LAZY:
        return importlib.import_module(f"siting.{name}")
    raise AttributeError(f"module 'siting' has no attribute {name!r}")
