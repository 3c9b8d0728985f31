"""The solution of one scenario and its files.

Modules: :mod:`~siting.result.result` (the :class:`Result` value),
:mod:`~siting.result.summary` (totals and shares from the tables),
:mod:`~siting.result.io` (a result folder: ``to_dir`` / ``from_dir``).
"""

from siting.result.io import RESULT_FILES
from siting.result.result import Result

__all__ = ["Result", "RESULT_FILES"]
