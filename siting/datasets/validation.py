"""Table schemas and the checks every input table goes through.

A schema is a tuple of :class:`Column`; :func:`check_table` validates a
DataFrame against it, :func:`check_cells` validates a table of numbers (a
matrix or hourly profiles), and both raise :class:`~siting.errors.InputError`
naming the table, the row and the column of the first problem they find, so
that bad input is refused before any model is built.

A table read from the user's file (:func:`siting.datasets.bundle.read_user_csv`)
remembers where it came from (:func:`mark_source`): messages then name the
file and the line of the row as an editor shows it (1-based, header lines
counted), for as long as the table keeps the rows it was read with; a
DataFrame is named by its row label.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from siting.errors import InputError

__all__ = ["Column", "check_table", "check_cells", "check_known", "mark_source", "keep_lines", "source_of", "where"]


@dataclass(frozen=True)
class Column:
    """One column of a table schema.

    Parameters
    ----------
    name : str
        Column name; the unit is part of the name (``_mw``, ``_cny_per_kwh``).
    kind : {"float", "int", "str", "bool"}
        Expected kind of value.
    required : bool
        Whether the column must be present.
    min, max : float, optional
        Inclusive bounds for numeric columns.
    nan_ok : bool
        Whether missing values are allowed.
    choices : tuple of str, optional
        Allowed values for text columns.
    description : str
        What the column means, with its unit.
    """

    name: str
    kind: str = "float"
    required: bool = True
    min: float | None = None
    max: float | None = None
    nan_ok: bool = False
    choices: tuple[str, ...] | None = None
    description: str = ""


def _fmt(value: object) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{value:g}"
    return repr(value)


# ---------------------------------------------------------------- where a row came from
def _fingerprint(index: pd.Index) -> str:
    """A short digest of the row labels, to tell whether a table still has the rows it was read with."""
    try:
        hashed = pd.util.hash_pandas_object(index, index=False).to_numpy()
    except TypeError:  # unhashable labels: no line numbers for this table
        return ""
    return hashlib.sha1(hashed.tobytes()).hexdigest()


def mark_source(df: pd.DataFrame, source: str, lines: Sequence[range] | None = None) -> pd.DataFrame:
    """Record in ``df.attrs`` the file ``df`` was read from and the file line of each row.

    Parameters
    ----------
    df : pandas.DataFrame
        A table just read from a file, or a table with the same rows in the
        same order (e.g. after moving a column to the index).
    source : str
        Name of the file, used in messages instead of the table's name.
    lines : sequence of range, optional
        The 1-based file line of each row in order, as consecutive runs
        (lines skipped as comments or blank end a run); ``None`` if unknown.

    Returns
    -------
    pandas.DataFrame
        ``df`` itself (its ``attrs`` updated); the record follows the table
        through pandas operations, and the lines are used only while the
        table keeps the row labels it had here.
    """
    df.attrs["source"] = source
    if lines is not None:
        df.attrs["lines"] = tuple(lines)
        df.attrs["rows"] = _fingerprint(df.index)
    return df


def source_of(df: pd.DataFrame | pd.Series, default: str) -> str:
    """The file ``df`` was read from (see :func:`mark_source`), else ``default``."""
    return str(df.attrs.get("source", default))


def _line(df: pd.DataFrame | pd.Series, position: int) -> int | None:
    """File line of row ``position`` of ``df``, if known and ``df`` still has the rows it was read with."""
    runs = df.attrs.get("lines")
    if not runs or df.attrs.get("rows") != _fingerprint(df.index):
        return None
    for run in runs:
        if position < len(run):
            return run[position]
        position -= len(run)
    return None


def where(df: pd.DataFrame | pd.Series, position: int) -> str:
    """Where row ``position`` of ``df`` is: ``line N`` of its file, else ``row <label>``."""
    line = _line(df, position)
    if line is not None:
        return f"line {line}"
    label = df.index[position]
    return f"row {label}" if isinstance(label, pd.Timestamp) else f"row {label!r}"


def keep_lines(df: pd.DataFrame) -> pd.DataFrame:
    """Keep the line numbers of ``df`` after its row labels changed but not its rows (``set_index``).

    Parameters
    ----------
    df : pandas.DataFrame
        A table whose rows are still those it was read with, in order.

    Returns
    -------
    pandas.DataFrame
        ``df`` itself.
    """
    if "lines" in df.attrs:
        df.attrs["rows"] = _fingerprint(df.index)
    return df


def _numbers(s: pd.Series) -> pd.Series:
    """``s`` as floats, NaN where a value is not a number (lists and other objects included)."""
    try:
        return pd.to_numeric(s, errors="coerce").astype(float)
    except (TypeError, ValueError):
        return s.map(_number).astype(float)


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return np.nan


def check_table(
    df: pd.DataFrame,
    columns: Sequence[Column],
    table: str,
    *,
    index: str | None = None,
    unique_index: bool = True,
) -> pd.DataFrame:
    """Validate ``df`` against ``columns`` and return it with coerced dtypes.

    Parameters
    ----------
    df : pandas.DataFrame
        Table to check. If ``index`` is given and is a column rather than the
        index, it is moved to the index.
    columns : sequence of Column
        The schema.
    table : str
        Name used in error messages (a file name or a table name).
    index : str, optional
        Name of the index (e.g. ``"province"``).
    unique_index : bool
        Refuse duplicated index labels.

    Returns
    -------
    pandas.DataFrame
        A copy with numeric columns as ``float64``/``int64``, text as ``str``.

    Raises
    ------
    InputError
        On a table without rows, a missing or repeated column, a missing
        value, a value out of bounds, an unknown category or a duplicated
        index label; a table read from a file is named by the file, a row
        by its line (see :func:`mark_source`).
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{table}: expected a pandas DataFrame, got {type(df).__name__}")
    table = source_of(df, table)
    if len(df) == 0:
        raise InputError(f"{table}: the table has no rows (only a header); expected at least one row")
    repeated = df.columns[df.columns.duplicated()]
    if len(repeated):
        raise InputError(f"{table}: column {repeated[0]!r} appears more than once; expected each column once")
    out = df.copy()
    if index is not None:
        if index in out.columns:
            out = keep_lines(out.set_index(index))
        elif out.index.name != index:
            raise InputError(
                f"{table}: missing column '{index}' (the row key); "
                f"columns are {sorted(map(str, df.columns))}"
            )
        labels = out.index
        if labels.isna().any():
            position = int(np.flatnonzero(labels.isna())[0])
            raise InputError(f"{table}: {where(out, position)}, column '{index}': empty key; expected a name")
        out.index = labels.astype(str).str.strip()
        keep_lines(out)
        if unique_index and out.index.duplicated().any():
            position = int(np.flatnonzero(out.index.duplicated())[0])
            first = int(np.flatnonzero(out.index == out.index[position])[0])
            raise InputError(
                f"{table}: {where(out, position)}, column '{index}': {out.index[position]!r} appears more than "
                f"once (first at {where(out, first)}); expected each {index} once"
            )

    missing = [col for col in columns if col.required and col.name not in out.columns]
    if missing:
        names = ", ".join(f"'{col.name}'" + (f" ({col.description})" if col.description else "") for col in missing)
        raise InputError(f"{table}: missing column{'s' if len(missing) > 1 else ''} {names}")
    for col in columns:
        if col.name in out.columns:
            out[col.name] = _check_column(out[col.name], col, table)
    return out


