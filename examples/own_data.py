"""Your own data: site a company's AI load on its own candidate campuses.

Builds a :class:`siting.Scenario` from two CSV files in the format a user
would write (``examples/data/my_sites.csv``, ``examples/data/my_demand.csv``;
their columns are documented in ``examples/data/README.md``); everything
else (province prices, emission factors, climate, renewable potentials,
RTT from coordinates) comes from the bundled data, and each campus gets its
own hourly solar and wind profile from its coordinates (synthetic weather,
:mod:`siting.weather`, scaled to its province's capacity factors).

Usage::

    python examples/own_data.py [output_folder]   # default ./output/own_data

Writes ``allocation.csv``, ``sites.csv`` and the rest of ``Result.to_dir``,
and ``map.png``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import siting
from siting import datasets, maps

DATA = Path(__file__).resolve().parent / "data"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output/own_data", help="output folder")
    out_dir = Path(parser.parse_args(argv).output)

    # 1. Read and check the user's tables (the same checks as the bundled data:
    #    a wrong column, province or coordinate is reported with row and column).
    sites = datasets.sites(DATA / "my_sites.csv")
    demand = pd.read_csv(DATA / "my_demand.csv")
    print(f"{len(sites)} candidate sites, {demand['it_mw'].sum():,.0f} MW of IT load "
          f"from {demand['origin'].nunique()} provinces")

    # 2. Build the scenario: CSV paths or DataFrames both work; scalar
    #    parameters (here a carbon price) are passed as keywords.
    scenario = siting.Scenario.from_data(
        "my-company",
        sites=sites,
        demand=demand,
        resolution="days",  # the time resolution, stated (printed with the result)
        representative_days=12,
        carbon_price_cny_per_t=100,
    )

    # 3. Solve and report where each class of load goes.
    result = siting.solve(scenario)
    print(result)  # cost, emissions, shares, and how it was computed: 12 representative days, ...
    served = result.allocation.pivot_table(index="site", columns="workload", values="it_mw", aggfunc="sum", fill_value=0)
    built = result.sites[["province", "role", "it_capacity_mw", "pue", "green_share", "total_cny"]]
    with pd.option_context("display.width", 160, "display.float_format", "{:,.2f}".format):
        print("\nIT load served by site and class [MW]:")
        print(served.to_string())
        print("\nSites built:")
        print(built.assign(total_cny=built["total_cny"] / 1e9).rename(columns={"total_cny": "cost_bn_cny"})
              .to_string(formatters={"cost_bn_cny": lambda v: f"{round(v, 3) + 0.0:,.3f}"}))

    # 4. Write the tables and a map.
    result.to_dir(out_dir, maps=False, overwrite=True)
    maps.save(result, out_dir / "map.png", labels=True)
    print(f"\nwrote {out_dir}/ (allocation.csv, sites.csv, summary.csv, scenario.yaml, map.png, ...)")


if __name__ == "__main__":
    main()
