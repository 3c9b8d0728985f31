"""Fuzz the inputs: mutated tables, scenario files and command lines raise only SitingErrors that say where.

Seeded (``derandomize=True``): every run tries the same cases. The bundled
province, site and parameter tables and a slice of the bundled profiles are
written to files with cells, columns, rows, lines and encodings mutated; the
example scenario files with keys and values mutated; and the command line
run in-process with odd arguments. Whatever happens, the library raises
only :class:`~siting.errors.SitingError`, whose message names the file (and
the column and line when one cell is at fault), and the command line exits
0, 1, 2 or 3 with one ``error:`` line and never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import siting
from siting import datasets
from siting.cli import main
from siting.errors import SitingError

from conftest import make_scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))


def fuzz(examples: int) -> Callable:
    """Seeded hypothesis settings: the same ``examples`` cases on every run, no deadline."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------- values
#: Cell texts a user's spreadsheet may hold where a number, a name or a flag is expected.
ODD_TEXT = [
    "", " ", "abc", "nan", "NaN", "inf", "-inf", "Infinity", "-1", "-0.5", "1e309", "-1e309", "1e-320", "0",
    "1.5", "99999", "true", "FALSE", "yes", "null", "None", "NA", "#N/A", "１２", "北京", "内蒙古", "1,5", "0x1A",
    "'", '"', ";", "\t", "a b", "\\N", "🙂", "1 000", "2023-01-01",
]
cell_text = st.one_of(
    st.sampled_from(ODD_TEXT),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**20), 10**20).map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00#"), max_size=6),
)
#: YAML values of every kind, nested a little.
yaml_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(ODD_TEXT + ["east-only", "average", "days", "hours", "interactive"]),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "file", "year"]), inner, max_size=2)),
    max_leaves=4,
)


def check_message(exc: SitingError, *names: str) -> str:
    """The message of ``exc``, checked to name each of ``names``."""
    text = str(exc)
    for name in names:
        assert name in text, f"{name!r} not named in: {text}"
    return text


# ---------------------------------------------------------------- tables
def _profiles_slice() -> pd.DataFrame:
    prof = datasets.profiles()
    keep = prof.columns.get_level_values("location").isin(["Wuhu", "Zhongwei"])
    return prof.loc[:, keep]


#: The bundled tables as the user would write them, and the loader that reads each.
TABLES: dict[str, tuple[Callable[[], pd.DataFrame], Callable[[Path], Any]]] = {
    "provinces": (lambda: datasets.provinces().reset_index(), datasets.provinces),
    "sites": (lambda: datasets.sites().reset_index(), datasets.sites),
    "parameters": (lambda: datasets.parameters().reset_index(), datasets.parameters),
    "profiles": (_profiles_slice, datasets.profiles),
}


@functools.cache
def base(table: str) -> pd.DataFrame:
    """The bundled ``table`` as a user would write it (made once)."""
    return TABLES[table][0]()


mutation = st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 10**6), st.integers(0, 10**6), cell_text),
    st.tuples(st.just("drop"), st.integers(0, 10**6)),
    st.tuples(st.just("extra"), cell_text),
    st.tuples(st.just("duplicate row"), st.integers(0, 10**6)),
    st.tuples(st.just("duplicate column"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("no rows")),
    st.tuples(st.just("shuffle"), st.integers(0, 2**31)),
    st.tuples(st.just("time"), st.integers(0, 10**6), cell_text),
)
encoding = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gbk", "truncated", "empty", "blank line"])


def _mutate(df: pd.DataFrame, change: tuple, profiles: bool) -> tuple[pd.DataFrame, str | None, int | None]:
    """``df`` changed; the column and the row position a cell change concerns."""
    kind, *args = change
    out = df.copy()
    if out.empty:  # no row or no column left to change
        return out, None, None
    if kind == "cell":
        i, j = args[0] % len(out), args[1] % out.shape[1]
        column = out.columns[j]
        out[column] = out[column].astype(object)
        out.iat[i, j] = args[2]
        return out, column, i
    if kind == "drop":
        return out.drop(columns=out.columns[args[0] % out.shape[1]]), None, None
    if kind == "extra":
        out[("Extra", "solar") if profiles else "extra column"] = args[0]
        return out, None, None
    if kind == "duplicate row":
        i = args[0] % len(out)
        return pd.concat([out, out.iloc[[i]]]), None, None
    if kind == "duplicate column":
        cols = list(out.columns)
        cols[args[0] % len(cols)] = cols[args[1] % len(cols)]
        out.columns = pd.MultiIndex.from_tuples(cols) if profiles else cols
        return out, None, None
    if kind == "no rows":
        return out.iloc[:0], None, None
    if kind == "shuffle":
        return out.sample(frac=1, axis=1, random_state=args[0] % 2**31), None, None
    # "time": a timestamp of the profiles (the first column of any other table)
    i = args[0] % len(out)
    if profiles:
        labels = out.index.astype(str).to_numpy(dtype=object).copy()
        labels[i] = args[1]
        out.index = pd.Index(labels, name="time")
        return out, None, i
    out[out.columns[0]] = out[out.columns[0]].astype(object)
    out.iat[i, 0] = args[1]
    return out, out.columns[0], i


