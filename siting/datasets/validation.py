"""Table schemas and the checks every input table goes through.

A schema is a tuple of :class:`Column`; :func:`check_table` validates a
DataFrame against it and raises :class:`~siting.errors.InputError` naming the
table, the row and the column of the first problem it finds, so that bad
input is refused before any model is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from siting.errors import InputError

__all__ = ["Column", "check_table", "check_known"]


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
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value)


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
        On a missing column, a missing value, a value out of bounds, an
        unknown category or a duplicated index label.
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{table}: expected a pandas DataFrame, got {type(df).__name__}")
    out = df.copy()
    if index is not None:
        if index in out.columns:
            out = out.set_index(index)
        elif out.index.name != index:
            raise InputError(
                f"{table}: missing column '{index}' (the row key); "
                f"columns are {sorted(map(str, df.columns))}"
            )
        labels = out.index
        if labels.isna().any():
            raise InputError(f"{table}: a row has no '{index}' (empty key)")
        out.index = labels.astype(str)
        if unique_index and out.index.duplicated().any():
            dup = out.index[out.index.duplicated()][0]
            raise InputError(f"{table}: row '{dup}' appears more than once in column '{index}'")

    for col in columns:
        if col.name not in out.columns:
            if col.required:
                raise InputError(
                    f"{table}: missing column '{col.name}'"
                    + (f" ({col.description})" if col.description else "")
                )
            continue
        out[col.name] = _check_column(out[col.name], col, table)
    return out


def _where(series: pd.Series, mask: np.ndarray) -> str:
    row = series.index[np.flatnonzero(mask)[0]]
    return f"row {row!r}"


def _check_column(s: pd.Series, col: Column, table: str) -> pd.Series:
    missing = s.isna().to_numpy()
    if col.kind in ("float", "int"):
        num = pd.to_numeric(s, errors="coerce")
        bad = num.isna().to_numpy() & ~missing
        if bad.any():
            raise InputError(
                f"{table}: {_where(s, bad)}, column '{col.name}': "
                f"{s[bad].iloc[0]!r} is not a number"
            )
        if missing.any() and not col.nan_ok:
            raise InputError(f"{table}: {_where(s, missing)}, column '{col.name}': missing value (NaN)")
        values = num.to_numpy(dtype=float)
        inf = np.isinf(values)
        if inf.any():
            raise InputError(f"{table}: {_where(s, inf)}, column '{col.name}': value is infinite")
        if col.min is not None:
            low = values < col.min
            if low.any():
                what = "negative" if col.min == 0 else f"below the minimum {col.min:g}"
                raise InputError(
                    f"{table}: {_where(s, low)}, column '{col.name}': "
                    f"{_fmt(values[low][0])} is {what}"
                )
        if col.max is not None:
            high = values > col.max
            if high.any():
                raise InputError(
                    f"{table}: {_where(s, high)}, column '{col.name}': "
                    f"{_fmt(values[high][0])} is above the maximum {col.max:g}"
                )
        if col.kind == "int":
            if missing.any():
                return num.astype("Int64")
            frac = values != np.round(values)
            if frac.any():
                raise InputError(
                    f"{table}: {_where(s, frac)}, column '{col.name}': "
                    f"{_fmt(values[frac][0])} is not a whole number"
                )
            return pd.Series(values.astype(np.int64), index=s.index, name=s.name)
        return pd.Series(values, index=s.index, name=s.name)

    if col.kind == "bool":
        if missing.any():
            raise InputError(f"{table}: {_where(s, missing)}, column '{col.name}': missing value")
        mapping = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
        text = s.astype(str).str.strip().str.lower()
        bad = ~text.isin(list(mapping)).to_numpy()
        if bad.any():
            raise InputError(
                f"{table}: {_where(s, bad)}, column '{col.name}': "
                f"{s[bad].iloc[0]!r} is not true/false"
            )
        return text.map(mapping).astype(bool)

    # text
    if missing.any() and not col.nan_ok:
        raise InputError(f"{table}: {_where(s, missing)}, column '{col.name}': missing value")
    text = s.where(missing, s.astype(str).str.strip())
    if col.choices is not None:
        bad = ~text.isin(col.choices).to_numpy() & ~missing
        if bad.any():
            raise InputError(
                f"{table}: {_where(s, bad)}, column '{col.name}': "
                f"{text[bad].iloc[0]!r} is not one of {list(col.choices)}"
            )
    empty = (text == "").to_numpy() & ~missing
    if empty.any() and not col.nan_ok:
        raise InputError(f"{table}: {_where(s, empty)}, column '{col.name}': empty value")
    return text


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
    unknown = [v for v in pd.unique(pd.Series(list(values), dtype=object)) if v not in known_set]
    if unknown:
        listed = ", ".join(map(repr, sorted(map(str, known_set))[:40]))
        raise InputError(
            f"{table}: column '{column}' names unknown {what} {unknown[0]!r}"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
            + f"; valid values are: {listed}"
        )
