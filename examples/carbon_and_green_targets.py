"""Carbon price and green-power targets: how allocation and emissions move.

Two sweeps of the ``east-data-west-computing`` preset (China 2030):

1. the carbon price on grid electricity, 0 to 400 CNY/tCO2 (the bundled
   default is the 2024 national ETS average, 96 CNY/t);
2. a national minimum green share of data-center energy (contracted solar
   and wind plus the renewable part of grid power), from none up to 85 %.

For each run it records cost, emissions, the green and western shares and
the solar and wind contracted, and for the green target its shadow price
(what one more percentage point costs). Both sweeps go through
:func:`siting.analysis.sweep` in a local process pool.

Usage::

    python examples/carbon_and_green_targets.py [output_folder]   # default ./output/carbon_and_green_targets

Writes ``carbon_price.csv``, ``green_target.csv`` and
``carbon_and_green_targets.png``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # draw to files, no window
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import siting  # noqa: E402
from siting import analysis  # noqa: E402

CARBON_PRICES = [0, 50, 100, 200, 400]  # CNY/tCO2
GREEN_TARGETS = [None, 0.75, 0.8, 0.85]  # share of facility energy; None = no target
#: Representative days of every run (the presets' default).
DAYS = 12
#: Statuses of a usable run: "time_limit" is feasible but not proven optimal.
FEASIBLE = ("optimal", "time_limit")


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The columns of a sweep this example reports, in readable units."""
    out = pd.DataFrame(index=table.index)
    out["status"] = table["status"]
    out["cost_bn_cny"] = table["cost_total_cny"] / 1e9
    out["emissions_mt"] = table["emissions_t"] / 1e6
    out["green_share_pct"] = 100 * table["green_share"]
    out["west_share_pct"] = 100 * table["west_share"]
    out["solar_gw"] = table["solar_mw"] / 1e3
    out["wind_gw"] = table["wind_mw"] / 1e3
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output/carbon_and_green_targets", help="output folder")
    out_dir = Path(parser.parse_args(argv).output)
    out_dir.mkdir(parents=True, exist_ok=True)

    # The presets' time resolution, stated: 12 representative days of weather
    # year 0, under a second per solve. Against the full 8760-hour year 12 days
    # put this preset's cost 0.2 % and emissions 1.0 % low, 4 days 1.6 % and 3.5 %.
    base = siting.Scenario.preset("east-data-west-computing", resolution="days", representative_days=DAYS)
    res = siting.solve(base)  # the base run, to say how every run is computed
    print(f"every run: {res.resolution} ({res.method}); base {res.summary['cost_total_cny'] / 1e9:,.1f} bn CNY/yr, "
          f"{res.summary['emissions_t'] / 1e6:,.1f} Mt CO2/yr\n")

    # 1. Carbon price.
    carbon = analysis.sweep(base, {"carbon_price_cny_per_t": CARBON_PRICES})
    carbon.to_csv(out_dir / "carbon_price.csv")
    carbon_view = readable(carbon).set_index(carbon["carbon_price_cny_per_t"])
    # 2. Green-share target (None: no target, as in the preset).
    green = analysis.sweep(base, [{"green_share_min": g} for g in GREEN_TARGETS])
    green.to_csv(out_dir / "green_target.csv")
    target = (100 * green["green_share_min"]).fillna(0).rename("green_target_pct")
    green_view = readable(green).set_index(target)
    if "shadow_green_share_cny_per_pp" in green:
        green_view["shadow_bn_cny_per_pp"] = green["shadow_green_share_cny_per_pp"].to_numpy() / 1e9

    with pd.option_context("display.width", 160):
        print("Carbon price [CNY/tCO2]:\n")
        print(carbon_view.round(2).to_string())
        print("\nNational green-share target [%] (0 = none):\n")
        print(green_view.round(2).to_string())
    for name, view in (("carbon price", carbon_view), ("green target", green_view)):
        stopped = view.index[view["status"] == "time_limit"].tolist()
        if stopped:
            print(f"({name} {', '.join(map(str, stopped))}: the solver stopped at its iteration limit; "
                  "feasible, not proven optimal)")
    drop = carbon_view["emissions_mt"].iloc[0] - carbon_view["emissions_mt"].iloc[-1]
    extra = carbon_view["cost_bn_cny"].iloc[-1] - carbon_view["cost_bn_cny"].iloc[0]
    print(f"\nfrom {CARBON_PRICES[0]} to {CARBON_PRICES[-1]} CNY/t emissions fall by {drop:.1f} Mt/yr and the "
          f"cost (carbon charge included) rises by {extra:.1f} bn CNY/yr")

    # Emissions and western share against each lever.
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    for ax, view, xlabel in (
        (axes[0], carbon_view, "carbon price [CNY/tCO2]"),
        (axes[1], green_view[green_view["status"].isin(FEASIBLE)], "national green-share target [%] (0 = none)"),
    ):
        ax.plot(view.index, view["emissions_mt"], "o-", color="tab:red", label="emissions")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("emissions [Mt CO2/yr]", color="tab:red")
        right = ax.twinx()
        right.plot(view.index, view["west_share_pct"], "s--", color="tab:blue", label="western share of capacity")
        right.plot(view.index, view["green_share_pct"], "^:", color="tab:green", label="green share of energy")
        right.set_ylabel("share [%]")
        right.set_ylim(0, 100)
    axes[1].legend(handles=axes[1].get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0],
                   loc="lower left", fontsize=8)
    fig.suptitle("East Data, West Computing 2030: carbon price and green-power targets")
    fig.savefig(out_dir / "carbon_and_green_targets.png", dpi=120)
    print(f"\nwrote {out_dir}/carbon_price.csv, green_target.csv and carbon_and_green_targets.png")


if __name__ == "__main__":
    main()
