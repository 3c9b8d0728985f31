"""Where the bundled data files live and how a loader argument is read.

Inside an installed wheel the files are in ``siting/_datasets``; in a source
checkout they are the repository's ``datasets/`` folder.

The user's own files are read by :func:`read_text` and :func:`read_user_csv`:
as UTF-8 (with or without a byte-order mark) unless an ``encoding`` is
given, gzip/bz2/xz-compressed when the name ends so; a missing file, a
folder, a file in another encoding or one that is not CSV is refused with a
message that names it.
"""

from __future__ import annotations

import bz2
import functools
import gzip
import io
import lzma
import re
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from siting.datasets.validation import mark_source
from siting.errors import InputError

__all__ = ["data_dir", "files", "sources", "read_text", "read_user_csv", "table_arg"]

#: How a compressed file is unpacked, by suffix.
_DECOMPRESS: dict[str, Callable[[bytes], bytes]] = {
    ".gz": gzip.decompress,
    ".bz2": bz2.decompress,
    ".xz": lzma.decompress,
}
#: What a caller can do about a file in another encoding (the default remedy).
ENCODING_REMEDY = "pass encoding='gbk' to read it as it is"


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
        "weather_solar_clearness.csv": "weather.profiles",
        "parameters.csv": "parameters",
        "accelerators.csv": "demand.accelerators",
        "trajectories.csv": "demand.trajectories",
        "tou.csv": "tou",
        "corridors.csv": "corridors",
        "curtailment.csv": "curtailment",
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
    """A bundled CSV file (cached; copy it before changing it)."""
    return pd.read_csv(data_dir() / name, comment="#")


def read_text(path: str | Path, *, encoding: str | None = None, remedy: str = ENCODING_REMEDY) -> str:
    """The text of the user's file ``path``.

    Parameters
    ----------
    path : str or Path
        The file; ``.gz``, ``.bz2`` and ``.xz`` files are decompressed.
    encoding : str, optional
        Text encoding, e.g. ``"gbk"``. Default UTF-8, with or without a
        byte-order mark (``utf-8-sig``).
    remedy : str
        What the caller can do about a file in another encoding, appended to
        that message.

    Returns
    -------
    str

    Raises
    ------
    InputError
        If ``path`` does not exist, is a folder, cannot be read or
        decompressed, or is not text in the encoding; a file that is not
        UTF-8 is reported with the line of the first bad byte and how to
        convert it (GBK is common for spreadsheets saved in China).
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder; expected a file")
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        data = _DECOMPRESS.get(path.suffix.lower(), bytes)(path.read_bytes())
    except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
        raise InputError(f"{path.name}: cannot be read ({exc})") from exc
    try:
        return data.decode(encoding or "utf-8-sig")
    except LookupError as exc:
        raise InputError(f"encoding {encoding!r}: unknown text encoding; expected e.g. 'utf-8' or 'gbk'") from exc
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        found = f"byte 0x{data[exc.start]:02x} on line {line}"
        if encoding:
            raise InputError(f"{path.name}: not {encoding} text ({found}); give the encoding the file is in") from exc
        raise InputError(
            f"{path.name}: not UTF-8 text ({found}); spreadsheets saved in China are often GBK: "
            f"convert the file with `iconv -f GBK -t UTF-8 {path.name} > utf8-{path.name}` or save it "
            f"again as UTF-8 (a spreadsheet's 'CSV UTF-8'), or {remedy}"
        ) from exc


def _skipped(line: str, comment: str | None) -> bool:
    """Whether :func:`pandas.read_csv` skips ``line``: blank (spaces and tabs only) or a comment."""
    return line.strip(" \t") == "" or (comment is not None and line.startswith(comment))


def _data_lines(text: str, header: int | list[int], comment: str | None, rows: int) -> list[range] | None:
    """The 1-based line of each of the ``rows`` data rows pandas read from ``text``, as consecutive runs.

    ``None`` if the lines cannot be matched to the rows (a quoted field over
    several lines, say): messages then name rows by their label.
    """
    kept = [n for n, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1) if not _skipped(line, comment)]
    data = kept[len(header) if isinstance(header, list) else header + 1 :]
    if isinstance(header, list) and len(data) == rows + 1:
        data = data[1:]  # the line of index names under a two-line header
    if len(data) != rows:
        return None
    runs: list[range] = []
    for n in data:
        if runs and runs[-1].stop == n:
            runs[-1] = range(runs[-1].start, n + 1)
        else:
            runs.append(range(n, n + 1))
    return runs


def read_user_csv(
    path: str | Path,
    *,
    encoding: str | None = None,
    header: int | list[int] = 0,
    index_col: int | None = None,
    comment: str | None = "#",
    name: str | None = None,
    remedy: str = ENCODING_REMEDY,
    text: Sequence[str] = (),
) -> pd.DataFrame:
    """Read the user's CSV file; the table remembers the file and the line of each row.

    Parameters
    ----------
    path : str or Path
        The CSV file (see :func:`read_text`).
    encoding : str, optional
        Text encoding; default UTF-8 (with or without a byte-order mark).
    header : int or list of int
        Header line(s), as in :func:`pandas.read_csv`.
    index_col : int, optional
        Column to use as the index.
    comment : str, optional
        Lines starting with this character are skipped.
    name : str, optional
        Name of the file in messages; default its name.
    remedy : str
        What to do about a file in another encoding (see :func:`read_text`).
    text : sequence of str
        Columns read as text whatever they hold (empty cells stay missing).

    Returns
    -------
    pandas.DataFrame
        With the file name and the line of each row in ``attrs``
        (:func:`siting.datasets.validation.mark_source`), so that the checks
        name them.

    Raises
    ------
    InputError
        As :func:`read_text`, and on an empty file or text that is not CSV.
    """
    path = Path(path)
    name = name or path.name
    content = read_text(path, encoding=encoding, remedy=remedy)
    try:
        df = pd.read_csv(
            io.StringIO(content), header=header, index_col=index_col, comment=comment, dtype=dict.fromkeys(text, str)
        )
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{name}: the file is empty; expected a header line with the column names") from exc
    except (pd.errors.ParserError, ValueError, IndexError, TypeError) as exc:
        raise InputError(f"{name}: cannot be read as CSV ({' '.join(str(exc).split())})") from exc
    return mark_source(df, name, _data_lines(content, header, comment, len(df)))


def table_arg(
    data: str | Path | pd.DataFrame | None, default: str, encoding: str | None = None
) -> tuple[pd.DataFrame, str]:
    """Resolve a loader argument to a DataFrame and a name for messages.

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's table or the CSV file holding it; ``None`` for the bundled file ``default``.
    default : str
        Name of the bundled file, e.g. ``"sites.csv"``.
    encoding : str, optional
        Text encoding of the user's file (see :func:`read_user_csv`).

    Returns
    -------
    tuple of (pandas.DataFrame, str)
    """
    if data is None:
        return read_csv(default).copy(), default
    if isinstance(data, pd.DataFrame):
        return data, f"{default.split('.')[0]} table"
    if not isinstance(data, (str, Path)):
        raise InputError(
            f"{default.split('.')[0]} table: expected a file path or a pandas DataFrame, got {type(data).__name__}"
        )
    df = read_user_csv(data, encoding=encoding)
    return df, str(df.attrs["source"])
