"""The ``siting`` command line.

::

    siting run SCENARIO.yaml -o DIR      solve a scenario, write tables, summary and maps
    siting run --preset NAME -o DIR      the same for a bundled preset
    siting map DIR [--column C]          draw DIR/map_C.png (and .html) from a result folder
    siting demand fleet|inference|training|national|accelerators ...
    siting datasets [FILE] [--sources]   bundled data files and their sources
    siting presets                       the bundled scenario presets

Exit codes: 0 success, 2 bad input (:class:`~siting.errors.InputError`, or
an argument the parser refuses), 1 an infeasible scenario
(:class:`~siting.errors.InfeasibleError`, with the diagnosis of
:func:`siting.solve`), 3 any other error of the library, 130 interrupted
(Ctrl-C). An error is reported as one line ``siting: error: <reason>`` on
stderr (a diagnosis lists its causes on the lines below); ``--debug`` also
prints the traceback.

Global options (before or after the command): ``-q`` prints nothing but
errors and warnings; ``-v`` logs what the library does (the ``siting``
logger: scenario, method, model size, solver status, times; analysis runs)
to stderr, ``-vv`` every detail (DEBUG, e.g. Benders iterations).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from siting.console import log_level, log_to_stderr, print_table, say, spinner, summary_table

__all__ = ["main", "build_parser"]

EXIT_OK = 0
EXIT_INFEASIBLE = 1
EXIT_INPUT = 2
EXIT_ERROR = 3
EXIT_INTERRUPTED = 130


# ---------------------------------------------------------------- helpers
def _say(args: argparse.Namespace, text: str = "") -> None:
    """Print to stdout unless ``--quiet``."""
    say(args.quiet, text)


def _busy(args: argparse.Namespace, message: str) -> Any:
    """The spinner on stderr, unless ``--quiet`` or ``-v`` (whose log lines it would overwrite)."""
    return spinner(message, not args.quiet and not args.verbose)


def _parse_set(items: Sequence[str]) -> dict[str, Any]:
    """``["carbon_price_cny_per_t=200", ...]`` to a dict, values read as YAML scalars."""
    from siting.errors import InputError

    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--set {item!r}: expected NAME=VALUE, e.g. --set carbon_price_cny_per_t=200")
        try:
            out[key.strip()] = yaml.safe_load(value)
        except yaml.YAMLError as exc:
            raise InputError(
                f"--set {item!r}: {value!r} is not a value (a number, true/false, null or a text); "
                "quote a text that holds ':', '[' or '{'"
            ) from exc
    return out


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Create the file's folder, and report a file the command cannot write as bad input (the path it was given)."""
    from siting.errors import InputError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yield
    except OSError as exc:
        raise InputError(f"{path}: cannot write the file ({exc})") from exc


def _write_maps(
    result: Any, path: Path, column: str, quiet: bool, *, cmap: str | None = None, labels: bool = False,
    lang: str = "en",
) -> list[Path]:
    """Static map at ``path`` and, when folium is installed, ``path`` with suffix ``.html``.

    ``cmap`` (default: the column's, :data:`siting.maps.COLORMAPS`) colours both; ``labels`` and
    ``lang`` are those of the static map.
    """
    from siting import maps

    written = [maps.save(result, path, column=column, cmap=cmap, labels=labels, lang=lang)]
    try:
        fmap = maps.explore(result, column=column, cmap=cmap)
    except ImportError as exc:
        if not quiet:
            print(f"siting: note: no interactive map ({exc})", file=sys.stderr)
    else:
        html = path.with_suffix(".html")
        with _writing(html):
            fmap.save(str(html))
        written.append(html)
    return written


def _print_table(df: pd.DataFrame, args: argparse.Namespace, **kwargs: Any) -> None:
    """Print a table unless ``--quiet``, text columns left-aligned."""
    print_table(df, args.quiet, **kwargs)


