"""Scenario files: YAML in and out, and the readers of user tables given as paths.

A scenario YAML file is either a *recipe* (a preset or user tables plus
parameters, built with ``Scenario.preset`` or ``Scenario.from_data``) or the
complete form :func:`to_yaml` writes, whose tables sit beside it in
``<stem>.tables/`` (see ``examples/scenarios/README.md``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from siting.datasets.bundle import read_text, read_user_csv
from siting.errors import InputError
from siting.scenario.changes import is_shortcut
from siting.scenario.validation import OPTIONAL_TABLES, TABLES

__all__ = ["to_yaml", "from_yaml", "read_table", "read_profiles"]

#: Top-level keys of a scenario YAML file.
_KEYS = frozenset(
    {"name", "preset", "parameters", "tables", "text_columns", "demand", "sites", "workloads", "rtt_ms",
     "re_profiles", "rtt_max_ms", "local_only", "provinces"}
)
#: Keys of the complete form :func:`to_yaml` writes.
_COMPLETE_KEYS = frozenset({"name", "parameters", "tables", "text_columns"})
#: Options of the ``demand`` mapping of a recipe (passed to ``from_data``).
_DEMAND_OPTIONS = frozenset({"year", "trajectory", "key"})


def read_table(
    data: pd.DataFrame | str | Path, table: str, index_col: int | None = None, encoding: str | None = None
) -> pd.DataFrame:
    """A user table: ``data`` itself if a DataFrame, else read from the CSV file it names.

    Parameters
    ----------
    data : DataFrame or path
        The table, or the path of a CSV file holding it.
    table : str
        Name of the table, used in error messages.
    index_col : int, optional
        Column of the CSV file to use as index.
    encoding : str, optional
        Text encoding of the file; default UTF-8 (with or without a byte-order mark).

    Returns
    -------
    pandas.DataFrame
        A table read from a file names the file and its lines in messages
        (:func:`siting.datasets.bundle.read_user_csv`).
    """
    if isinstance(data, pd.DataFrame):
        return data
    if not isinstance(data, (str, Path)):
        raise InputError(f"{table}: expected a file path or a pandas DataFrame, got {type(data).__name__}")
    return read_user_csv(data, index_col=index_col, comment=None, encoding=encoding)


def read_profiles(data: pd.DataFrame | str | Path, encoding: str | None = None) -> pd.DataFrame:
    """Hourly renewable capacity factors [-]: ``data`` itself if a DataFrame, else read from the CSV file it names.

    The table is not checked here: :func:`siting.datasets.profiles` does
    that, naming the file and its lines.
    """
    if isinstance(data, pd.DataFrame):
        return data
    if not isinstance(data, (str, Path)):
        raise InputError(f"re_profiles: expected a file path or a pandas DataFrame, got {type(data).__name__}")
    return read_user_csv(data, header=[0, 1], index_col=0, comment=None, encoding=encoding)


def to_yaml(self: Scenario, path: str | Path) -> Path:
    """Write the scenario to ``path`` (YAML) and its tables beside it.

    Tables go to ``<stem>.tables/`` as CSV (profiles gzip-compressed), every
    number in its shortest exact form, and the YAML lists the text columns
    of each (``text_columns``); :meth:`from_yaml` reads them back bit for
    bit, so ``Scenario.from_yaml(p)`` equals the scenario written.

    Parameters
    ----------
    path : str or Path
        Target ``.yaml`` file.

    Returns
    -------
    pathlib.Path
        The YAML file written.
    """
    path = Path(path)
    folder = path.with_name(path.stem + ".tables")
    folder.mkdir(parents=True, exist_ok=True)
    doc: dict[str, Any] = {"name": self.name}
    params = self.parameters
    params.pop("name")
    doc["parameters"] = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in params.items()}
    tables: dict[str, str] = {}
    text: dict[str, list[str]] = {}
    for table in TABLES:
        df = getattr(self, table)
        if df is None:
            continue
        columns = [str(c) for c in df.columns if not isinstance(c, tuple) and _is_text(df[c])]
        if columns:
            text[table] = columns
        suffix = ".csv.gz" if table.endswith("profiles") else ".csv"
        file = folder / f"{table}{suffix}"
        if table == "re_profiles" or table == "tou_profiles":
            out = df.copy()
            out.index = out.index.strftime("%Y-%m-%d %H:%M:%S")  # China Standard Time, as read back
            out.to_csv(file)
        elif table == "load_profiles":
            df.to_csv(file, index=False)  # on the hours of re_profiles
        elif table == "demand":
            df.to_csv(file, index=False)
        else:
            df.to_csv(file)
        tables[table] = f"{folder.name}/{file.name}"
    doc["tables"] = tables
    doc["text_columns"] = text
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _is_text(column: pd.Series) -> bool:
    """A column of text (read back as text even where it looks like numbers or is empty)."""
    return pd.api.types.is_string_dtype(column) or pd.api.types.is_object_dtype(column)


def from_yaml(cls: type[Scenario], path: str | Path, encoding: str | None = None) -> Scenario:
    """Read a scenario from YAML.

    Two forms are accepted (see ``examples/scenarios/README.md``):

    - a *recipe*: ``preset`` (optional), ``demand`` options (``year``,
      ``trajectory``, ``key``), ``sites``/``demand``/``workloads``/
      ``rtt_ms`` given as ``{file: path}``, ``rtt_max_ms`` per class and
      ``parameters``;
    - the complete form written by :meth:`to_yaml` (``tables``).

    Parameters
    ----------
    path : str or Path
    encoding : str, optional
        Text encoding of the YAML file and of the CSV files a recipe names
        (e.g. ``"gbk"``); default UTF-8, with or without a byte-order mark.
        The tables of the complete form are read as UTF-8.

    Returns
    -------
    Scenario

    Raises
    ------
    InputError
        If the file cannot be read, is not YAML, has an unknown key or a
        value of the wrong kind, or builds a scenario that does not
        validate; the message names the file and the key (or the table
        file, line and column).
    """
    path = Path(path)
    try:
        doc = yaml.safe_load(read_text(path, encoding=encoding))
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name}: malformed YAML ({exc})".replace("\n", " ")) from exc
    if not isinstance(doc, dict):
        raise InputError(f"{path.name}: expected a mapping of scenario fields at the top level")
    try:
        return _from_document(cls, doc, path, encoding)
    except InputError as exc:  # name the file whatever part of the scenario is at fault
        if str(exc).startswith(path.name):
            raise
        raise InputError(f"{path.name}: {exc}") from exc


def _from_document(cls: type[Scenario], doc: dict[str, Any], path: Path, encoding: str | None) -> Scenario:
    """Build the scenario a parsed YAML document describes; relative file paths are read from beside ``path``."""
    unknown = sorted(map(str, set(doc) - _KEYS))
    if unknown:
        raise InputError(f"{path.name}: unknown key {unknown[0]!r}; valid keys are {sorted(_KEYS)}")
    params = _parameters(cls, doc, path)
    name = _name(doc, path)
    if "tables" in doc or "text_columns" in doc:
        others = sorted(set(doc) - _COMPLETE_KEYS)
        if others:
            form = "tables" if "tables" in doc else "text_columns"
            raise InputError(
                f"{path.name}: {others[0]!r} cannot be combined with {form!r} (the complete form lists every "
                "table); edit the table files instead"
            )
        return _from_tables(cls, doc, name, params, path)
    kwargs: dict[str, Any] = {"encoding": encoding}
    dem = doc.get("demand")
    if isinstance(dem, dict) and "file" not in dem:
        bad = sorted(map(str, set(dem) - _DEMAND_OPTIONS))
        if bad:
            raise InputError(f"{path.name}: unknown demand option {bad[0]!r}; valid: {sorted(_DEMAND_OPTIONS)}")
        kwargs.update(dem)
    elif isinstance(dem, dict) and set(dem) & _DEMAND_OPTIONS:
        option = sorted(set(dem) & _DEMAND_OPTIONS)[0]
        raise InputError(
            f"{path.name}: demand option {option!r} applies only to the bundled trajectory (demand without "
            "'file'); a demand file is used as it is: remove one of them"
        )
    elif dem is not None:
        kwargs["demand"] = _file_of(doc, "demand", path)
    for key in ("sites", "workloads", "rtt_ms", "re_profiles", "provinces"):
        p = _file_of(doc, key, path)
        if p is not None:
            kwargs[key] = p
    limits = doc.get("rtt_max_ms")
    if limits is not None and not isinstance(limits, dict):
        raise InputError(
            f"{path.name}: 'rtt_max_ms' must be a mapping of workload class to ms, e.g. "
            f"{{interactive: 20, batch: null}}; got {type(limits).__name__} {limits!r}"
        )
    for w, ms in (limits or {}).items():
        params[f"rtt_max_ms_{w}"] = ms
    preset = doc.get("preset")
    if preset is not None:
        if not isinstance(preset, str):
            raise InputError(f"{path.name}: 'preset' must be the name of a preset, got {preset!r}")
        clash = sorted(set(doc) & {"sites", "provinces", "local_only"})
        if clash:
            raise InputError(
                f"{path.name}: give either 'preset' or {clash[0]!r}, not both (a preset sets the sites, "
                "their provinces and the local edge sites)"
            )
        return cls.preset(preset, **kwargs, **params).replace(name=name)
    if "local_only" in doc:
        kwargs["local_only"] = _site_names(doc["local_only"], path)
    return cls.from_data(name, **kwargs, **params)


def _name(doc: dict[str, Any], path: Path) -> str:
    """The ``name`` of a document (a text; a number is read as its text), default the file's stem."""
    name = doc.get("name", path.stem)
    if isinstance(name, bool) or not isinstance(name, (str, int, float)) or not str(name).strip():
        raise InputError(f"{path.name}: 'name' must be a text (the label of the scenario), got {name!r}")
    return str(name)


