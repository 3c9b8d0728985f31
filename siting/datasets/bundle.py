"""Where the bundled data files live and how a loader argument is read.

Inside an installed wheel the files are in ``siting/_datasets``; in a source
checkout they are the repository's ``datasets/`` folder.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from siting.errors import InputError

__all__ = ["data_dir", "files", "sources"]


def data_dir() -> Path:
    """Directory holding the bundled data files.

    Inside an installed wheel the files live in ``siting/_datasets``; in a
    source checkout they are the repository's ``datasets/`` folder.

    Returns
    -------
    pathlib.Path
    """
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_datasets", here.parent / "datasets"):
        if (candidate / "SOURCES.md").is_file():
            return candidate
    raise FileNotFoundError(
        "siting's bundled datasets were not found next to the package "
        f"({here / '_datasets'}) nor in a source checkout ({here.parent / 'datasets'}); "
        "reinstall siting with `pip install .`"
    )


def files() -> pd.DataFrame:
    """List the bundled data files.

    Returns
    -------
    pandas.DataFrame
        Index ``file``; columns ``size_kb`` and ``loader``.
    """
    loaders = {
        "provinces.csv": "provinces",
        "province_resources.csv": "provinces",
        "sites.csv": "sites",
        "boundaries.geojson": "boundaries",
        "profiles.csv.gz": "profiles",
        "parameters.csv": "parameters",
        "accelerators.csv": "demand.accelerators",
        "trajectories.csv": "demand.trajectories",
    }
    rows = [
        {"file": p.name, "size_kb": round(p.stat().st_size / 1024, 1), "loader": loaders.get(p.name, "")}
        for p in sorted(data_dir().iterdir())
        if p.is_file()
    ]
    return pd.DataFrame(rows).set_index("file")


def sources() -> str:
    """Text of ``SOURCES.md``: source, year, licence and status of every column.

    Returns
    -------
    str
    """
    return (data_dir() / "SOURCES.md").read_text(encoding="utf-8")

@functools.lru_cache(maxsize=None)
def read_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir() / name, comment="#")


def table_arg(data: str | Path | pd.DataFrame | None, default: str) -> tuple[pd.DataFrame, str]:
    """Resolve a loader argument to a DataFrame and a name for messages."""
    if data is None:
        return read_csv(default).copy(), default
    if isinstance(data, pd.DataFrame):
        return data, f"{default.split('.')[0]} table"
    path = Path(data)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        return pd.read_csv(path, comment="#"), path.name
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path.name}: cannot be read as CSV ({exc})") from exc
