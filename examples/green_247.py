"""Green power hour by hour: what does 24/7 matching cost over annual matching?

China's hub data centers must use at least 80 % green electricity (2024
action plan). The target can be met on paper, over the year, with green
certificates (绿证) on top of contracted solar and wind and the grid's
renewable part (``green_matching="annual"``), or for real, hour by hour,
with contracted supply, stored green energy and the grid's renewable part
(``green_matching="hourly"``). This example prices the difference, as 24/7
carbon-free-energy studies do, for China 2030 (IEA base case, 22.3 GW of IT
load):

- national green-share targets of 80, 90, 95 and 100 %, each met hourly and
  annually, and the same configuration without a target;
- ``east-data-west-computing`` and ``east-only``;
- without and with a battery at every site (``storage=True``: power and
  energy sized by the LP, charged from surplus solar and wind or from the
  grid at the hour's time-of-use price);
- 0, 20 or 40 % of every origin's demand flexible in time. The bundled
  ``batch`` class (40 % of demand, no RTT limit) is made inflexible (a flat
  load) and that share of every origin's demand is moved from it into a
  class ``flexible_batch`` with no RTT limit and ``flexible=True``, so only
  the freedom in time changes, not where the load may go; 40 % flexible is
  the presets' own split.

The premium of hourly over annual matching at a target is
(cost with the hourly target − cost with the same annual target) / facility
energy [CNY/MWh]; each cost is also given against the configuration without
a target. The facility energy is that of the configuration without a target
(the siting, hence the PUE, moves it by under 1 %). A target that no
allocation can meet hour by hour (contracted solar and wind are capped at
a share of each province's potential) is reported as ``infeasible``.

Every solve uses 3 representative days of weather year 0 (the battery's
state of charge is cyclic within each day; 3 days, not the presets' 12, so
that the 108 cases run in a few minutes), in a local process pool, one
solver thread per worker. An hourly target above one that is infeasible is
not solved again: it is reported ``infeasible`` with the reason "implied"
(a higher target only adds to what the lower one could not meet), which
leaves 84 solves, about 260 s of CPU (2-3 minutes on 2 idle cores). At 3
days the preset's cost is 0.6 % (without batteries) to 0.9 % (with) below
its cost at 12 days; the premium is a difference of two costs at the same
resolution.

Usage::

    python examples/green_247.py [output_folder]   # default ./output/green_247

Writes ``green_247.csv`` (one row per scenario, battery, flexible share and
target), ``green_247_runs.csv`` (one row per case: status, the reason of an
infeasible one, cost, green shares, battery and certificates, seconds) and
``green_247.png`` (the premium against the target, one line per
configuration).
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, NamedTuple

import matplotlib

matplotlib.use("Agg")  # draw to files, no window
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import siting  # noqa: E402

SCENARIOS = ("east-data-west-computing", "east-only")
LABELS = {"east-data-west-computing": "East Data, West Computing", "east-only": "east only"}
TARGETS = (0.80, 0.90, 0.95, 1.00)  # national green share of facility energy
FLEXIBLE_SHARES = (0.0, 0.2, 0.4)  # share of every origin's demand that may move in time
STORAGE = (False, True)
#: Representative days of every run: 84 solves, about 260 s of CPU.
DAYS = 3
FLEXIBLE_CLASS = "flexible_batch"
#: The class the flexible share is taken from (no RTT limit, 40 % of demand in the presets).
SOURCE_CLASS = "batch"


class Case(NamedTuple):
    """One solve: a configuration and its green matching (target None: no target)."""

    scenario: str
    storage: bool
    flexible: float
    matching: str
    target: float | None


@functools.cache
def base_scenario(name: str) -> siting.Scenario:
    """The preset at this example's resolution (built once per process)."""
    return siting.Scenario.preset(name, resolution="days", representative_days=DAYS)