def _bounds(col: Column) -> str:
    """What a numeric column expects, for messages: ``a number >= 0``, ``a number in [1, 3]``."""
    kind = "a whole number" if col.kind == "int" else "a number"
    if col.min is not None and col.max is not None:
        return f"{kind} in [{col.min:g}, {col.max:g}]"
    if col.min is not None:
        return f"{kind} >= {col.min:g}"
    if col.max is not None:
        return f"{kind} <= {col.max:g}"
    return kind


def _check_column(s: pd.Series, col: Column, table: str) -> pd.Series:
    missing = s.isna().to_numpy()

    def fail(mask: np.ndarray, problem: str) -> InputError:
        return InputError(f"{table}: {where(s, int(np.flatnonzero(mask)[0]))}, column '{col.name}': {problem}")

    if col.kind in ("float", "int"):
        expected = _bounds(col) + (" or empty" if col.nan_ok else "")
        num = _numbers(s)
        bad = num.isna().to_numpy() & ~missing
        if bad.any():
            raise fail(bad, f"{s[bad].iloc[0]!r} is not a number; expected {expected}")
        if missing.any() and not col.nan_ok:
            raise fail(missing, f"missing value (NaN); expected {expected}")
        values = num.to_numpy(dtype=float)
        inf = np.isinf(values)
        if inf.any():
            raise fail(inf, f"{_fmt(values[inf][0])} is infinite; expected {expected}")
        if col.min is not None:
            low = values < col.min
            if low.any():
                what = "negative" if col.min == 0 else f"below the minimum {col.min:g}"
                raise fail(low, f"{_fmt(values[low][0])} is {what}; expected {expected}")
        if col.max is not None:
            high = values > col.max
            if high.any():
                raise fail(high, f"{_fmt(values[high][0])} is above the maximum {col.max:g}; expected {expected}")
        if col.kind == "int":
            frac = (values != np.round(values)) & ~missing
            if frac.any():
                raise fail(frac, f"{_fmt(values[frac][0])} is not a whole number; expected {expected}")
            if missing.any():
                return num.astype("Int64")
            return pd.Series(values.astype(np.int64), index=s.index, name=s.name)
        return pd.Series(values, index=s.index, name=s.name)

    if col.kind == "bool":
        if missing.any():
            raise fail(missing, "missing value; expected true or false")
        mapping = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
        text = s.astype(str).str.strip().str.lower()
        bad = ~text.isin(list(mapping)).to_numpy()
        if bad.any():
            raise fail(bad, f"{s[bad].iloc[0]!r} is not true/false; expected true, false, yes, no, 1 or 0")
        return text.map(mapping).astype(bool)

    # text
    if missing.any() and not col.nan_ok:
        raise fail(missing, "missing value; expected a text")
    text = s.where(missing, s.astype(str).str.strip())
    if col.choices is not None:
        bad = ~text.isin(col.choices).to_numpy() & ~missing
        if bad.any():
            raise fail(bad, f"{text[bad].iloc[0]!r} is not one of {list(col.choices)}")
    empty = (text == "").to_numpy() & ~missing
    if empty.any() and not col.nan_ok:
        raise fail(empty, "empty value; expected a text")
    return text