# ---------------------------------------------------------------- run
def _cmd_run(args: argparse.Namespace) -> int:
    import siting

    changes = _parse_set(args.set)
    for name, value in (("resolution", args.resolution), ("representative_days", args.days)):
        if value is not None:
            changes[name] = value
    if (args.scenario is None) == (args.preset is None):
        raise siting.InputError("give a scenario YAML file or --preset NAME (one of them)")
    if args.preset is not None:
        name = changes.pop("name", None)
        scn = siting.Scenario.preset(args.preset, **changes)
        scn = scn if name is None else scn.replace(name=name)
    else:
        scn = siting.Scenario.from_yaml(args.scenario)
        if changes:
            scn = scn.replace(**changes)
    out = Path(args.output) if args.output else Path("output") / scn.name
    with _busy(args, f"solving {scn.name!r}"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        res = siting.solve(scn, solver=args.solver, time_limit=args.time_limit)
    for w in caught:
        print(f"siting: warning: {w.message}", file=sys.stderr)
    with _busy(args, "writing results"):
        res.to_dir(out, maps=False, overwrite=args.overwrite)
        written = _write_maps(res, out / "map.png", "it_capacity_mw", args.quiet) if args.maps else []
    seconds = res.timings.get("build_s", 0.0) + res.timings.get("solve_s", 0.0)  # the parts (benders_master_s, ...) are in solve_s
    _say(args, f"{scn.name}: {res.status}, solved in {seconds:.1f} s ({res.resolution}, {res.method}; "
               f"{len(scn.sites)} sites, {len(scn.demand)} demand rows)\n")
    _print_table(summary_table(res.summary), args, index=False)
    from siting.result import RESULT_FILES

    _say(args, f"\nwrote {out}/: " + ", ".join([*RESULT_FILES, "result.gpkg", *(p.name for p in written)]))
    return EXIT_OK


# ---------------------------------------------------------------- map
def _cmd_map(args: argparse.Namespace) -> int:
    import siting

    with _busy(args, "reading the result"):
        res = siting.Result.from_dir(args.dir)
    target = Path(args.output) if args.output else Path(args.dir) / f"map_{args.column}.png"
    with _busy(args, "drawing"):
        written = _write_maps(res, target, args.column, args.quiet,
                              cmap=args.cmap, labels=args.labels, lang=args.lang)
    _say(args, "wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


# ---------------------------------------------------------------- demand
def _workload_report(args: argparse.Namespace, work: Any, extra: list[tuple[str, float, str]]) -> int:
    from siting import demand

    it_mw = work.it_power_mw
    rows = [*extra, ("IT power", it_mw, "MW"), ("IT energy per day", work.energy_mwh_per_day, "MWh/day"),
            ("IT energy per year", work.energy_mwh_per_year, "MWh/yr")]
    if args.pue is not None:
        rows += [(f"facility power at PUE {args.pue:g}", demand.facility_power(it_mw, args.pue), "MW"),
                 ("facility energy per year", demand.facility_power(work.energy_mwh_per_year, args.pue), "MWh/yr")]
    _print_table(pd.DataFrame(rows, columns=["quantity", "value", "unit"]), args, index=False)
    return EXIT_OK


def _cmd_fleet(args: argparse.Namespace) -> int:
    from siting import demand

    fleet = demand.Fleet(args.accelerator, count=args.count, utilization=args.utilization, power_w=args.power_w)
    return _workload_report(args, fleet, [("power per unit", fleet.unit_power_w, "W")])


def _cmd_inference(args: argparse.Namespace) -> int:
    from siting import demand
    from siting.errors import InputError

    if args.wh_per_query is not None:
        if args.tokens_per_query is not None or args.j_per_token is not None:
            raise InputError("give --wh-per-query or --tokens-per-query with --j-per-token, not both")
        work = demand.Inference(queries_per_day=args.queries_per_day, wh_per_query=args.wh_per_query)
    elif args.tokens_per_query is not None and args.j_per_token is not None:
        work = demand.Inference.from_tokens(args.queries_per_day, args.tokens_per_query, args.j_per_token)
    else:
        raise InputError("give --wh-per-query, or --tokens-per-query and --j-per-token")
    return _workload_report(args, work, [("energy per query", work.wh_per_query, "Wh")])


def _cmd_training(args: argparse.Namespace) -> int:
    from siting import demand

    run = demand.Training(args.accelerator, count=args.count, days=args.days, power_w=args.power_w,
                          utilization=args.utilization)
    unit_w = run.power_w if run.power_w is not None else demand.accelerator_power_w(run.accelerator)
    # totals of this one run: a 14.8-day run has no "per year" (issue 15)
    rows = [("accelerators", run.count, "-"),
            ("average power per accelerator", unit_w * run.utilization, "W"),
            ("duration of the run", run.days, "days"),
            ("average IT power during the run", run.it_power_mw, "MW"),
            ("IT energy of the run", run.energy_mwh, "MWh")]
    if args.pue is not None:
        rows += [(f"average facility power at PUE {args.pue:g}", demand.facility_power(run.it_power_mw, args.pue), "MW"),
                 (f"facility energy of the run at PUE {args.pue:g}", demand.facility_power(run.energy_mwh, args.pue), "MWh")]
    _print_table(pd.DataFrame(rows, columns=["quantity", "value", "unit"]), args, index=False)
    return EXIT_OK


def _cmd_national(args: argparse.Namespace) -> int:
    from siting import demand

    twh = demand.national_demand_twh(args.year, args.trajectory)
    dem = demand.provincial_demand(args.year, preset=args.trajectory, pue=args.pue, key=args.key)
    table = dem.pivot(index="origin", columns="workload", values="it_mw")[dem["workload"].unique()]
    table["total"] = table.sum(axis=1)
    table = table.sort_values("total", ascending=False)
    table.loc["China"] = table.sum()
    _say(args, f"{args.trajectory} {args.year}: {twh:.1f} TWh/yr at PUE {args.pue:g} = "
               f"{table.loc['China', 'total']:,.0f} MW of IT load; split by {args.key} [MW of IT load]\n")
    _print_table(table, args, float_format="{:,.1f}".format)
    if args.output:
        with _writing(Path(args.output)):
            dem.to_csv(args.output, index=False)
        _say(args, f"\nwrote {args.output} (columns origin, workload, it_mw: a Scenario demand table)")
    return EXIT_OK


def _cmd_accelerators(args: argparse.Namespace) -> int:
    from siting import demand

    cat = demand.accelerators()
    _print_table(cat[["kind", "vendor", "power_w", "peak_tflops_16bit", "year", "status"]], args)
    return EXIT_OK


# ---------------------------------------------------------------- datasets, presets
def _sources_section(text: str, file: str) -> str:
    """The ``## <file>`` section of SOURCES.md."""
    lines = text.splitlines()
    start = lines.index(f"## {file}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join(lines[start:end]).strip()


def _cmd_datasets(args: argparse.Namespace) -> int:
    from siting import datasets
    from siting.errors import InputError

    files = datasets.files()
    if args.sources:
        _say(args, datasets.sources())
    elif args.file is None:
        _say(args, f"bundled data in {datasets.data_dir()}\n")
        _print_table(files, args)
        _say(args, "\n`siting datasets FILE` shows a file's sources; `siting datasets --sources` prints SOURCES.md")
    else:
        if args.file not in files.index:
            raise InputError(f"unknown dataset {args.file!r}; files are {list(files.index)}")
        text = datasets.sources()
        if f"## {args.file}" not in text.splitlines():
            raise InputError(f"{args.file}: no section in SOURCES.md")
        _say(args, _sources_section(text, args.file))
    return EXIT_OK


def _cmd_presets(args: argparse.Namespace) -> int:
    import siting

    rows = []
    for name in siting.presets():
        scn = siting.Scenario.preset(name)
        s = scn.sites
        national = s[~s["local_only"]]
        rows.append({
            "preset": name,
            "national_sites": len(national),
            "of_which_west": int((national["role"] == "west").sum()),
            "local_edge_sites": int(s["local_only"].sum()),
            "pue_caps": scn.pue_caps,
            "demand_it_mw": scn.total_demand_mw,
        })
    _print_table(pd.DataFrame(rows), args, index=False, float_format="{:,.0f}".format)
    _say(args, "\nlocal-edge sites serve only their own province; `siting run --preset NAME -o DIR` solves one")
    return EXIT_OK


# ---------------------------------------------------------------- parser
def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a finite number > 0")
    return value


def _common_options(p: argparse.ArgumentParser) -> None:
    """``-q``, ``-v`` and ``--debug`` after a command too (``siting run ... -v``)."""
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="print nothing but errors and warnings")
    p.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                   help="log what the library does to stderr (-v INFO, -vv DEBUG)")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="print the traceback of an error")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``siting`` command.

    Returns
    -------
    argparse.ArgumentParser
    """
    import siting

    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="siting",
        description="Where should China's AI compute run? Solve East-Data-West-Computing siting scenarios, "
        "compute AI power demand and browse the bundled data.",
        epilog="Run `siting COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"siting {siting.__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors and warnings")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log what the library does to stderr: -v the steps (INFO), -vv every detail (DEBUG)")
    parser.add_argument("--debug", action="store_true", help="print the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, func: Callable[[argparse.Namespace], int] | None, help: str, description: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=description, formatter_class=fmt)
        _common_options(p)
        if func is not None:
            p.set_defaults(func=func)
        return p

    presets = ", ".join(siting.presets())
    run = add(
        "run", _cmd_run, "solve a scenario and write its results",
        "Solve a scenario (a YAML file or a bundled preset) and write allocation.csv, sites.csv,\n"
        "dispatch.csv, duals.csv, summary.csv, scenario.yaml (+ its tables), map.png and map.html\n"
        "(the interactive map needs folium: pip install \"siting[interactive]\").\n\n"
        "examples:\n"
        "  siting run examples/scenarios/east-data-west-computing.yaml -o output/edwc\n"
        "  siting run --preset east-only --days 6 -o output/east\n"
        "  siting -v run --preset all-sites --set carbon_price_cny_per_t=200 -o output/carbon200",
    )
    run.add_argument("scenario", nargs="?", help="scenario YAML (recipe or complete form, see examples/scenarios)")
    run.add_argument("--preset", help=f"solve a bundled preset instead: {presets}")
    run.add_argument("-o", "--output", help="output folder (default ./output/<scenario name>)")
    run.add_argument("--overwrite", action="store_true", help="replace a result already in the output folder")
    run.add_argument("--resolution", choices=("average", "days", "hours"), help="time slicing (overrides the scenario)")
    run.add_argument("--days", type=_positive_int, help="representative days when resolution is 'days'")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="change a scenario field or shortcut, e.g. carbon_price_cny_per_t=200 or "
                          "rtt_max_ms_interactive=30 (repeatable)")
    run.add_argument("--solver", choices=("highs", "cbc"), default="highs", help="LP solver (default highs)")
    run.add_argument("--time-limit", type=_positive_float, metavar="SECONDS", help="solver time limit [s], > 0")
    run.add_argument("--no-maps", dest="maps", action="store_false", help="write the tables only")

    mp = add(
        "map", _cmd_map, "draw a map of a result folder",
        "Draw DIR/map_COLUMN.png (and map_COLUMN.html with folium) from a folder written by\n"
        "`siting run` or Result.to_dir: one file per column, so the map of one column never\n"
        "overwrites another's; the default column writes map_it_capacity_mw.png (map.png is the\n"
        "map `siting run` wrote). Nothing is re-solved: the scenario is read from scenario.yaml and\n"
        "the solution from the CSV tables, so the map shows exactly what was solved.\n\n"
        "examples:\n"
        "  siting map output/edwc --column emissions_t       # writes output/edwc/map_emissions_t.png\n"
        "  siting map output/edwc --labels --lang zh -o edwc_zh.svg",
    )
    mp.add_argument("dir", help="result folder")
    mp.add_argument("--column", default="it_capacity_mw",
                    help="sites.csv column that colours the provinces, e.g. emissions_t, green_share, "
                         "energy_cny (default it_capacity_mw)")
    mp.add_argument("-o", "--output", help="static map file, .png/.svg/.pdf (default DIR/map_COLUMN.png)")
    mp.add_argument("--cmap", metavar="NAME",
                    help="matplotlib colour map name, e.g. Reds, cividis (default: the column's: emissions red, "
                         "green share green, costs cividis, capacity and energy YlGn)")
    mp.add_argument("--labels", action="store_true", help="write the name of each built site beside it")
    mp.add_argument("--lang", choices=("en", "zh"), default="en",
                    help="language of every text of the static map (default en; zh needs a CJK font)")

    dem = add("demand", None, "AI power demand calculator",
              "Turn AI workloads into electric power, or national demand into MW by province and class.")
    dsub = dem.add_subparsers(dest="what", required=True, metavar="WHAT")

    def dadd(name: str, func: Callable[[argparse.Namespace], int], help: str, description: str) -> argparse.ArgumentParser:
        p = dsub.add_parser(name, help=help, description=description, formatter_class=fmt)
        _common_options(p)
        p.set_defaults(func=func)
        return p

    def pue_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--pue", type=float, help="also report facility power at this PUE [-]")

    fl = dadd("fleet", _cmd_fleet, "a deployed fleet of accelerators",
              "IT power of COUNT units at UTILIZATION of their rated power.\n\n"
              "example: siting demand fleet --accelerator H100 --count 10000 --utilization 0.6 --pue 1.3")
    fl.add_argument("--accelerator", help="name in `siting demand accelerators` (or give --power-w)")
    fl.add_argument("--count", type=float, required=True, help="number of units")
    fl.add_argument("--utilization", type=float, default=1.0, help="average power / rated power, (0, 1] (default 1)")
    fl.add_argument("--power-w", type=float, help="power per unit [W], overrides the catalogue")
    pue_option(fl)

    inf = dadd("inference", _cmd_inference, "a served inference load",
               "IT power of QUERIES_PER_DAY requests at WH_PER_QUERY each (or tokens x J per token).\n\n"
               "example: siting demand inference --queries-per-day 2e8 --wh-per-query 0.3")
    inf.add_argument("--queries-per-day", type=float, required=True, help="requests per day")
    inf.add_argument("--wh-per-query", type=float, help="IT energy per request [Wh]")
    inf.add_argument("--tokens-per-query", type=float, help="tokens per request (with --j-per-token)")
    inf.add_argument("--j-per-token", type=float, help="IT energy per token [J]")
    pue_option(inf)

    tr = dadd("training", _cmd_training, "a training run",
              "Totals of one run: COUNT accelerators for DAYS, its IT energy [MWh] and average power [MW]\n"
              "(and facility energy with --pue).\n\n"
              "example: siting demand training --accelerator V100 --count 10000 --days 14.8 --power-w 330 --pue 1.1")
    tr.add_argument("--accelerator", help="name in `siting demand accelerators` (or give --power-w)")
    tr.add_argument("--count", type=float, required=True, help="number of accelerators")
    tr.add_argument("--days", type=float, required=True, help="duration [days]")
    tr.add_argument("--power-w", type=float, help="average power per accelerator [W]")
    tr.add_argument("--utilization", type=float, default=1.0, help="average power / power_w, (0, 1] (default 1)")
    pue_option(tr)

    na = dadd("national", _cmd_national, "national demand by province and class",
              "China's data-center electricity in YEAR from a sourced trajectory, as MW of IT load by\n"
              "province (split by population or GDP) and workload class.\n\n"
              "example: siting demand national --year 2030 --trajectory iea-2025-base -o demand.csv")
    na.add_argument("--year", type=int, default=2030, help="calendar year (default 2030)")
    na.add_argument("--trajectory", "--preset", dest="trajectory", default="iea-2025-base",
                    help="trajectory preset: iea-2025-base (default), caict-2025, greenpeace-2019")
    na.add_argument("--pue", type=float, default=1.42, help="PUE that turns facility TWh into IT MW (default 1.42)")
    na.add_argument("--key", choices=("population", "gdp"), default="population", help="spatial split (default population)")
    na.add_argument("-o", "--output", help="also write the demand table to this CSV")

    dadd("accelerators", _cmd_accelerators, "the accelerator catalogue", "Accelerators, servers and PCs with their rated power.")

    ds = add("datasets", _cmd_datasets, "list the bundled data and its sources",
             "List the bundled data files, show the sources of one, or print the whole SOURCES.md.")
    ds.add_argument("file", nargs="?", help="a bundled file, e.g. provinces.csv: print its section of SOURCES.md")
    ds.add_argument("--sources", action="store_true", help="print the whole SOURCES.md")

    add("presets", _cmd_presets, "list the bundled scenario presets",
        "The bundled presets with their sites and demand (builds each; takes a few seconds).")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``siting`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 for bad input, 1 for an infeasible scenario, 3 for
        any other error, 130 when interrupted (see the module docstring).
    """
    from siting.errors import InfeasibleError, InputError, SitingError

    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) or an argument refused (2); argparse has printed why
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    args.quiet = getattr(args, "quiet", False)
    args.verbose = getattr(args, "verbose", 0)

    def fail(code: int, text: str) -> int:
        if args.debug:
            traceback.print_exc()
        print(f"siting: error: {text}", file=sys.stderr)
        return code

    try:
        with log_to_stderr(log_level(args.verbose, args.quiet)):
            return args.func(args)
    except InputError as exc:
        return fail(EXIT_INPUT, " ".join(str(exc).split()))
    except InfeasibleError as exc:
        return fail(EXIT_INFEASIBLE, str(exc))  # a diagnosis: one cause a line
    except SitingError as exc:
        return fail(EXIT_ERROR, " ".join(str(exc).split()))
    except BrokenPipeError:  # e.g. `siting datasets --sources | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python from flushing into the closed pipe at exit
        return EXIT_OK
    except KeyboardInterrupt:
        print("siting: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug, not bad input
        return fail(
            EXIT_ERROR,
            f"internal error ({type(exc).__name__}: {' '.join(str(exc).split())}); please report it, "
            "and rerun with --debug for the traceback",
        )


if __name__ == "__main__":
    sys.exit(main())
