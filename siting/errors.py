"""Exceptions raised by :mod:`siting`."""

from __future__ import annotations

__all__ = ["SitingError", "InputError", "InfeasibleError", "SolverNotAvailableError"]


class SitingError(Exception):
    """Base class of every error raised on purpose by :mod:`siting`."""


class InputError(SitingError, ValueError):
    """Bad input data or parameters; the message names table, row and column."""


class InfeasibleError(SitingError):
    """A scenario that cannot be solved; the message explains which demand or
    policy cannot be met and why."""


class SolverNotAvailableError(SitingError, RuntimeError):
    """The requested solver is not installed; the message says how to install it."""
