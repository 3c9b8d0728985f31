"""Bundled data for mainland China and loaders that validate the user's own.

Every loader returns pandas objects with the unit in each column name and
accepts, in place of the bundled file, a path to the user's own file (UTF-8,
or the ``encoding`` given) or a DataFrame; user data goes through exactly
the same checks, and a problem is reported with the file (or table), the
line as an editor shows it (or the row label), the column and the value.

Sources, years, licences and the status of every column (sourced, derived
or estimated) are in ``datasets/SOURCES.md`` (:func:`sources`).

Modules: :mod:`~siting.datasets.bundle` (where the files are),
:mod:`~siting.datasets.schemas` (one :class:`Column` per column),
:mod:`~siting.datasets.validation` (the checks),
:mod:`~siting.datasets.tables`, :mod:`~siting.datasets.grid` (time-of-use
tariffs, corridors, curtailment) and :mod:`~siting.datasets.profiles` (the
loaders).
"""

from siting.datasets.bundle import data_dir, files, sources
from siting.datasets.grid import NATIONAL, corridors, curtailment, parse_hours, tou
from siting.datasets.profiles import HOURS_PER_YEAR, profiles
from siting.datasets.schemas import (
    CORRIDOR_COLUMNS,
    CURTAILMENT_COLUMNS,
    KINDS,
    MULTIPLIER_BASES,
    PARAMETER_COLUMNS,
    PROVINCE_COLUMNS,
    REGIONS,
    ROLES,
    SITE_COLUMNS,
    TECHNOLOGIES,
    TOU_COLUMNS,
    TOU_PERIODS,
)
from siting.datasets.tables import boundaries, parameter, parameters, provinces, sites

__all__ = [
    "CORRIDOR_COLUMNS",
    "CURTAILMENT_COLUMNS",
    "HOURS_PER_YEAR",
    "KINDS",
    "MULTIPLIER_BASES",
    "NATIONAL",
    "PARAMETER_COLUMNS",
    "PROVINCE_COLUMNS",
    "REGIONS",
    "ROLES",
    "SITE_COLUMNS",
    "TECHNOLOGIES",
    "TOU_COLUMNS",
    "TOU_PERIODS",
    "boundaries",
    "corridors",
    "curtailment",
    "data_dir",
    "files",
    "parameter",
    "parameters",
    "parse_hours",
    "profiles",
    "provinces",
    "sites",
    "sources",
    "tou",
]
