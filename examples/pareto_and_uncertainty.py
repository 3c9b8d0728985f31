"""A cost–carbon Pareto front and a Monte Carlo map of where to build.

1. Pareto front of the ``east-data-west-computing`` preset: how much does
   each further tonne of CO2 cut from the least-cost plan cost, and where
   does the shadow price of carbon jump?
2. Monte Carlo over uncertain electricity prices, demand growth, capex and
   grid emission factors on the ``all-sites`` preset (every candidate site
   may serve any province): the probability that each site is built.

Both use the presets' 12 representative days of weather year 0 (one
average slice would be quicker but ignores the hours without sun or wind:
it puts emissions at about a third of the full year's and the green share
20 points too high); the runs are spread over a local process pool. Writes
``pareto.csv``, ``pareto.png``, ``monte_carlo_runs.csv``,
``build_probability.csv``, ``build_probability.png`` and
``quantiles.csv``.

Usage::

    python examples/pareto_and_uncertainty.py [output_folder]   # default ./output/pareto_and_uncertainty

To run the same on a Dask cluster, pass ``executor=client.get_executor()``
to :func:`siting.analysis.pareto` and :func:`siting.analysis.monte_carlo`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file backend)
import pandas as pd  # noqa: E402

import siting  # noqa: E402
from siting import analysis  # noqa: E402

#: Uncertain inputs: multipliers on the bundled values [-].
UNCERTAINTY = {
    "electricity_price_scale": ("uniform", 0.7, 1.3),
    "demand_scale": ("lognormal", 0.0, 0.25),  # median 1, about ±25 % (one sigma)
    "capex_scale": ("triangular", 0.8, 1.0, 1.3),
    "grid_ef_scale": ("normal", 1.0, 0.1),
}
DRAWS = 20
SEED = 2030
PARETO_POINTS = 8
#: Representative days of every run (the presets' default).
DAYS = 12


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """Money in bn CNY/yr, emissions in Mt CO2/yr, shares in %: the columns this example prints."""
    out = pd.DataFrame(index=table.index)
    if "status" in table:
        out["status"] = table["status"]
    for col in table.columns:
        if col.endswith("_cny"):
            out[col.removesuffix("_cny").removeprefix("cost_") + "_bn_cny"] = table[col] / 1e9
        elif col == "emissions_t":
            out["emissions_mt"] = table[col] / 1e6
        elif col.endswith("_share"):
            out[col + "_pct"] = 100 * table[col]
        elif col.endswith("_scale"):
            out[col] = table[col]
    if "carbon_shadow_price_cny_per_t" in table:
        out["carbon_shadow_cny_per_t"] = table["carbon_shadow_price_cny_per_t"]
    return out


#: Statuses of a usable run: "time_limit" is feasible but not proven optimal.
FEASIBLE = ("optimal", "time_limit")


def _note_time_limits(table: pd.DataFrame) -> None:
    """Say which runs stopped at a limit (their plans are feasible, not proven optimal)."""
    stopped = table.index[table["status"] == "time_limit"]
    if len(stopped):
        print(f"({len(stopped)} point(s), {', '.join(map(str, stopped))}: the solver stopped at its iteration "
              "limit; feasible, not proven optimal)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output/pareto_and_uncertainty", help="output folder")
    out_dir = Path(parser.parse_args(argv).output)
    out_dir.mkdir(parents=True, exist_ok=True)

    # 1. cost-carbon Pareto front
    edwc = siting.Scenario.preset("east-data-west-computing", resolution="days", representative_days=DAYS)
    base = siting.solve(edwc)
    print(f"every run: {base.resolution} ({base.method})\n")
    front = analysis.pareto(edwc, points=PARETO_POINTS)
    front.to_csv(out_dir / "pareto.csv")
    with pd.option_context("display.width", 160, "display.float_format", "{:,.2f}".format):
        print("Cost-emissions Pareto front (East Data, West Computing):")
        print(readable(front[["status", "emissions_t", "cost_total_cny", "green_share", "west_share",
                              "carbon_shadow_price_cny_per_t"]]).to_string())
    _note_time_limits(front)
    ok = front[front["status"].isin(FEASIBLE)]
    cut = ok["emissions_t"].iloc[0] - ok["emissions_t"].iloc[-1]
    extra = ok["cost_total_cny"].iloc[-1] - ok["cost_total_cny"].iloc[0]
    print(f"cutting {cut / 1e6:.1f} Mt CO2/yr costs {extra / 1e9:.1f} bn CNY/yr more "
          f"({extra / max(cut, 1e-9):,.0f} CNY/t on average)\n")
    ax = analysis.plot_pareto(front)
    ax.figure.savefig(out_dir / "pareto.png", dpi=150)
    plt.close(ax.figure)

    # 2. Monte Carlo: where is it worth building, whatever the prices?
    every_site = siting.Scenario.preset("all-sites", resolution="days", representative_days=DAYS)
    mc = analysis.monte_carlo(every_site, UNCERTAINTY, n=DRAWS, seed=SEED)
    mc.runs.to_csv(out_dir / "monte_carlo_runs.csv")
    prob = mc.build_probability
    pd.concat([mc.sites, prob, mc.capacity_mw.mean().rename("mean_it_capacity_mw")], axis=1).to_csv(
        out_dir / "build_probability.csv"
    )
    quantiles = mc.quantiles(columns=list(UNCERTAINTY) + ["cost_total_cny", "emissions_t", "green_share",
                                                           "west_share"])
    quantiles.to_csv(out_dir / "quantiles.csv")
    with pd.option_context("display.width", 160, "display.float_format", "{:,.2f}".format):
        print(f"Monte Carlo over all-sites, {int(mc.solved.sum())} of {DRAWS} draws solved (seed {SEED}; "
              f"{base.resolution}); quantiles:")
        print(readable(quantiles).to_string())
    sure = prob[prob >= 0.95].index
    print(f"\n{len(sure)} of {len(prob)} candidate sites are built in at least 95 % of the draws; "
          f"the least certain: {', '.join(prob.nsmallest(3).index)}")
    ax = analysis.plot_build_probability(mc)
    ax.figure.savefig(out_dir / "build_probability.png", dpi=150)
    plt.close(ax.figure)
    print(f"\nwrote pareto.csv/.png, monte_carlo_runs.csv, build_probability.csv/.png and quantiles.csv to {out_dir}")


if __name__ == "__main__":
    main()