def _write(df: pd.DataFrame, path: Path, how: str, profiles: bool) -> int:
    """Write ``df`` as CSV in the way ``how``; return the header lines above the first row."""
    text = df.to_csv(index=profiles)
    header = 3 if profiles else 1
    if how == "blank line":  # a blank line under the header: rows move down by one
        lines = text.split("\n")
        text = "\n".join([*lines[:header], "", *lines[header:]])
        header += 1
    if how == "empty":
        path.write_bytes(b"")
    elif how == "truncated":
        data = text.encode("utf-8")
        path.write_bytes(data[: len(data) // 3])
    elif how == "gbk":
        path.write_bytes(text.encode("gbk", errors="replace"))
    else:
        path.write_bytes(text.encode("utf-8" if how == "blank line" else how))
    return header


@fuzz(250)
@given(
    table=st.sampled_from(sorted(TABLES)),
    changes=st.lists(mutation, min_size=0, max_size=2),
    how=encoding,
)
def test_mutated_tables_raise_input_errors_naming_file_line_and_column(table, changes, how):
    profiles = table == "profiles"
    df, column, row = base(table), None, None
    for change in changes:
        df, column, row = _mutate(df, change, profiles)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"my_{table}.csv"
        header = _write(df, path, how, profiles)
        try:
            TABLES[table][1](path)
        except SitingError as exc:
            text = check_message(exc, path.name)
            event(f"{table}: refused")
            one_cell = len(changes) == 1 and row is not None and how in ("utf-8", "utf-8-sig", "blank line")
            comment = not profiles and "#" in str(changes[0][-1]) if changes else False  # cuts the line short
            if one_cell and not comment:
                if column is not None and "appears more than once" not in text:
                    assert str(column) in text, text
                lines = [int(n) for n in re.findall(r"\bline (\d+)", text)]
                if lines and " rows;" not in text:  # a cell is named by the line a text editor shows
                    line = row + header + 1
                    assert line in lines or ("follows" in text and line + 1 in lines), text
        else:
            assert how != "empty", "an empty file was accepted"
            event(f"{table}: accepted")


# ---------------------------------------------------------------- scenario files
@pytest.fixture(scope="module")
def recipes(tmp_path_factory) -> dict[str, Path]:
    """The example recipes, and one that reads the example site and demand files."""
    folder = tmp_path_factory.mktemp("recipes")
    for name in ("my_sites.csv", "my_demand.csv"):
        (folder / name).write_bytes((ROOT / "examples" / "data" / name).read_bytes())
    sites = datasets.sites(folder / "my_sites.csv")
    bundled = datasets.profiles()["Wuhu"]  # every campus borrows one site's hours
    borrowed = pd.concat({site: bundled for site in sites.index}, axis=1, names=["location", "technology"])
    borrowed.to_csv(folder / "my_profiles.csv")
    own = folder / "own.yaml"
    own.write_text(
        "name: own\nsites: {file: my_sites.csv}\ndemand: {file: my_demand.csv}\nre_profiles: {file: my_profiles.csv}\n"
        "local_only: [Langfang campus]\nrtt_max_ms: {interactive: 30}\n"
        "parameters: {resolution: average, carbon_price_cny_per_t: 100}\n",
        encoding="utf-8",
    )
    siting.Scenario.from_yaml(own)  # the unchanged recipe is valid
    for example in EXAMPLES:
        (folder / example.name).write_bytes(example.read_bytes())
    tiny = make_scenario({"A": {}}, [("Beijing", "batch", 1.0)], {("Beijing", "A"): 5.0}).to_yaml(folder / "complete.yaml")
    return {**{p.stem: folder / p.name for p in EXAMPLES}, "own": own, "complete": tiny}


FIELDS = sorted(siting.Scenario.preset("east-only").parameters) + [
    "demand_scale", "capex_scale", "grid_ef_scale", "rtt_max_ms_batch", "rtt_max_ms_nobody", "sites", "colour",
]
KEYS = ["name", "preset", "parameters", "demand", "sites", "workloads", "rtt_ms", "re_profiles", "rtt_max_ms",
        "local_only", "provinces", "tables", "text_columns", "colour"]
TABLE_FILES = ["sites", "demand", "workloads", "rtt_ms", "distance_km", "re_profiles", "load_profiles", "colour"]
doc_change = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(KEYS), yaml_value),
    st.tuples(st.just("parameter"), st.sampled_from(FIELDS), yaml_value),
    st.tuples(st.just("demand"), st.sampled_from(["year", "trajectory", "key", "file", "colour"]), yaml_value),
    st.tuples(st.just("limit"), st.sampled_from(["interactive", "batch", "nobody"]), yaml_value),
    st.tuples(st.just("table"), st.sampled_from(TABLE_FILES), st.one_of(yaml_value, st.sampled_from(
        ["complete.tables/sites.csv", "complete.tables/demand.csv", "complete.tables/re_profiles.csv.gz", "."]))),
    st.tuples(st.just("delete"), st.sampled_from(KEYS)),
    st.tuples(st.just("file"), st.sampled_from(["sites", "demand", "rtt_ms", "re_profiles", "workloads", "provinces"]),
              st.sampled_from(["missing.csv", ".", "own.yaml", "my_demand.csv", "my_sites.csv"])),
)


