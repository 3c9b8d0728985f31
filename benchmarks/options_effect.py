"""What the model options change in the East vs West answer (README, headline).

Solves ``east-only`` and ``east-data-west-computing`` with 12 representative
days of weather year 0 (the presets' resolution) for the presets as they
are (time-of-use tariffs on), without time-of-use tariffs, with one option
added at a time (batteries, UHV corridors, absorbing curtailed wind and
solar; batteries also with flat prices), with all three together, and with
a national 80 % green share met hour by hour (on the preset and on all
options together). Prints a Markdown table of cost and emissions of both
plans and their difference, and the solve time of every run. A run whose
Benders solve fails is solved again as the direct LP and marked ``*``.

Run from the repository root::

    python benchmarks/options_effect.py                  # prints the table
    python benchmarks/options_effect.py -o options.csv   # also writes every run

Each run is solved in a local process pool (one worker per CPU, one solver
thread each).
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pandas as pd

import siting

SCENARIOS = ("east-only", "east-data-west-computing")
DAYS = 12
WEATHER_YEAR = 0
ALL = {"storage": True, "corridors": True, "curtailment": True}
GREEN = {"green_share_min": 0.8, "green_matching": "hourly"}
#: label -> changes to the preset (time-of-use tariffs are on in the presets)
CONFIGS: dict[str, dict[str, Any]] = {
    "preset (time-of-use tariffs on)": {},
    "tou_tariffs=False (flat prices)": {"tou_tariffs": False},
    "+ storage": {"storage": True},
    "+ storage, flat prices": {"storage": True, "tou_tariffs": False},
    "+ corridors": {"corridors": True},
    "+ curtailment": {"curtailment": True},
    "+ storage, corridors, curtailment": ALL,
    "preset + 80 % green, hourly": GREEN,
    "all three + 80 % green, hourly": {**ALL, **GREEN},
}


@functools.lru_cache(maxsize=None)
def preset(name: str) -> siting.Scenario:
    """The preset at this benchmark's resolution (built once per process)."""
    return siting.Scenario.preset(name, resolution="days", representative_days=DAYS, weather_year=WEATHER_YEAR)


def solve(run: tuple[str, str]) -> dict[str, Any]:
    """Solve one (config, scenario) run; an infeasible one is reported, not dropped."""
    config, name = run
    scn = preset(name).replace(**CONFIGS[config])
    t0 = time.perf_counter()
    row: dict[str, Any] = {"config": config, "scenario": name}
    try:
        try:
            res = siting.solve(scn, threads=1)
        except siting.InfeasibleError:
            raise
        except Exception as exc:  # a Benders failure: said in the table, and the direct LP solves it
            row["error"] = f"benders: {type(exc).__name__}: {exc}"
            res = siting.solve(scn, method="direct", threads=1)
    except siting.InfeasibleError as exc:
        row.update(status="infeasible", error=str(exc).splitlines()[0])
    except Exception as exc:  # a solver failure: reported in the table as "error", the other runs go on
        row.update(status="error", error=f"{type(exc).__name__}: {exc}")
    else:
        s = res.summary
        row.update(
            status=res.status, resolution=f"{res.resolution} ({res.method})", method=res.method,
            cost_bn_cny=s["cost_total_cny"] / 1e9, emissions_mt=s["emissions_t"] / 1e6,
            green_share_hourly=s["green_share_hourly"], west_share=s["west_share"],
            moved_watts_twh=s["moved_watts_mwh"] / 1e6, battery_mwh=s["battery_mwh"],
            curtailment_absorbed_twh=s["curtailment_absorbed_mwh"] / 1e6,
        )
    row["seconds"] = time.perf_counter() - t0
    return row


def table(runs: pd.DataFrame) -> str:
    """The Markdown table of the README: cost and emissions of both plans per configuration."""
    lines = [
        "| options | cost, east only [bn CNY/yr] | cost, EDWC [bn CNY/yr] | EDWC − east | "
        "emissions, east only [Mt/yr] | emissions, EDWC [Mt/yr] | EDWC − east |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for config in CONFIGS:
        east, edwc = (runs[(runs["config"] == config) & (runs["scenario"] == n)].iloc[0] for n in SCENARIOS)
        cells = [config]
        for key in ("cost_bn_cny", "emissions_mt"):
            a, b = east.get(key, float("nan")), edwc.get(key, float("nan"))
            cells += [_num(a, east), _num(b, edwc)]
            cells.append(f"{b - a:+.1f} ({100 * (b - a) / a:+.1f} %)" if pd.notna(a) and pd.notna(b) else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _num(value: float, row: pd.Series) -> str:
    """A value to one decimal, ``*`` if Benders failed and the direct LP solved it; else the status."""
    if pd.isna(value):
        return str(row["status"])
    return f"{value:.1f}" + ("*" if str(row.get("error", "")).startswith("benders") else "")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", help="CSV file for every run")
    args = parser.parse_args(argv)
    runs = [(config, name) for config in CONFIGS for name in SCENARIOS]
    # the slowest (batteries) first, so that the workers finish together
    order = sorted(range(len(runs)), key=lambda i: "storage" not in CONFIGS[runs[i][0]])
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    t0 = time.perf_counter()
    workers = min(os.cpu_count() or 1, len(runs))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        done = dict(zip(order, pool.map(solve, [runs[i] for i in order])))
    wall = time.perf_counter() - t0
    frame = pd.DataFrame([done[i] for i in range(len(runs))])
    if args.output:
        frame.to_csv(args.output, index=False)
    first = frame.dropna(subset=["resolution"]).iloc[0]
    print(f"every run: {first['resolution']}; {len(runs)} solves in {wall:.0f} s "
          f"on {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f})\n")
    print(table(frame))
    print()
    failed = frame[frame["error"].notna()] if "error" in frame else frame.iloc[:0]
    for _, run in failed.iterrows():
        print(f"{run['scenario']}, {run['config']}: {run['status']} ({run['error']})")
    if len(failed):
        print("*: Benders failed; solved as the direct LP (method='direct')\n")
    with pd.option_context("display.width", 200, "display.float_format", "{:,.3f}".format):
        print(frame.drop(columns=[c for c in ("resolution", "error") if c in frame]).to_string(index=False))


if __name__ == "__main__":
    main()
