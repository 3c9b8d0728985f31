"""What the ``siting`` command writes to the terminal: tables, the spinner, the log.

Used by :mod:`siting.cli` only. stdout carries the results (tables, what
was written), stderr the spinner, the warnings and, with ``-v``/``-vv``, the
library's log (:func:`log_to_stderr`).
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

__all__ = ["say", "spinner", "summary_table", "print_table", "log_level", "log_to_stderr"]


def say(quiet: bool, text: str = "") -> None:
    """Print to stdout unless ``quiet``."""
    if not quiet:
        print(text)


@contextmanager
def spinner(message: str, enabled: bool) -> Iterator[None]:
    """A spinner with the elapsed time on stderr while the block runs.

    Shown only when ``enabled`` and stderr is a terminal; the line is
    erased when the block ends.
    """
    if not enabled or not sys.stderr.isatty():
        yield
        return
    done = threading.Event()
    t0 = time.perf_counter()

    def spin() -> None:
        for frame in itertools.cycle("|/-\\"):
            sys.stderr.write(f"\r{frame} {message} {time.perf_counter() - t0:5.1f} s")
            sys.stderr.flush()
            if done.wait(0.1):
                break
        sys.stderr.write("\r" + " " * (len(message) + 12) + "\r")
        sys.stderr.flush()

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def summary_table(summary: pd.Series) -> pd.DataFrame:
    """The headline numbers of a result summary in readable units: columns ``metric``, ``value``, ``unit``."""
    rows: list[tuple[str, float, str]] = []
    for key, value in summary.items():
        if key.startswith("cost_") and key.endswith("_cny") and (value != 0 or key == "cost_total_cny"):
            rows.append((key.removeprefix("cost_").removesuffix("_cny").replace("_", " ") + " cost", value / 1e9, "bn CNY/yr"))
    rows += [
        ("IT demand", summary["demand_it_mw"] / 1e3, "GW"),
        ("facility energy", summary["energy_mwh"] / 1e6, "TWh/yr"),
        ("emissions", summary["emissions_t"] / 1e6, "Mt CO2/yr"),
        ("green share", 100 * summary["green_share"], "%"),
        ("western share of capacity", 100 * summary["west_share"], "%"),
        ("water", summary["water_m3"] / 1e6, "million m3/yr"),
        ("mean PUE", summary["mean_pue"], "-"),
    ]
    for key, value in summary.items():
        if key.startswith("rtt_mean_ms_"):
            w = key.removeprefix("rtt_mean_ms_")
            rows.append((f"RTT {w} mean / max", value, f"/ {summary[f'rtt_max_ms_{w}']:.1f} ms"))
    return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def print_table(df: pd.DataFrame, quiet: bool, **kwargs: Any) -> None:
    """Print a table (unless ``quiet``), text columns left-aligned, numbers with thousands separators."""
    text = {c: df[c].astype(str).str.len().max() for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])}
    formatters = {c: (lambda v, n=n: f"{v:<{n}}") for c, n in text.items()}
    with pd.option_context("display.width", 200, "display.max_rows", 500, "display.float_format", "{:,.2f}".format):
        say(quiet, df.to_string(formatters=formatters, justify="left", **kwargs))


# ---------------------------------------------------------------- logging
def log_level(verbose: int, quiet: bool) -> int:
    """The level of the ``siting`` logger for ``-v`` (INFO), ``-vv`` (DEBUG), ``-q`` or neither (WARNING)."""
    if quiet or verbose <= 0:
        return logging.WARNING
    return logging.INFO if verbose == 1 else logging.DEBUG


class _Formatter(logging.Formatter):
    """``siting: <message>`` at INFO; the level (and at DEBUG the module) before the message otherwise."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        if record.levelno == logging.INFO:
            return f"siting: {message}"
        if record.levelno < logging.INFO:
            return f"siting: {record.levelname.lower()} ({record.name}): {message}"
        return f"siting: {record.levelname.lower()}: {message}"


@contextmanager
def log_to_stderr(level: int) -> Iterator[logging.Handler]:
    """Send the ``siting`` logger's records of ``level`` and above to stderr while the block runs.

    The handler writes to the ``sys.stderr`` of the moment and is removed,
    and the logger's level restored, when the block ends (so that calling
    :func:`siting.cli.main` twice in one process logs each line once).
    """
    logger = logging.getLogger("siting")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    old = logger.level
    logger.setLevel(level)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
