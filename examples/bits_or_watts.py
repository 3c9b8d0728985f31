"""Bits or watts: compute in the west and send the answers east, or send western power east?

East Data, West Computing (东数西算) moves *bits*: the compute is built in
the west, next to cheap wind and solar, and the results travel east over
fibre. West-to-East Power Transmission (西电东送) moves *watts*: the compute
stays in the east, next to its users, and new western solar and wind are
contracted and delivered over the UHV lines, with their losses and
transmission tariffs, within each line's usable capacity in every hour. This
example serves the same national demand (China 2030, IEA base case, 22.3 GW
of IT load) in five ways:

- ``east-only``: eastern sites, no corridors (the baseline: neither);
- ``bits``: the East Data, West Computing preset, corridors off;
- ``watts``: eastern sites only, with ``corridors=True``;
- ``both``: East Data, West Computing with ``corridors=True``;
- ``all-sites``: every candidate site, with ``corridors=True``;

each without and with ``curtailment=True`` (sites may also absorb the wind
and solar their own province curtails today, at
``curtailed_energy_price_cny_per_kwh``). In every case each provincial
capital stays available as a local edge site, so the 20 ms interactive class
stays feasible everywhere. "Moved bits" is the IT energy served outside its
origin's region (east, central, west, northeast), "moved watts" the energy
delivered over the corridors; the losses are what was sent minus what was
delivered.

All 10 solves use 12 representative days of weather year 0 (the presets'
resolution), in a local process pool; 1-2 minutes on 2 cores, the maps
included (65 s on a shared 2-core machine). Several inputs of the corridors (the usable share of each line for
new contracts) and of curtailment (where in the year it falls) are
estimates: see ``datasets/SOURCES.md``.

Usage::

    python examples/bits_or_watts.py [output_folder]   # default ./output/bits_or_watts

Writes ``bits_or_watts.csv`` (one row per case and curtailment setting),
``bits_or_watts.png`` (bar chart), ``map_<case>.png`` (one map per case,
without curtailment; corridors drawn as lines), ``map_both_curtailment.png``
(the curtailed energy absorbed by province, ``both`` with curtailment) and
``maps.png`` (the four cases that move something, side by side).
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import matplotlib

matplotlib.use("Agg")  # draw to files, no window
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import siting  # noqa: E402
from siting import maps  # noqa: E402

#: Representative days of every run (the presets' own resolution).
DAYS = 12
WEATHER_YEAR = 0


class Case(NamedTuple):
    """One way of serving the demand: a preset and whether corridors are allowed."""

    name: str
    preset: str
    corridors: bool
    label: str


CASES = (
    Case("east-only", "east-only", False, "east only (neither)"),
    Case("bits", "east-data-west-computing", False, "(a) moving bits: EDWC"),
    Case("watts", "east-only", True, "(b) moving watts: east + corridors"),
    Case("both", "east-data-west-computing", True, "(c) both: EDWC + corridors"),
    Case("all-sites", "all-sites", True, "all sites + corridors"),
)
CURTAILMENT = (False, True)


@functools.lru_cache(maxsize=None)
def preset(name: str) -> siting.Scenario:
    """The preset at this example's resolution (built once per process)."""
    return siting.Scenario.preset(name, resolution="days", representative_days=DAYS, weather_year=WEATHER_YEAR)


def solve(run: tuple[Case, bool]) -> tuple[siting.Result, float]:
    """Solve one case with or without curtailment; return the result and the seconds it took."""
    case, curtailment = run
    t0 = time.perf_counter()
    scn = preset(case.preset).replace(name=case.name, corridors=case.corridors, curtailment=curtailment)
    return siting.solve(scn, threads=1), time.perf_counter() - t0


