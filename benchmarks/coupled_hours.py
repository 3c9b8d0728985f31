"""Benders with coupled hours: batteries, time-of-use prices, hourly green matching, corridors, curtailment.

Each case runs in a fresh process (``--case NAME`` runs one) so that peak
memory is the case's own. Prints one Markdown row per case: build and solve
time, Benders iterations, site-LP solves, the time per iteration, the
master's and the subproblems' share of the solve, the gap and peak memory;
``--direct`` adds the direct LP for the representative-day cases and the
relative difference of the objectives.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/coupled_hours.py            # every case
    PYTHONPATH=. python benchmarks/coupled_hours.py --direct   # with the direct LP at 12 days
    PYTHONPATH=. python benchmarks/coupled_hours.py --case "8760 h, batteries + TOU + 90 % hourly"
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

BATTERIES_TOU_90 = dict(storage=True, tou_tariffs=True, green_share_min=0.9, green_matching="hourly")
CASES: dict[str, tuple[str, dict]] = {
    "8760 h, flat prices (closed form)": ("hours", dict(tou_tariffs=False)),
    "8760 h, time-of-use prices (closed form)": ("hours", dict(tou_tariffs=True)),
    "8760 h, time-of-use prices + 90 % hourly (site LPs)": ("hours", dict(tou_tariffs=True, green_share_min=0.9)),
    "8760 h, batteries, flat prices": ("hours", dict(storage=True, tou_tariffs=False)),
    "8760 h, batteries + TOU + 90 % hourly": ("hours", BATTERIES_TOU_90),
    "8760 h, batteries + TOU + 90 % hourly + corridors + curtailment": (
        "hours", {**BATTERIES_TOU_90, "corridors": True, "curtailment": True}),
    "12 days, batteries": ("days", dict(storage=True, tou_tariffs=False)),
    "12 days, time-of-use prices (closed form)": ("days", dict(tou_tariffs=True)),
    "12 days, batteries + TOU + 90 % hourly": ("days", BATTERIES_TOU_90),
    "12 days, batteries + TOU + 90 % hourly + corridors + curtailment": (
        "days", {**BATTERIES_TOU_90, "corridors": True, "curtailment": True}),
}


def run_case(name: str, direct: bool) -> dict:
    import siting

    resolution, changes = CASES[name]
    scn = siting.Scenario.preset("all-sites", resolution=resolution, representative_days=12, **changes)
    t0 = time.perf_counter()
    res = siting.solve(scn, method="benders")
    total = time.perf_counter() - t0
    t = res.timings
    out = {
        "case": name, "build_s": t["build_s"], "solve_s": t["solve_s"], "total_s": total,
        "iterations": t.get("benders_iterations"), "site_lp_solves": t.get("benders_subproblem_solves", 0),
        "master_s": t.get("benders_master_s"), "subproblem_s": t.get("benders_subproblem_s"),
        "gap": t.get("benders_gap"), "objective_cny": res.objective_cny, "status": res.status,
        "battery_gwh": res.summary["battery_mwh"] / 1e3, "green_share_hourly": res.summary["green_share_hourly"],
    }
    if direct and resolution == "days":
        t0 = time.perf_counter()
        ref = siting.solve(scn, method="direct")
        out["direct_s"] = time.perf_counter() - t0
        out["vs_direct"] = res.objective_cny / ref.objective_cny - 1.0
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def row(r: dict) -> str:
    it = r["iterations"] or 0
    per_it = r["solve_s"] / it if it else float("nan")
    share = (r["master_s"] / r["solve_s"], r["subproblem_s"] / r["solve_s"]) if r["master_s"] else (float("nan"),) * 2
    direct = f" | {r['direct_s']:.1f} | {r['vs_direct']:+.1e}" if "vs_direct" in r else " | | "
    return (f"| {r['case']} | {r['build_s']:.2f} | {r['solve_s']:.1f} | {it} | {r['site_lp_solves']} | {per_it:.2f} | "
            f"{share[0]:.0%} / {share[1]:.0%} | {r['gap']:.1e} | {r['peak_mb']:,.0f} | {r['objective_cny'] / 1e9:.3f} | "
            f"{r['battery_gwh']:.1f} | {r['green_share_hourly']:.1%}{direct} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=list(CASES), help="run one case in this process and print it as JSON")
    parser.add_argument("--direct", action="store_true", help="also solve the direct LP at representative days")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.direct)))
        return
    print("| case | build [s] | solve [s] | iterations | site LPs | s / iteration | master / sites | gap | "
          "peak memory [MB] | cost [bn CNY] | batteries [GWh] | hourly green | direct [s] | vs direct |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in CASES:
        cmd = [sys.executable, __file__, "--case", name] + (["--direct"] if args.direct else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            print(f"| {name} | failed: {proc.stderr.strip().splitlines()[-1]} |")
            continue
        print(row(json.loads(proc.stdout.strip().splitlines()[-1])), flush=True)


if __name__ == "__main__":
    main()
