"""Sweep throughput: scenarios solved per minute, serial versus parallel.

Solves the same grid of ``all-sites`` scenarios (representative days) with
:func:`siting.analysis.sweep` serially, on a local process pool and, when
``dask[distributed]`` is installed, on a Dask ``LocalCluster`` through
``client.get_executor()``; prints one Markdown row per executor for
``benchmarks/README.md`` and how far the parallel tables are from the
serial one.

Run from the repository root::

    python benchmarks/sweep_throughput.py --workers 2 --days 4

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

import siting
from siting import analysis

#: 4 carbon prices [CNY/tCO2] x 4 demand scales [-] = 16 scenarios.
GRID = {"carbon_price_cny_per_t": [0.0, 100.0, 200.0, 300.0], "demand_scale": [0.8, 1.0, 1.2, 1.4]}


def _timed(label: str, scenario: siting.Scenario, executor, runs: int) -> tuple[pd.DataFrame, dict]:
    t0 = time.perf_counter()
    table = analysis.sweep(scenario, GRID, executor=executor, progress=False)
    wall = time.perf_counter() - t0
    return table, {"executor": label, "runs": runs, "wall_s": wall, "scenarios_per_min": 60.0 * runs / wall}


def _difference(a: pd.DataFrame, b: pd.DataFrame) -> dict[str, float]:
    """Largest relative difference between two sweep tables, over all outputs and over the total cost."""
    num = [c for c in a.columns if pd.api.types.is_numeric_dtype(a[c])]
    rel = ((a[num] - b[num]).abs() / a[num].abs().clip(lower=1e-9)).fillna(0.0)
    return {"all": float(rel.to_numpy().max()), "total": float(rel["cost_total_cny"].max())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="parallel workers (default 2)")
    parser.add_argument("--days", type=int, default=4, help="representative days per scenario (default 4)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    args = parser.parse_args()

    scenario = siting.Scenario.preset("all-sites", resolution="days", representative_days=args.days)
    runs = len(GRID["carbon_price_cny_per_t"]) * len(GRID["demand_scale"])
    one = siting.solve(scenario)
    print(f"{scenario!r}; one solve: build {one.timings['build_s']:.2f} s, solve {one.timings['solve_s']:.2f} s")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")

    rows = []
    serial, row = _timed("serial (in process)", scenario, "serial", runs)
    rows.append(row)
    # pool start-up (forkserver, workers importing siting) is inside the timing
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        table, row = _timed(f"ProcessPoolExecutor({args.workers})", scenario, pool, runs)
    row["wall_s"] = time.perf_counter() - t0
    row["scenarios_per_min"] = 60.0 * runs / row["wall_s"]
    rows.append(row)
    differences = {"pool": _difference(serial, table)}
    if not args.no_dask:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            print("dask.distributed not installed: Dask run skipped")
        else:
            t0 = time.perf_counter()
            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                startup = time.perf_counter() - t0
                table, row = _timed(f"Dask LocalCluster({args.workers} workers)", scenario,
                                    client.get_executor(), runs)
            row["executor"] += f" (+{startup:.1f} s cluster start-up, not timed)"
            rows.append(row)
            differences["dask"] = _difference(serial, table)
    print(f"{(serial['status'] == 'optimal').sum()} of {runs} runs optimal; largest relative difference from "
          "the serial table: " + ", ".join(f"{k} {v['all']:.1e} (cost_total_cny {v['total']:.1e})"
                                           for k, v in differences.items()))
    print()
    print("| executor | scenarios | wall time [s] | scenarios per minute | speed-up |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['executor']} | {r['runs']} | {r['wall_s']:.1f} | {r['scenarios_per_min']:.1f} | "
              f"{rows[0]['wall_s'] / r['wall_s']:.2f}x |")


if __name__ == "__main__":
    main()
