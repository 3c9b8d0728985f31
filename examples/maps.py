"""Maps of the headline scenarios: where the compute goes, east-only vs. EDWC.

Solves the presets ``east-only`` and ``east-data-west-computing`` (8
representative days, about a second each) and writes, into the output folder:

- ``<scenario>.png`` / ``.svg``: IT capacity by province, sites sized by
  capacity (east red, west blue) and flows from each demand origin to its
  site, coloured by workload class;
- ``<scenario>_emissions.png`` and ``<scenario>_green_share.png``: the same
  map coloured by emissions [Mt CO2/yr] and green share [%];
- ``<scenario>.html``: the interactive map (opens offline; needs folium,
  ``pip install "siting[interactive]"``);
- ``compare.png``: both scenarios side by side on one colour scale;
- ``inputs_<column>.png``: electricity price, grid emission factor,
  renewable share and water stress by province, the inputs behind the
  choice.

Usage::

    python examples/maps.py [output_folder]   # default ./output/maps
    python examples/maps.py out --readme docs/map.png   # also the README picture
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no window

import matplotlib.pyplot as plt

import siting
from siting import maps

SCENARIOS = ("east-only", "east-data-west-computing")
INPUTS = ("electricity_price_cny_per_kwh", "grid_ef_t_co2_per_mwh", "renewable_share", "water_stress")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output/maps", help="output folder (default: output/maps)")
    parser.add_argument("--readme", type=Path, help="also write the comparison at a small size here (PNG)")
    args = parser.parse_args(argv)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)

    # 8 representative days, as in examples/east_vs_west.py and the README table
    results = {
        name: siting.solve(siting.Scenario.preset(name, resolution="days", representative_days=8)) for name in SCENARIOS
    }
    for name, res in results.items():
        print(res)
        maps.save(res, out / f"{name}.png", labels=True)
        maps.save(res, out / f"{name}.svg")
        maps.save(res, out / f"{name}_emissions.png", column="emissions_t", flows=False)
        maps.save(res, out / f"{name}_green_share.png", column="green_share", flows=False)
        maps.explore(res).save(str(out / f"{name}.html"))

    titles = ("East only", "East Data, West Computing")
    fig = maps.compare(*results.values(), titles=titles)
    fig.savefig(out / "compare.png", dpi=120)
    plt.close(fig)
    if args.readme:
        args.readme.parent.mkdir(parents=True, exist_ok=True)
        fig = maps.compare(*results.values(), titles=titles, figsize=(12.0, 5.5))
        fig.savefig(args.readme, dpi=100)
        plt.close(fig)

    for column in INPUTS:
        ax = maps.plot_provinces(column, labels=True)
        ax.figure.savefig(out / f"inputs_{column}.png", dpi=120)
        plt.close(ax.figure)
    print(f"wrote {len(list(out.iterdir()))} files to {out}/")


if __name__ == "__main__":
    main()