def _apply(doc: dict, change: tuple) -> tuple[dict, tuple[str, ...]]:
    """``doc`` changed; the keys an error about the change names (one of them)."""
    kind, key, *value = change
    doc = dict(doc)
    if kind == "delete":
        doc.pop(key, None)
        return doc, ()
    if kind == "set":
        doc[key] = value[0]
        return doc, (key,)
    if kind == "file":
        doc[key] = {"file": value[0]}
        return doc, ()  # the file names its own table
    section = {"parameter": "parameters", "demand": "demand", "limit": "rtt_max_ms", "table": "tables"}[kind]
    inner = doc.get(section)
    doc[section] = {**(inner if isinstance(inner, dict) else {}), key: value[0]}
    return doc, () if kind == "table" else (key, section)


@fuzz(110)
@given(
    base=st.sampled_from(["all-sites", "east-data-west-computing", "east-only", "own", "complete"]),
    change=doc_change,
    how=st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "gbk", "truncated"]),
)
def test_mutated_scenario_files_raise_input_errors_naming_the_file_and_key(recipes, base, change, how):
    doc = yaml.safe_load(recipes[base].read_text(encoding="utf-8"))
    doc, keys = _apply(doc, change)
    text = yaml.safe_dump(doc, allow_unicode=True)
    if how == "gbk":
        text = "# 东数西算\n" + text
    path = recipes[base].parent / f"fuzz-{base}.yaml"
    data = text.encode("utf-8" if how == "truncated" else how, errors="replace")
    path.write_bytes(data[: len(data) // 2] if how == "truncated" else data)
    try:
        siting.Scenario.from_yaml(path)
        event("accepted")
    except SitingError as exc:
        message = check_message(exc, path.name)
        event("refused")
        if keys and how in ("utf-8", "utf-8-sig"):
            assert any(key in message for key in keys), message
    finally:
        path.unlink()


# ---------------------------------------------------------------- command line
@pytest.fixture(scope="module")
def cli_files(tmp_path_factory) -> dict[str, str]:
    """A tiny scenario (solves in milliseconds), a result folder, a damaged copy, a plain file."""
    folder = tmp_path_factory.mktemp("cli")
    scn = make_scenario({"A": {}, "B": {"role": "west"}}, [("Beijing", "batch", 10.0), ("Beijing", "interactive", 5.0)],
                        {("Beijing", "A"): 5.0, ("Beijing", "B"): 30.0})
    tiny = scn.to_yaml(folder / "tiny.yaml")
    res = siting.solve(scn)
    res.to_dir(folder / "result", maps=False)
    res.to_dir(folder / "damaged", maps=False)
    sites = folder / "damaged" / "sites.csv"
    sites.write_bytes(sites.read_bytes()[:40])
    (folder / "plain.txt").write_text("not a folder")
    (folder / "empty").mkdir()
    return {"tiny": str(tiny), "result": str(folder / "result"), "damaged": str(folder / "damaged"),
            "file": str(folder / "plain.txt"), "empty": str(folder / "empty"), "missing": str(folder / "nowhere")}


number = st.one_of(st.sampled_from(["nan", "inf", "-inf", "-1", "0", "1e400", "abc", "", "0.5", "3", "1e9"]),
                   st.floats(allow_nan=True, allow_infinity=True).map(repr))
word = st.sampled_from(["H100", "V100", "h-100", "nothing", "", "average", "days", "hours", "iea-2025-base",
                        "caict-2025", "population", "gdp", "2030", "east-only", "x", "[1, 2]", "{a: 1}", "null",
                        "true", "'quoted'", "[", "a: b"])


@st.composite
def command(draw: st.DrawFn, files: dict[str, str]) -> list[str]:
    """A command line: each command with odd values, or words in any order."""
    which = draw(st.sampled_from(["run", "map", "fleet", "inference", "training", "national", "datasets", "any"]))
    path = st.sampled_from(list(files.values()))
    if which == "run":
        argv = ["run", files["tiny"], "--no-maps", "-q", "-o", draw(st.sampled_from([files["file"], files["result"],
                                                                                      files["empty"] + "/out"]))]
        for _ in range(draw(st.integers(0, 2))):
            argv += ["--set", f"{draw(st.sampled_from(FIELDS))}={draw(st.one_of(number, word))}"]
        if draw(st.booleans()):
            argv += [draw(st.sampled_from(["--days", "--time-limit", "--resolution", "--solver"])), draw(st.one_of(number, word))]
        if draw(st.booleans()):
            argv.append("--overwrite")
        if draw(st.booleans()):
            argv[1:2] = ["--preset", draw(st.sampled_from(["west-only", "", "East-Only"]))]  # refused before a solve
        return argv
    if which == "map":
        argv = ["map", draw(path)]
        if draw(st.booleans()):
            argv += ["--column", draw(st.sampled_from(["emissions_t", "happiness", "", "it_capacity_mw"]))]
        if draw(st.booleans()):
            argv += ["-o", draw(st.sampled_from([files["file"] + "/x.png", files["empty"] + "/map.jpeg",
                                                 files["missing"] + "/deep/map.png"]))]
        return argv
    if which == "fleet":
        return ["demand", "fleet", "--accelerator", draw(word), "--count", draw(number), "--utilization", draw(number),
                *(["--power-w", draw(number)] if draw(st.booleans()) else []), "--pue", draw(number)]
    if which == "inference":
        if draw(st.booleans()):
            return ["demand", "inference", "--queries-per-day", draw(number), "--wh-per-query", draw(number)]
        return ["demand", "inference", "--queries-per-day", draw(number), "--tokens-per-query", draw(number),
                "--j-per-token", draw(number), "--pue", draw(number)]
    if which == "training":
        return ["demand", "training", "--accelerator", draw(word), "--count", draw(number), "--days", draw(number),
                "--power-w", draw(number), "--utilization", draw(number)]
    if which == "national":
        argv = ["demand", "national", "--year", draw(number), "--trajectory", draw(word), "--pue", draw(number)]
        return argv + (["-o", draw(st.sampled_from([files["file"] + "/d.csv", files["empty"]]))] if draw(st.booleans()) else [])
    if which == "datasets":
        return ["datasets", draw(st.sampled_from(["provinces.csv", "nothing.csv", "SOURCES.md", "", "--sources"]))]
    return draw(st.lists(st.one_of(word, number, st.sampled_from(["run", "map", "demand", "--set", "-o", "--debug",
                                                                  "--days", "-q", "fleet", "=", "--version"])),
                         max_size=5))


@fuzz(150)
@given(data=st.data())
def test_command_line_exits_with_a_code_and_one_line_never_a_traceback(cli_files, data):
    argv = data.draw(command(cli_files))
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # a run without -o writes ./output/<name>
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        finally:
            os.chdir(cwd)
    stderr = err.getvalue()
    event(f"{argv[:1]} exit {code}")
    assert code in (0, 1, 2, 3), (argv, code, stderr)
    assert "internal error" not in stderr, (argv, stderr)
    assert "Traceback" not in stderr or "--debug" in argv, (argv, stderr)  # --debug asks for the traceback
    if code != 0:
        errors = [line for line in stderr.splitlines() if re.match(r"siting( [\w-]+)*: error: ", line)]
        assert len(errors) == 1, (argv, stderr)

