"""East vs West: build China's 2030 AI compute in the east, or East Data, West Computing?

Solves two bundled presets for the same national demand (IEA 2025 base case,
277 TWh in 2030, 22.3 GW of IT load split over the provinces by population):

- ``east-only``: the new capacity is built where the users are, at the
  clusters of the eastern hubs and the capitals of the eastern provinces;
- ``east-data-west-computing``: the 10 national clusters of 东数西算,
  western ones included, serve the nation under their PUE caps.

In both, every provincial capital stays available as a local edge site for
its own province, which keeps the 20 ms interactive class feasible
everywhere. The script prints the two side by side (cost by component,
emissions, green and western shares, water, round-trip times per workload
class), writes the table, both results and the maps.

Usage::

    python examples/east_vs_west.py [output_folder]   # default ./output/east_vs_west

Writes ``comparison.csv``, ``compare.png`` (both maps on one scale) and one
folder per scenario (``Result.to_dir``: allocation, sites, dispatch, duals,
summary, scenario.yaml, map.png and, with folium installed, map.html).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

import siting
from siting import maps

SCENARIOS = ("east-only", "east-data-west-computing")
#: Representative days of the time slicing, those of the README table (the
#: presets default to 12): each solve takes well under a second on 2 cores
#: (Benders decomposition). Against the full year, 8 days put cost 0.6-0.8 %
#: and emissions 2.3-3.0 % low, 12 days cost under 0.2 % and emissions
#: 1.0-3.5 % (README, "representative days").
REPRESENTATIVE_DAYS = 8


def comparison_table(results: dict[str, siting.Result]) -> pd.DataFrame:
    """Headline numbers of each result, one column per scenario, in readable units.

    Parameters
    ----------
    results : dict of str to Result
        Results by scenario name.

    Returns
    -------
    pandas.DataFrame
        Index ``(metric, unit)``; one column per scenario.
    """
    first = next(iter(results.values()))
    classes = list(first.scenario.workloads.index)
    rows: list[tuple[str, str, str, float]] = [
        # (metric, unit, summary key, factor)
        ("data-center capex", "bn CNY/yr", "cost_capex_cny", 1e-9),
        ("solar contracts", "bn CNY/yr", "cost_solar_cny", 1e-9),
        ("wind contracts", "bn CNY/yr", "cost_wind_cny", 1e-9),
        ("grid electricity", "bn CNY/yr", "cost_energy_cny", 1e-9),
        ("carbon", "bn CNY/yr", "cost_carbon_cny", 1e-9),
        ("network", "bn CNY/yr", "cost_network_cny", 1e-9),
        ("total cost", "bn CNY/yr", "cost_total_cny", 1e-9),
        ("facility energy", "TWh/yr", "energy_mwh", 1e-6),
        ("mean PUE", "-", "mean_pue", 1.0),
        ("emissions", "Mt CO2/yr", "emissions_t", 1e-6),
        ("green share", "%", "green_share", 100.0),
        ("western share of capacity", "%", "west_share", 100.0),
        ("water", "million m3/yr", "water_m3", 1e-6),
    ]
    for w in classes:
        rows.append((f"RTT {w}, mean", "ms", f"rtt_mean_ms_{w}", 1.0))
        rows.append((f"RTT {w}, max", "ms", f"rtt_max_ms_{w}", 1.0))
    data = {name: [r.summary[key] * factor for _, _, key, factor in rows] for name, r in results.items()}
    index = pd.MultiIndex.from_tuples([(m, u) for m, u, _, _ in rows], names=["metric", "unit"])
    return pd.DataFrame(data, index=index)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output/east_vs_west", help="output folder")
    out_dir = Path(parser.parse_args(argv).output)
    out_dir.mkdir(parents=True, exist_ok=True)

    # 1. Solve both presets with the same demand and parameters.
    results = {}
    for name in SCENARIOS:
        t0 = time.perf_counter()
        scenario = siting.Scenario.preset(name, resolution="days", representative_days=REPRESENTATIVE_DAYS)
        results[name] = siting.solve(scenario)
        print(f"solved {name} in {time.perf_counter() - t0:.1f} s: {results[name]}")

    # 2. The side-by-side table, with the difference West minus East.
    table = comparison_table(results)
    east, edwc = (table[n] for n in SCENARIOS)
    table["difference"] = edwc - east
    table["difference_%"] = 100 * (edwc - east) / east.where(east.abs() > 1e-9)
    with pd.option_context("display.width", 200, "display.float_format", "{:,.2f}".format):
        first = results[SCENARIOS[0]]
        print(f"\nChina 2030, {first.summary['demand_it_mw'] / 1e3:.1f} GW of IT load "
              f"(IEA 2025 base case), {first.resolution} ({first.method})\n")
        print(table.to_string(na_rep="-"))
    table.to_csv(out_dir / "comparison.csv")

    saving = -table.loc[("total cost", "bn CNY/yr"), "difference"]
    cut = -table.loc[("emissions", "Mt CO2/yr"), "difference"]
    limit = results[SCENARIOS[1]].scenario.workloads.loc["interactive", "rtt_max_ms"]
    worst = max(r.summary["rtt_max_ms_interactive"] for r in results.values())
    money = f"saves {saving:,.1f}" if saving >= 0 else f"costs {-saving:,.1f} more"
    carbon = f"cuts emissions by {cut:,.1f}" if cut >= 0 else f"adds {-cut:,.1f}"
    print(f"\nEast Data, West Computing {money} bn CNY/yr and {carbon} Mt CO2/yr; "
          f"interactive requests travel at most {worst:.1f} ms round trip (limit {limit:.0f} ms) in both.")

    # 3. Each result as tables + scenario.yaml, with its own maps; the
    #    interactive HTML map needs the optional folium (siting[interactive]).
    for name, res in results.items():
        folder = res.to_dir(out_dir / name, maps=False, overwrite=True)
        maps.save(res, folder / "map.png")
        try:
            maps.explore(res).save(str(folder / "map.html"))
        except ImportError:
            print(f"{name}: no map.html (pip install 'siting[interactive]' for the interactive map)")

    # 4. Both maps side by side on one scale: capacity by province, sites, flows.
    fig = maps.compare(*results.values(), titles=("East only", "East Data, West Computing"))
    fig.savefig(out_dir / "compare.png", dpi=120)
    print(f"\nwrote {out_dir}/comparison.csv, compare.png and {', '.join(f'{n}/' for n in SCENARIOS)}")


if __name__ == "__main__":
    main()
