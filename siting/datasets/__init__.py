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
:mod:`~siting.datasets.tables` and :mod:`~siting.datasets.profiles` (the
loaders).
"""

from siting.datasets.bundle import data_dir, files, sources
from siting.datasets.profiles import HOURS_PER_YEAR, profiles
from siting.datasets.schemas import (
    KINDS,
    PARAMETER_COLUMNS,
    PROVINCE_COLUMNS,
    REGIONS,
    ROLES,
    SITE_COLUMNS,
    TECHNOLOGIES,
)
from siting.datasets.tables import boundaries, parameter, parameters, provinces, sites

__all__ = [
    "PROVINCE_COLUMNS",
    "SITE_COLUMNS",
    "PARAMETER_COLUMNS",
    "data_dir",
    "files",
    "sources",
    "provinces",
    "sites",
    "boundaries",
    "profiles",
    "parameters",
    "parameter",
]