def solve_all(runs: list[tuple[Case, bool]]) -> list[tuple[siting.Result, float]]:
    """Solve the runs in a local process pool (one worker per CPU), in the order given."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    workers = min(os.cpu_count() or 1, len(runs))
    # the slowest (corridors and curtailment) first, so that the workers finish together
    order = sorted(range(len(runs)), key=lambda i: -(runs[i][0].corridors + runs[i][1]))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        done = dict(zip(order, pool.map(solve, [runs[i] for i in order])))
    return [done[i] for i in range(len(runs))]


def row(case: Case, curtailment: bool, res: siting.Result) -> dict[str, Any]:
    """The table row of one result, in readable units (bn CNY, Mt, TWh, %)."""
    s = res.summary
    lines = res.corridors if res.corridors is not None else pd.DataFrame()
    sent = float(lines["sent_mwh"].sum()) if "sent_mwh" in lines else 0.0
    delivered = float(lines["delivered_mwh"].sum()) if "delivered_mwh" in lines else 0.0
    return {
        "case": case.name,
        "label": case.label,
        "preset": case.preset,
        "corridors": case.corridors,
        "curtailment": curtailment,
        "status": res.status,
        "cost_bn_cny": s["cost_total_cny"] / 1e9,
        "emissions_mt": s["emissions_t"] / 1e6,
        "green_share_hourly_pct": 100 * s["green_share_hourly"],
        "west_share_pct": 100 * s["west_share"],
        "moved_bits_twh": s["moved_bits_mwh"] / 1e6,
        "moved_watts_twh": s["moved_watts_mwh"] / 1e6,
        "corridor_sent_twh": sent / 1e6,
        "corridor_delivered_twh": delivered / 1e6,
        "transmission_loss_twh": s["transmission_loss_mwh"] / 1e6,
        "curtailment_absorbed_twh": s["curtailment_absorbed_mwh"] / 1e6,
        "curtailment_absorbed_share_pct": 100 * s["curtailment_absorbed_share"],
        "cost_corridor_bn_cny": s["cost_corridor_cny"] / 1e9,
        "cost_curtailment_bn_cny": s["cost_curtailment_cny"] / 1e9,
    }


def bar_chart(table: pd.DataFrame, path: Path) -> None:
    """Cost, emissions, hourly green share and energy moved per case, without and with curtailment."""
    panels = [
        ("cost_bn_cny", "total cost [bn CNY/yr]"),
        ("emissions_mt", "emissions [Mt CO2/yr]"),
        ("green_share_hourly_pct", "hourly green share [%]"),
    ]
    names = [c.name for c in CASES]
    x = np.arange(len(names))
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), layout="constrained")
    for ax, (column, title) in zip(axes.flat, panels):
        for k, curtailment in enumerate(CURTAILMENT):
            part = table[table["curtailment"] == curtailment].set_index("case").loc[names, column]
            bars = ax.bar(x + (k - 0.5) * 0.38, part, 0.38, color="#4c72b0" if not curtailment else "#55a868",
                          label="with curtailment absorbed" if curtailment else "without curtailment")
            ax.bar_label(bars, fmt="%.1f", fontsize=7, padding=1)
        low = table[column].min()
        ax.set_ylim(0.9 * low if column != "green_share_hourly_pct" else 0, 1.04 * table[column].max())
        ax.set_title(title)
        ax.set_xticks(x, names)
        ax.grid(axis="y", alpha=0.3)
    axes.flat[0].legend(fontsize=8, loc="lower left")
    # energy moved, without curtailment: bits and watts side by side, losses on top of the watts
    ax = axes.flat[3]
    base = table[~table["curtailment"]].set_index("case").loc[names]
    ax.bar(x - 0.19, base["moved_bits_twh"], 0.38, color="#8172b2",
           label="moved bits (IT energy served in another region)")
    ax.bar(x + 0.19, base["moved_watts_twh"], 0.38, color="#dd8452", label="moved watts (delivered over corridors)")
    ax.bar(x + 0.19, base["transmission_loss_twh"], 0.38, bottom=base["moved_watts_twh"], color="#c44e52",
           label="transmission losses")
    ax.set_title("energy moved, without curtailment [TWh/yr]")
    ax.set_xticks(x, names)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    fig.suptitle(f"Bits or watts: China 2030, 22.3 GW of IT load "
                 f"({DAYS} representative days, weather year {WEATHER_YEAR})")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output/bits_or_watts", help="output folder")
    out_dir = Path(parser.parse_args(argv).output)
    out_dir.mkdir(parents=True, exist_ok=True)

    # 1. Every case without and with curtailment, in a process pool.
    t0 = time.perf_counter()
    runs = [(case, curtailment) for case in CASES for curtailment in CURTAILMENT]
    solved = solve_all(runs)
    results = {(case.name, curtailment): res for (case, curtailment), (res, _) in zip(runs, solved)}
    first = solved[0][0]
    print(f"every run: {first.resolution} ({first.method}); {len(runs)} solves in "
          f"{time.perf_counter() - t0:.0f} s (each {min(s for _, s in solved):.0f}-{max(s for _, s in solved):.0f} s)")

    # 2. The table, printed and as CSV.
    table = pd.DataFrame([row(case, curtailment, results[case.name, curtailment]) for case, curtailment in runs])
    table.to_csv(out_dir / "bits_or_watts.csv", index=False)
    shown = table.drop(columns=["label", "preset", "corridor_sent_twh", "corridor_delivered_twh"]).rename(columns={
        "cost_bn_cny": "cost [bn CNY]", "emissions_mt": "CO2 [Mt]", "green_share_hourly_pct": "green h [%]",
        "west_share_pct": "west [%]", "moved_bits_twh": "bits [TWh]", "moved_watts_twh": "watts [TWh]",
        "transmission_loss_twh": "loss [TWh]", "curtailment_absorbed_twh": "curt. [TWh]",
        "curtailment_absorbed_share_pct": "curt. [%]", "cost_corridor_bn_cny": "corr. [bn CNY]",
        "cost_curtailment_bn_cny": "curt. [bn CNY]",
    })
    with pd.option_context("display.width", 250, "display.float_format", "{:,.2f}".format):
        print("\n" + shown.to_string(index=False))

    cost = table.set_index(["case", "curtailment"])["cost_bn_cny"]
    print(f"\nwithout curtailment: moving bits {cost['bits', False]:,.1f}, moving watts {cost['watts', False]:,.1f}, "
          f"both {cost['both', False]:,.1f} bn CNY/yr (east only, neither: {cost['east-only', False]:,.1f}); "
          f"absorbing curtailment saves {cost['both', False] - cost['both', True]:,.1f} bn CNY/yr in 'both'.")

    # 3. Figures: the bar chart, one map per case, the four cases that move something side by side.
    bar_chart(table, out_dir / "bits_or_watts.png")
    for case in CASES:
        res = results[case.name, False]
        maps.save(res, out_dir / f"map_{case.name}.png", dpi=110, title=f"{case.label}: IT capacity [MW]")
    maps.save(results["both", True], out_dir / "map_both_curtailment.png", dpi=110,
              column="curtailment_absorbed_mwh", title="(c) both, with curtailment: curtailed energy absorbed [MWh]")
    moving = [c for c in CASES if c.name != "east-only"]
    # one colour scale for the four maps: the largest province's IT capacity in any of them
    vmax = max(results[c.name, False].sites.groupby("province")["it_capacity_mw"].sum().max() for c in moving)
    fig, axes = plt.subplots(2, 2, figsize=(18, 14), layout="constrained")
    for ax, case in zip(axes.flat, moving):
        # the legends (colour bar, sites, flows, corridors) once, on the map with both bits and watts
        maps.plot(results[case.name, False], ax=ax, title=case.label, vmin=0, vmax=vmax, legend=case.name == "both")
    fig.savefig(out_dir / "maps.png", dpi=80)
    plt.close(fig)
    print(f"\nwrote {out_dir}/bits_or_watts.csv, bits_or_watts.png, maps.png and "
          f"{len(CASES) + 1} maps (map_<case>.png) in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