def _parameters(cls: type[Scenario], doc: dict[str, Any], path: Path) -> dict[str, Any]:
    """The ``parameters`` mapping of a document: scalar fields of a scenario and shortcuts of ``replace``."""
    params = doc.get("parameters")
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise InputError(
            f"{path.name}: 'parameters' must be a mapping of parameter: value, got {type(params).__name__} "
            f"{params!r}"
        )
    fields = {f.name for f in dataclasses.fields(cls)} - set(TABLES) - {"name"}
    for key in params:
        if not isinstance(key, str) or (key not in fields and not is_shortcut(key)):
            hint = (
                "give it as a top-level key" if key in _KEYS
                else f"valid parameters are {sorted(fields)} and the shortcuts of Scenario.replace"
            )
            raise InputError(f"{path.name}: parameters: unknown parameter {key!r}; {hint}")
    return dict(params)


def _site_names(value: Any, path: Path) -> list[str]:
    """``local_only``: a list of site names, or one name."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return [str(v) for v in value]
    raise InputError(f"{path.name}: 'local_only' must be a list of site names (or one name), got {value!r}")


def _from_tables(cls: type[Scenario], doc: dict[str, Any], name: str, params: dict[str, Any], path: Path) -> Scenario:
    """The complete form: every table read from the file ``doc["tables"]`` names, relative to ``path``."""
    files = doc.get("tables")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise InputError(f"{path.name}: 'tables' must map each table to the path of its CSV file")
    text = doc.get("text_columns") or {}
    if not isinstance(text, dict) or not all(isinstance(v, list) for v in text.values()):
        raise InputError(f"{path.name}: 'text_columns' must map a table to the list of its text columns")
    unknown = sorted(map(str, set(files) - set(TABLES)))
    if unknown:
        raise InputError(f"{path.name}: 'tables' has unknown table {unknown[0]!r}; tables are {list(TABLES)}")
    missing = set(TABLES) - set(OPTIONAL_TABLES) - set(files)
    if missing:
        raise InputError(f"{path.name}: 'tables' lacks {sorted(missing)[0]!r}")
    t = {k: path.parent / v for k, v in files.items()}
    for k, p in t.items():
        if not p.is_file():
            raise InputError(f"{path.name}: table {k!r}: file {p} not found")

    def read(table: str, **kwargs: Any) -> pd.DataFrame:
        columns = [str(c) for c in text.get(table, [])]
        return read_user_csv(t[table], name=files[table], comment=None, text=columns, **kwargs)

    shortcuts = {key: params.pop(key) for key in list(params) if is_shortcut(key)}
    scenario = cls(
        name=name,
        sites=read("sites", index_col=0),
        demand=read("demand"),
        workloads=read("workloads", index_col=0),
        rtt_ms=read("rtt_ms", index_col=0),
        distance_km=read("distance_km", index_col=0),
        re_profiles=read("re_profiles", header=[0, 1], index_col=0),
        load_profiles=read("load_profiles"),
        tou_profiles=read("tou_profiles", index_col=0) if "tou_profiles" in t else None,
        corridor_lines=read("corridor_lines", index_col=0) if "corridor_lines" in t else None,
        grid_provinces=read("grid_provinces", index_col=0) if "grid_provinces" in t else None,
        **params,
    )
    return scenario.replace(**shortcuts) if shortcuts else scenario


def _file_of(doc: dict[str, Any], key: str, path: Path) -> Path | None:
    """The file a recipe's ``key: {file: ...}`` entry names (relative to ``path``), or None if absent."""
    spec = doc.get(key)
    if spec is None:
        return None
    if not isinstance(spec, dict) or "file" not in spec:
        raise InputError(f"{path.name}: '{key}' must be a mapping with a 'file' entry, e.g. {key}: {{file: my_{key}.csv}}")
    extra = sorted(map(str, set(spec) - {"file"}))
    if extra:
        raise InputError(f"{path.name}: '{key}' has unknown entry {extra[0]!r}; expected only 'file'")
    if not isinstance(spec["file"], str):
        raise InputError(f"{path.name}: '{key}': 'file' must be a path, got {spec['file']!r}")
    p = path.parent / spec["file"]
    if p.is_dir():
        raise InputError(f"{path.name}: '{key}' file {p} is a folder; expected a CSV file")
    if not p.is_file():
        raise InputError(f"{path.name}: '{key}' file {p} not found")
    return p
