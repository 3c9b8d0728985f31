"""Rebuild the AI-power figures of the public debate from stated assumptions.

Prints each figure as rebuilt by ``siting.demand`` next to the published
number and its source, then China's 2024-2030 data-center trajectories and
what 2030 means in IT megawatts by province. Writes the comparison table to
``<output>/published_figures.csv`` and the trajectories to
``<output>/trajectories.csv``.

Usage::

    python examples/ai_power_demand.py [output_folder]   # default ./output/ai_power_demand
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from siting import demand

# Inputs of the published estimates, each as its source states it.
DE_VRIES_SERVERS = 3617  # HGX A100 servers behind ChatGPT (de Vries 2023, Joule 7(10))
DE_VRIES_USERS = 13e6  # daily active users (same)
DE_VRIES_REQUESTS_PER_USER = 15  # (same)
NEW_YORKER_KWH_PER_DAY = 500_000  # "more than half a million kWh a day" (Kolbert, The New Yorker, 2024-03)
GPT3 = {"count": 10_000, "days": 14.8, "power_w": 330, "pue": 1.10, "flops": 3.14e23, "tflops": 24.6}
H100_UTILIZATION = 0.61  # Churnock (Microsoft, LinkedIn 2023, via Tom's Hardware)
AI_PCS = 2e9  # the public "2 billion AI PCs" claim (siting issue 3)
COOLING_SHARE_CLAIM = 0.60  # "in air-cooled data centers over 60 % of power goes to cooling"

SOURCES = {
    "devries": "de Vries (2023) 'The growing energy footprint of AI', Joule 7(10); arithmetic in shay.elkin.io",
    "newyorker": "Kolbert, The New Yorker (2024-03); EIA FAQ: 10,715 kWh/yr per US household (2020)",
    "patterson": "Patterson et al. (2021) arXiv:2104.10350, Table 4",
    "churnock": "P. Churnock (Microsoft) via Tom's Hardware (2023-12): 3,740 kWh/yr at 61 %",
    "aipc": "public claim quoted in siting issue 3 (500 W, 24 h a day)",
    "pue": "PUE = 1 / (1 - cooling share), all non-cooling power IT; cf. Uptime 2023 average PUE 1.58",
}


def published_figures() -> pd.DataFrame:
    """Rebuilt and published figures side by side.

    Returns
    -------
    pandas.DataFrame
        Columns ``figure``, ``rebuilt``, ``published``, ``unit``,
        ``difference_pct``, ``assumptions``, ``source``.
    """
    chatgpt = demand.Fleet("HGX A100", count=DE_VRIES_SERVERS)
    requests = DE_VRIES_USERS * DE_VRIES_REQUESTS_PER_USER
    gpt3 = demand.Training("V100", count=GPT3["count"], days=GPT3["days"], power_w=GPT3["power_w"])
    gpt3_flops = demand.Training.from_flops(
        GPT3["flops"],
        "V100",
        count=GPT3["count"],
        hardware_efficiency=GPT3["tflops"] / demand.accelerators().loc["V100", "peak_tflops_16bit"],
        power_w=GPT3["power_w"],
    )
    h100 = demand.Fleet("H100", count=1, utilization=H100_UTILIZATION)
    rows = [
        ("ChatGPT electricity per day", chatgpt.energy_mwh_per_day, 564, "MWh/day",
         f"{DE_VRIES_SERVERS:,} HGX A100 x 6.5 kW x 24 h", SOURCES["devries"]),
        ("ChatGPT energy per request", chatgpt.energy_mwh_per_day * 1e6 / requests, 2.9, "Wh",
         "13 M users x 15 requests = 195 M requests/day", SOURCES["devries"]),
        ("ChatGPT in US households", NEW_YORKER_KWH_PER_DAY / demand.US_HOUSEHOLD_KWH_PER_DAY, 17_000, "households",
         f"500,000 kWh/day / {demand.US_HOUSEHOLD_KWH_PER_DAY:.1f} kWh/day", SOURCES["newyorker"]),
        ("GPT-3 training energy", demand.facility_power(gpt3.energy_mwh, GPT3["pue"]), 1287, "MWh",
         "10,000 V100 x 330 W x 14.8 d x PUE 1.10", SOURCES["patterson"]),
        ("GPT-3 training time from FLOPs", gpt3_flops.days, 14.8, "days",
         "3.14e23 FLOP / (10,000 x 24.6 TFLOPS)", SOURCES["patterson"]),
        ("H100 electricity per year", h100.energy_mwh_per_year * 1000, 3740, "kWh/yr",
         "700 W x 61 % x 8,760 h", SOURCES["churnock"]),
        ("AI PC electricity per day", demand.Fleet("AI PC 500 W", count=1).energy_mwh_per_day * 1000, 12, "kWh/day",
         "500 W x 24 h", SOURCES["aipc"]),
        ("2 bn AI PCs per day", demand.Fleet("AI PC 500 W", count=AI_PCS).energy_mwh_per_day / 1e6, 24, "TWh/day",
         "2e9 x 500 W x 24 h", SOURCES["aipc"]),
        ("PUE implied by 60 % cooling", demand.pue_from_cooling_share(COOLING_SHARE_CLAIM), 2.5, "-",
         "cooling 60 % of facility power, rest IT", SOURCES["pue"]),
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=["figure", "rebuilt", "published", "unit", "assumptions", "source"])
    df.insert(4, "difference_pct", 100 * (df["rebuilt"] / df["published"] - 1))
    return df


def trajectory_table() -> pd.DataFrame:
    """China's data-center electricity 2024-2030 per preset [TWh/yr] (NaN outside a preset's range)."""
    table = demand.trajectories()
    out = {}
    for preset, rows in table.groupby("preset"):
        lo, hi = rows["year"].min(), rows["year"].max()
        out[preset] = {
            y: demand.national_demand_twh(y, preset) if lo <= y <= hi else float("nan") for y in range(2018, 2031)
        }
    return pd.DataFrame(out).rename_axis("year")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output/ai_power_demand", help="output folder")
    out_dir = Path(parser.parse_args(argv).output)
    out_dir.mkdir(parents=True, exist_ok=True)

    figures = published_figures()
    columns = ["figure", "rebuilt", "published", "unit", "difference_pct", "assumptions"]
    with pd.option_context("display.width", 200, "display.float_format", "{:,.2f}".format):
        print("Published AI-energy figures rebuilt from their stated assumptions\n")
        print(figures[columns].to_string(index=False))
        print("\nSources:")
        for fig, src in zip(figures["figure"], figures["source"]):
            print(f"  {fig}: {src}")

        traj = trajectory_table()
        print("\nChina data-center electricity [TWh/yr], sourced end points, geometric in between:")
        print(traj.loc[2018:2030].to_string(na_rep="-"))

        pue = demand.NATIONAL_PUE
        dem = demand.provincial_demand(2030, preset="iea-2025-base", pue=pue)
        by_province = dem.groupby("origin")["it_mw"].sum().sort_values(ascending=False)
        print(
            f"\nIEA base case 2030: {demand.national_demand_twh(2030):.0f} TWh at PUE {pue} = "
            f"{dem['it_mw'].sum():,.0f} MW of IT load; largest origins by population:"
        )
        print(by_province.head(5).round(0).to_string())

    figures.to_csv(out_dir / "published_figures.csv", index=False)
    trajectory_table().to_csv(out_dir / "trajectories.csv")
    print(f"\nwrote {out_dir / 'published_figures.csv'} and {out_dir / 'trajectories.csv'}")


if __name__ == "__main__":
    main()