def with_flexible_share(scn: siting.Scenario, share: float) -> siting.Scenario:
    """``scn`` with ``share`` of every origin's demand in a flexible class, the rest of ``batch`` inflexible.

    The flexible share is taken out of the ``batch`` class (no RTT limit,
    flat load profile), which becomes inflexible; the new class
    ``flexible_batch`` has no RTT limit either and needs no load profile.

    Raises
    ------
    ValueError
        If an origin's ``batch`` demand is smaller than ``share`` of its demand.
    """
    dem = scn.demand.copy()
    total = dem.groupby("origin")["it_mw"].transform("sum")
    moved = share * total
    is_batch = dem["workload"] == SOURCE_CLASS
    short = is_batch & (dem["it_mw"] < moved - 1e-9)
    if short.any():
        raise ValueError(f"{dem.loc[short, 'origin'].iloc[0]}: batch demand is below {share:.0%} of its demand")
    flexible = dem[is_batch].assign(workload=FLEXIBLE_CLASS, it_mw=moved[is_batch])
    left = dem.loc[is_batch, "it_mw"] - moved[is_batch]
    dem.loc[is_batch, "it_mw"] = left.where(left > 1e-9 * total[is_batch], 0.0)  # no round-off left over
    workloads = scn.workloads.copy()
    workloads.loc[SOURCE_CLASS, "flexible"] = False
    row = workloads.loc[SOURCE_CLASS].copy()
    row["flexible"] = True
    row["rtt_max_ms"] = np.nan
    if "share" in row:
        row["share"] = share
    if "description" in row:
        row["description"] = "the flexible share of demand: no RTT limit, movable in time"
    workloads.loc[FLEXIBLE_CLASS] = row
    if "share" in workloads:
        workloads.loc[SOURCE_CLASS, "share"] = workloads.loc[SOURCE_CLASS, "share"] - share
    return scn.replace(workloads=workloads, demand=pd.concat([dem, flexible], ignore_index=True))


def solve_case(case: Case) -> dict[str, Any]:
    """Solve one case; an infeasible target or a failed solve is reported, never dropped."""
    t0, cpu0 = time.perf_counter(), time.process_time()
    scn = with_flexible_share(base_scenario(case.scenario), case.flexible).replace(
        storage=case.storage, green_matching=case.matching, green_share_min=case.target
    )
    out: dict[str, Any] = {**case._asdict()}
    try:
        res = siting.solve(scn, threads=1)  # one solver thread per worker, one worker per core
    except siting.InfeasibleError as exc:
        out.update(status="infeasible", error=str(exc).splitlines()[-1].strip(" -"))
    except Exception as exc:  # a solver failure: reported in the table as "error"
        out.update(status="error", error=f"{type(exc).__name__}: {exc}")
    else:
        s = res.summary
        out.update(
            status=res.status, resolution=f"{res.resolution} ({res.method})", cost_cny=s["cost_total_cny"],
            energy_mwh=s["energy_mwh"], green_share_hourly=s["green_share_hourly"],
            green_share_annual=s["green_share_annual"], battery_mwh=s["battery_mwh"],
            certificate_mwh=s["certificate_mwh"],
        )
    out["seconds"] = time.perf_counter() - t0
    out["cpu_seconds"] = time.process_time() - cpu0  # the solver runs in this process, on one thread
    return out


def cases() -> tuple[list[Case], list[list[Case]]]:
    """The independent solves, and per configuration the chain of its hourly targets, lowest first.

    A chain stops at its first infeasible target: a higher hourly target
    only adds to what the lower one already could not meet.
    """
    single, chains = [], []
    for name in SCENARIOS:
        for storage in STORAGE:
            for flexible in FLEXIBLE_SHARES:
                single.append(Case(name, storage, flexible, "hourly", None))
                single += [Case(name, storage, flexible, "annual", t) for t in TARGETS]
                chains.append([Case(name, storage, flexible, "hourly", t) for t in TARGETS])
    return single, chains


def implied_infeasible(case: Case, by: Case) -> dict[str, Any]:
    """The row of an hourly target not solved because a lower one (``by``) is already infeasible."""
    return {**case._asdict(), "status": "infeasible", "seconds": 0.0, "cpu_seconds": 0.0,
            "error": f"implied: the hourly target {by.target:.0%} is already infeasible"}


def solve_all() -> pd.DataFrame:
    """Solve every case in a local process pool (one worker per CPU); one row per case.

    The chains of hourly targets go first, slowest (with batteries) first,
    each chain's next target as soon as the previous one is solved, so that
    the workers finish together.
    """
    single, chains = cases()
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    workers = os.cpu_count() or 1
    # (priority, case, rest of its chain): lower priority first
    queue = [(0 if c[0].storage else 1, c[0], c[1:]) for c in chains]
    queue += [(2 if c.storage else 3, c, []) for c in single]
    rows: list[dict[str, Any]] = []
    running: dict[Future, tuple[Case, list[Case]]] = {}
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        while queue or running:
            queue.sort(key=lambda item: item[0])
            while queue and len(running) < workers:
                _, case, rest = queue.pop(0)
                running[pool.submit(solve_case, case)] = (case, rest)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                case, rest = running.pop(future)
                row = future.result()
                rows.append(row)
                if rest and row["status"] == "infeasible":
                    rows += [implied_infeasible(later, case) for later in rest]
                elif rest:
                    queue.append((-1, rest[0], rest[1:]))  # a started chain goes on first
    return pd.DataFrame(rows)


