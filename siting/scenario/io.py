"""Scenario files: YAML in and out, and the readers of user tables given as paths.

A scenario YAML file is either a *recipe* (a preset or user tables plus
parameters, built with ``Scenario.preset`` or ``Scenario.from_data``) or the
complete form :func:`to_yaml` writes, whose tables sit beside it in
``<stem>.tables/`` (see ``examples/scenarios/README.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from siting import datasets
from siting.errors import InputError
from siting.scenario.validation import TABLES

__all__ = ["to_yaml", "from_yaml", "read_table", "read_profiles"]

#: Top-level keys of a scenario YAML file.
_KEYS = frozenset(
    {"name", "preset", "parameters", "tables", "demand", "sites", "workloads", "rtt_ms", "re_profiles",
     "rtt_max_ms", "local_only", "provinces"}
)
#: Options of the ``demand`` mapping of a recipe (passed to ``from_data``).
_DEMAND_OPTIONS = frozenset({"year", "trajectory", "key"})


def read_table(data: pd.DataFrame | str | Path, table: str, index_col: int | None = None) -> pd.DataFrame:
    """A user table: ``data`` itself if a DataFrame, else read from the CSV file it names.

    Parameters
    ----------
    data : DataFrame or path
        The table, or the path of a CSV file holding it.
    table : str
        Name of the table, used in error messages.
    index_col : int, optional
        Column of the CSV file to use as index.

    Returns
    -------
    pandas.DataFrame
    """
    if isinstance(data, pd.DataFrame):
        return data
    path = Path(data)
    if not path.is_file():
        raise InputError(f"{table}: file {path} not found")
    try:
        return pd.read_csv(path, index_col=index_col)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path.name}: cannot be read as CSV ({exc})") from exc


def read_profiles(data: pd.DataFrame | str | Path) -> pd.DataFrame:
    """Hourly renewable capacity factors [-]: ``data`` itself if a DataFrame, else read by :func:`siting.datasets.profiles`."""
    if isinstance(data, pd.DataFrame):
        return data
    return datasets.profiles(data)


def to_yaml(self: Scenario, path: str | Path) -> Path:
    """Write the scenario to ``path`` (YAML) and its tables beside it.

    Tables go to ``<stem>.tables/`` as CSV (profiles gzip-compressed);
    :meth:`from_yaml` reads them back, so ``Scenario.from_yaml(p)``
    equals the scenario written.

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
    for table in TABLES:
        df = getattr(self, table)
        suffix = ".csv.gz" if table.endswith("profiles") else ".csv"
        file = folder / f"{table}{suffix}"
        if table == "re_profiles":
            out = df.copy()
            out.index = out.index.strftime("%Y-%m-%d %H:%M:%S")
            out.to_csv(file, float_format="%.6g")
        elif table == "load_profiles":
            df.reset_index(drop=True).to_csv(file, index=False, float_format="%.17g")
        elif table == "demand":
            df.to_csv(file, index=False, float_format="%.17g")
        else:
            df.to_csv(file, float_format="%.17g")
        tables[table] = f"{folder.name}/{file.name}"
    doc["tables"] = tables
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def from_yaml(cls: type[Scenario], path: str | Path) -> Scenario:
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

    Returns
    -------
    Scenario
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name}: malformed YAML ({exc})".replace("\n", " ")) from exc
    if not isinstance(doc, dict):
        raise InputError(f"{path.name}: expected a mapping of scenario fields at the top level")
    return _from_document(cls, doc, path)


def _from_document(cls: type[Scenario], doc: dict[str, Any], path: Path) -> Scenario:
    """Build the scenario a parsed YAML document describes; relative file paths are read from beside ``path``."""
    unknown = set(doc) - _KEYS
    if unknown:
        raise InputError(f"{path.name}: unknown key {sorted(unknown)[0]!r}; valid keys are {sorted(_KEYS)}")
    params = dict(doc.get("parameters") or {})
    if not isinstance(params, dict):
        raise InputError(f"{path.name}: 'parameters' must be a mapping")
    name = str(doc.get("name", path.stem))
    if "tables" in doc:
        return _from_tables(cls, doc["tables"], name, params, path)
    kwargs: dict[str, Any] = {}
    dem = doc.get("demand")
    if isinstance(dem, dict) and "file" not in dem:
        bad = set(dem) - _DEMAND_OPTIONS
        if bad:
            raise InputError(
                f"{path.name}: unknown demand option {sorted(bad)[0]!r}; valid: {sorted(_DEMAND_OPTIONS)}"
            )
        kwargs.update(dem)
    elif dem is not None:
        kwargs["demand"] = _file_of(doc, "demand", path)
    for key in ("sites", "workloads", "rtt_ms", "re_profiles", "provinces"):
        p = _file_of(doc, key, path)
        if p is not None:
            kwargs[key] = p
    for w, ms in (doc.get("rtt_max_ms") or {}).items():
        params[f"rtt_max_ms_{w}"] = ms
    preset = doc.get("preset")
    if preset is not None and (kwargs.keys() & {"sites", "provinces"}):
        raise InputError(f"{path.name}: give either 'preset' or 'sites'/'provinces', not both")
    if preset is not None:
        return cls.preset(str(preset), **kwargs, **params).replace(name=name)
    if "local_only" in doc:
        kwargs["local_only"] = list(doc["local_only"])
    return cls.from_data(name, **kwargs, **params)


def _from_tables(
    cls: type[Scenario], files: dict[str, str], name: str, params: dict[str, Any], path: Path
) -> Scenario:
    """The complete form: every table read from the file ``files`` names, relative to ``path``."""
    t = {k: path.parent / v for k, v in files.items()}
    missing = set(TABLES) - set(t)
    if missing:
        raise InputError(f"{path.name}: 'tables' lacks {sorted(missing)[0]!r}")
    for k, p in t.items():
        if not p.is_file():
            raise InputError(f"{path.name}: table {k!r}: file {p} not found")
    re = pd.read_csv(t["re_profiles"], header=[0, 1], index_col=0)
    re.index = pd.DatetimeIndex(pd.to_datetime(re.index), name="time").tz_localize("Asia/Shanghai")
    loads = pd.read_csv(t["load_profiles"])
    loads.index = re.index
    return cls(
        name=name,
        sites=pd.read_csv(t["sites"], index_col=0),
        demand=pd.read_csv(t["demand"]),
        workloads=pd.read_csv(t["workloads"], index_col=0),
        rtt_ms=pd.read_csv(t["rtt_ms"], index_col=0),
        distance_km=pd.read_csv(t["distance_km"], index_col=0),
        re_profiles=re,
        load_profiles=loads,
        **params,
    )


def _file_of(doc: dict[str, Any], key: str, path: Path) -> Path | None:
    """The file a recipe's ``key: {file: ...}`` entry names (relative to ``path``), or None if absent."""
    spec = doc.get(key)
    if spec is None:
        return None
    if not isinstance(spec, dict) or "file" not in spec:
        raise InputError(f"{path.name}: '{key}' must be a mapping with a 'file' entry")
    p = path.parent / spec["file"]
    if not p.is_file():
        raise InputError(f"{path.name}: '{key}' file {p} not found")
    return p
