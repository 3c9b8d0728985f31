"""The accelerator catalogue rows added for issue 15 (H200, B200, GB200,
Ascend 910B/910C and their systems): each loads, carries its sourced figure,
a year and a source, and estimates say how they were made."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from siting import datasets, demand

# name: (kind, vendor, power_w, peak_tflops_16bit, year, status), as in datasets/SOURCES.md
NEW_ROWS = {
    "H200": ("accelerator", "NVIDIA", 700, 989, 2024, "sourced"),  # H200 SXM TGP 700 W
    "B200": ("accelerator", "NVIDIA", 1000, 2250, 2024, "sourced"),  # HGX B200, up to 1,000 W
    "GB200": ("accelerator", "NVIDIA", 1200, 2500, 2024, "sourced"),  # one GPU in GB200 NVL72, up to 1,200 W
    "GB200 NVL72": ("server", "NVIDIA", 120_000, 180_000, 2024, "sourced"),  # ~120 kW per rack
    "DGX B200": ("server", "NVIDIA", 14_300, 18_000, 2024, "sourced"),  # 14.3 kW system maximum
    "Ascend 910B": ("accelerator", "Huawei", 350, 320, 2023, "estimate"),  # second-hand 310-350 W
    "Ascend 910C": ("accelerator", "Huawei", 700, 800, 2025, "estimate"),  # 2 x 910B
}

DOMAIN = re.compile(r"[a-z0-9-]+\.(com|ai|org|net|io)\b|github\.com|arxiv", re.IGNORECASE)


@pytest.fixture(scope="module")
def cat() -> pd.DataFrame:
    return demand.accelerators()


@pytest.mark.parametrize("name", NEW_ROWS)
def test_new_row_loads_with_its_figures(cat, name):
    kind, vendor, power, peak, year, status = NEW_ROWS[name]
    row = cat.loc[name]
    assert (row["kind"], row["vendor"], row["status"]) == (kind, vendor, status)
    assert row["power_w"] == power
    assert row["peak_tflops_16bit"] == peak
    assert row["year"] == year
    assert demand.accelerator_power_w(name) == power


@pytest.mark.parametrize("name", NEW_ROWS)
def test_new_row_names_its_source(cat, name):
    source = cat.loc[name, "source"]
    assert len(source) > 60
    assert DOMAIN.search(source), f"{name}: no document or address in {source!r}"


def test_sourced_power_figures():
    assert demand.accelerator_power_w("H200") == 700  # NVIDIA H200 SXM, same TDP as the H100 SXM
    assert demand.accelerator_power_w("h200") == demand.accelerator_power_w("H100")
    assert demand.accelerator_power_w("B200") == 1000
    assert demand.accelerator_power_w("gb200") == 1200
    assert demand.accelerator_power_w("gb200-nvl72") == 120_000
    assert demand.accelerator_power_w("ascend-910b") == 350
    assert demand.accelerator_power_w("Ascend 910") == 310  # the 2019 chip is still its own row


def test_estimates_state_their_method(cat):
    b, c = cat.loc["Ascend 910B"], cat.loc["Ascend 910C"]
    assert "no Huawei datasheet" in b["source"] and "310 W" in b["source"] and "350 W" in b["source"]
    # 910C = two 910B-class dies: the power is twice the 910B row, and says so
    assert c["power_w"] == 2 * b["power_w"]
    assert "2 x the 910B row" in c["source"]


def test_systems_add_up(cat):
    # peaks are per GPU x GPUs; the NVL72 rack share per GPU (CPUs, switches included) is ~1.67 kW
    assert cat.loc["DGX B200", "peak_tflops_16bit"] == 8 * cat.loc["B200", "peak_tflops_16bit"]
    assert cat.loc["GB200 NVL72", "peak_tflops_16bit"] == 72 * cat.loc["GB200", "peak_tflops_16bit"]
    per_gpu = cat.loc["GB200 NVL72", "power_w"] / 72
    assert per_gpu == pytest.approx(1667, abs=1)
    assert cat.loc["GB200", "power_w"] < per_gpu < 132_000 / 72  # GPU TDP < rack share < power-shelf rating
    assert "ONE Blackwell GPU" in cat.loc["GB200", "source"]


def test_training_run_on_new_rows():
    # 1,000 H200 at 700 W for 30 days: 1000 x 0.7 kW x 720 h = 504 MWh
    assert demand.Training("H200", count=1000, days=30).energy_mwh == pytest.approx(504, rel=1e-12)
    # 8,192 Ascend 910C at 700 W (estimate) for 10 days: 8192 x 0.7 kW x 240 h = 1,376.256 MWh
    assert demand.Training("Ascend 910C", count=8192, days=10).energy_mwh == pytest.approx(1376.256, rel=1e-12)
    # from compute: 1e24 FLOP on 4,096 B200 at 40 % of 2,250 TFLOPS -> 1e24 / (4096 x 2.25e15 x 0.4) s
    run = demand.Training.from_flops(1e24, "B200", count=4096, hardware_efficiency=0.4)
    assert run.days == pytest.approx(1e24 / (4096 * 2.25e15 * 0.4) / 86_400, rel=1e-12)


def test_sources_md_summary_counts_match_the_table(cat):
    section = datasets.sources().split("## accelerators.csv", 1)[1].split("\n## ", 1)[0]
    counts = cat["status"].value_counts()
    summary = re.search(r"(\d+) sourced, (\d+) estimate \(([^)]*)\)", section)
    assert summary, "no 'N sourced, M estimate (...)' line in the accelerators.csv section"
    assert int(summary.group(1)) == counts.get("sourced", 0)
    assert int(summary.group(2)) == counts.get("estimate", 0)
    assert counts.get("derived", 0) == 0
    listed = {n.strip(" `") for n in summary.group(3).split(",")}
    assert listed == set(cat.index[cat["status"] == "estimate"])