def premium_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per configuration and target: hourly and annual cost, their premium, each against no target.

    Money in bn CNY/yr; ``*_cny_per_mwh`` per MWh of facility energy of the
    configuration without a target. Costs of runs that failed are NaN and
    their status says why.
    """
    keys = ["scenario", "storage", "flexible"]
    none = runs[runs["target"].isna()].set_index(keys)
    rows = []
    for (name, storage, flexible), group in runs[runs["target"].notna()].groupby(keys, sort=False):
        ref = none.loc[(name, storage, flexible)]
        energy = ref["energy_mwh"] if ref["status"] != "infeasible" and np.isfinite(ref["energy_mwh"]) else np.nan
        for target, pair in group.groupby("target"):
            hourly = pair[pair["matching"] == "hourly"].iloc[0]
            annual = pair[pair["matching"] == "annual"].iloc[0]
            if not np.isfinite(energy):  # no no-target run: the hourly run's energy
                energy = hourly["energy_mwh"]
            rows.append({
                "scenario": name, "storage": bool(storage), "flexible_pct": round(100 * flexible),
                "target_pct": round(100 * target),
                "hourly_status": hourly["status"], "annual_status": annual["status"],
                "no_target_cost_bn_cny": ref["cost_cny"] / 1e9,
                "annual_cost_bn_cny": annual["cost_cny"] / 1e9,
                "hourly_cost_bn_cny": hourly["cost_cny"] / 1e9,
                "annual_extra_cny_per_mwh": (annual["cost_cny"] - ref["cost_cny"]) / energy,
                "hourly_extra_cny_per_mwh": (hourly["cost_cny"] - ref["cost_cny"]) / energy,
                "premium_cny_per_mwh": (hourly["cost_cny"] - annual["cost_cny"]) / energy,
                "facility_energy_twh": energy / 1e6,
                "annual_certificates_twh": annual["certificate_mwh"] / 1e6,
                "annual_hourly_green_share_pct": 100 * annual["green_share_hourly"],
                "hourly_battery_gwh": hourly["battery_mwh"] / 1e3,
                "annual_battery_gwh": annual["battery_mwh"] / 1e3,
                "hourly_error": hourly["error"] if isinstance(hourly["error"], str) else "",
            })
    order = {name: i for i, name in enumerate(SCENARIOS)}
    table = pd.DataFrame(rows)
    return table.sort_values(["scenario", "storage", "flexible_pct", "target_pct"], ascending=[True, False, True, True],
                             key=lambda col: col.map(order) if col.name == "scenario" else col, ignore_index=True)


def configuration(row: pd.Series) -> str:
    """A configuration in words, for the table and the legend."""
    return f"{LABELS[row['scenario']]}, {'battery' if row['storage'] else 'no battery'}, {row['flexible_pct']} % flexible"


def cell(value: float, status: str, fmt: str) -> str:
    """A number of the printed table, or why there is none."""
    if status not in ("optimal", "time_limit"):
        return status
    return fmt.format(round(value, 1) + 0.0) + ("*" if status == "time_limit" else "")  # + 0.0: no "-0.0"


def plot(table: pd.DataFrame, path: Path) -> None:
    """Premium of hourly over annual matching against the target, one line per configuration.

    An hourly target no allocation meets is a cross in the band at the top
    (x with a battery, + without), in the colour and at the offset of its
    configuration.
    """
    fig, axes = plt.subplots(1, len(SCENARIOS), figsize=(11, 4.6), sharey=True, layout="constrained")
    colours = dict(zip((round(100 * f) for f in FLEXIBLE_SHARES), ("tab:red", "tab:orange", "tab:green")))
    feasible = table["hourly_status"].isin(("optimal", "time_limit"))
    top = max(float(table.loc[feasible, "premium_cny_per_mwh"].max()), 1.0) if feasible.any() else 1.0
    band = (1.12 * top, 1.3 * top)
    configs = list(table.groupby(["storage", "flexible_pct"], sort=False).groups)
    for ax, name in zip(axes, SCENARIOS):
        part = table[table["scenario"] == name]
        ax.axhspan(*band, color="0.92", zorder=0)
        ax.text(77.5, band[1] - 0.02 * top, "hourly target infeasible (x with battery, + without)", fontsize=8,
                color="0.3", va="top")
        for k, ((storage, flexible), line) in enumerate(part.groupby(["storage", "flexible_pct"], sort=False)):
            ok = line[line["hourly_status"].isin(("optimal", "time_limit"))]
            label = f"{'battery' if storage else 'no battery'}, {flexible} % flexible"
            style = {"color": colours[flexible], "markersize": 5}
            ax.plot(ok["target_pct"], ok["premium_cny_per_mwh"], "o-" if storage else "s--", label=label, **style)
            bad = line[line["hourly_status"] == "infeasible"]
            offset = 0.35 * (configs.index((storage, flexible)) - (len(configs) - 1) / 2)
            ax.plot(bad["target_pct"] + offset, np.full(len(bad), band[0] + 0.3 * (band[1] - band[0])),
                    "x" if storage else "+", mew=1.6, **style)
        ax.set_title(LABELS[name])
        ax.set_xlabel("national green-share target, hourly vs. annual matching [%]")
        ax.set_xticks([round(100 * t) for t in TARGETS])
        ax.set_xlim(77, 102)
        ax.set_ylim(-0.05 * top, band[1])
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("premium of hourly over annual matching\n[CNY per MWh of facility energy]")
    axes[0].legend(fontsize=8, loc="center left", bbox_to_anchor=(0.0, 0.55))
    fig.suptitle(f"China 2030: the cost of hourly (24/7) over annual green matching ({DAYS} representative days)")
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output/green_247", help="output folder")
    out_dir = Path(parser.parse_args(argv).output)
    out_dir.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    runs = solve_all()
    runs.to_csv(out_dir / "green_247_runs.csv", index=False)
    resolution = runs["resolution"].dropna()
    solved = int((runs["seconds"] > 0).sum())
    print(f"{solved} solves in {time.perf_counter() - t0:.0f} s ({runs['cpu_seconds'].sum():.0f} s of CPU); every run: "
          f"{resolution.iloc[0].split(' (')[0] if len(resolution) else f'{DAYS} representative days'} "
          f"({', '.join(sorted({r.split('(')[1].rstrip(')') for r in resolution}))})\n")
    table = premium_table(runs)
    table.to_csv(out_dir / "green_247.csv", index=False)

    view = table.assign(configuration=table.apply(configuration, axis=1))
    order = list(dict.fromkeys(view["configuration"]))
    premium = view.pivot(index="configuration", columns="target_pct", values="premium_cny_per_mwh")
    status = view.pivot(index="configuration", columns="target_pct", values="hourly_status")
    annual_status = view.pivot(index="configuration", columns="target_pct", values="annual_status")
    shown = pd.DataFrame(index=order)
    shown["no target [bn CNY]"] = view.groupby("configuration")["no_target_cost_bn_cny"].first().map("{:,.1f}".format)
    for t in premium.columns:
        hourly = view[view["target_pct"] == t].set_index("configuration")
        shown[f"{t} % hourly/annual [bn]"] = [
            f"{cell(hourly.at[c, 'hourly_cost_bn_cny'], status.at[c, t], '{:,.1f}')}"
            f" / {cell(hourly.at[c, 'annual_cost_bn_cny'], annual_status.at[c, t], '{:,.1f}')}" for c in order]
    print("Total cost at each target, hourly / annual matching [bn CNY/yr]:\n")
    print(shown.to_string())
    prem = pd.DataFrame({f"{t} %": [cell(premium.at[c, t], status.at[c, t], "{:,.1f}") for c in order]
                         for t in premium.columns}, index=order)
    print("\nPremium of hourly over annual matching [CNY per MWh of facility energy]:\n")
    print(prem.to_string())
    reasons = table.loc[table["hourly_status"] == "infeasible", "hourly_error"].dropna().unique()
    if len(reasons):
        print(f"\ninfeasible hourly targets ({(table['hourly_status'] == 'infeasible').sum()} of {len(table)}), "
              f"for example: {reasons[0]}")
    failed = runs[runs["status"] == "error"]
    for _, r in failed.iterrows():
        print(f"error: {r['scenario']}, storage={r['storage']}, flexible={r['flexible']:.0%}, "
              f"{r['matching']} {r['target']}: {r['error']}")
    if (runs["status"] == "time_limit").any():
        print("(*: the solver stopped at its iteration limit; feasible, not proven optimal)")

    plot(table, out_dir / "green_247.png")
    print(f"\nwrote {out_dir}/green_247.csv and green_247.png")


if __name__ == "__main__":
    main()