def check_cells(
    df: pd.DataFrame,
    table: str,
    expected: str,
    *,
    min: float | None = None,
    max: float | None = None,
    rows: np.ndarray | None = None,
    columns: np.ndarray | None = None,
) -> np.ndarray:
    """Check that every cell of ``df`` is a finite number, within bounds where it is used.

    Parameters
    ----------
    df : pandas.DataFrame
        A table of numbers: an origin × site matrix, hourly profiles.
    table : str
        Name used in messages (replaced by the file the table was read from).
    expected : str
        What a cell holds, for messages: ``"a capacity factor in [0, 1]"``.
    min, max : float, optional
        Inclusive bounds of a used cell.
    rows, columns : numpy.ndarray of bool, optional
        The cells that are used (default all): they must not be missing and
        must lie within the bounds; every cell must be a number or empty.

    Returns
    -------
    numpy.ndarray
        The values as ``float64``, NaN where a cell is empty.

    Raises
    ------
    InputError
        Naming the row (file line or label), column and value of the first
        cell that is not a number, infinite, missing or out of bounds.
    """
    table = source_of(df, table)
    if all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in df.dtypes):
        values = df.to_numpy(dtype=float)
    else:
        values = np.empty(df.shape)
        for j in range(df.shape[1]):
            values[:, j] = _numbers(df.iloc[:, j]).to_numpy()
        bad = np.isnan(values) & ~df.isna().to_numpy()
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise InputError(
                f"{table}: {where(df, int(i))}, column {df.columns[j]!r}: {df.iat[i, j]!r} is not a number; "
                f"expected {expected}"
            )
    used = np.ones(values.shape, dtype=bool)
    if rows is not None:
        used &= np.asarray(rows, dtype=bool)[:, None]
    if columns is not None:
        used &= np.asarray(columns, dtype=bool)[None, :]
    with np.errstate(invalid="ignore"):
        problems = [(np.isinf(values), "is infinite"), (np.isnan(values) & used, "is missing")]
        if min is not None:
            problems.append(((values < min) & used, f"is below {min:g}"))
        if max is not None:
            problems.append(((values > max) & used, f"is above {max:g}"))
    for mask, problem in problems:
        if mask.any():
            i, j = np.argwhere(mask)[0]
            value = "value" if np.isnan(values[i, j]) else _fmt(values[i, j])
            raise InputError(
                f"{table}: {where(df, int(i))}, column {df.columns[j]!r}: {value} {problem}; expected {expected}"
            )
    return values


def check_known(
    values: Iterable[object], known: Iterable[object], table: str, column: str, what: str
) -> None:
    """Raise if any of ``values`` is not in ``known``.

    Parameters
    ----------
    values : iterable
        Values found in ``table[column]``.
    known : iterable
        The valid values.
    table, column : str
        Where the values come from (for the message).
    what : str
        What the values name, e.g. ``"province"``.
    """
    known_set = set(known)
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    unknown = list(dict.fromkeys(v for v in series if v not in known_set))
    if unknown:
        table = source_of(series, table)
        position = next(i for i, v in enumerate(series) if v not in known_set)
        at = where(series, position)
        listed = ", ".join(map(repr, sorted(map(str, known_set))[:40])) or f"none (no {what} is known)"
        raise InputError(
            f"{table}: column '{column}' names unknown {what} {unknown[0]!r}"
            + (f" at {at}" if at.startswith("line") else "")
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
            + f"; valid values are: {listed}"
        )
