"""Time :func:`siting.weather.profiles` for the 41 bundled sites and 500 user locations.

Run from the repository root: ``python benchmarks/weather_profiles.py``.

Reports the first call of the process (which also reads the MERRA-2
clearness table, pvlib's altitude and Linke-turbidity maps and the province
outline) and the best of three later calls, wall-clock and CPU time, plus
the machine's load average, since the 2-CPU development VM is often shared.
The 500 locations are the bundled sites resampled and moved by up to
+-0.3 deg, so they spread over every province with bundled sites.
"""

from __future__ import annotations

import os
import resource
import time

import numpy as np
import pandas as pd

import siting.datasets as ds
from siting.weather import profiles

REPEATS = 3


def user_locations(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` locations near the bundled sites, with their provinces."""
    base = ds.sites()[["lat", "lon", "province"]]
    rng = np.random.default_rng(seed)
    out = base.sample(n, replace=True, random_state=seed).reset_index(drop=True)
    out["lat"] += rng.uniform(-0.3, 0.3, n)
    out["lon"] += rng.uniform(-0.3, 0.3, n)
    out.index = pd.Index([f"user{i}" for i in range(n)], name="location")
    return out


def timed(locations: pd.DataFrame) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    profiles(locations)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    cases = {"41 bundled sites": ds.sites()[["lat", "lon", "province"]], "500 user locations": user_locations(500)}
    rows = [("first call, 41 bundled sites", *timed(cases["41 bundled sites"]))]
    for name, locs in cases.items():
        runs = [timed(locs) for _ in range(REPEATS)]
        best = min(runs)
        rows.append((f"{name}, best of {REPEATS}", best[0], best[1]))
    print(f"load average {os.getloadavg()[0]:.2f}; peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print("| case | wall [s] | CPU [s] |")
    print("|---|---:|---:|")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
