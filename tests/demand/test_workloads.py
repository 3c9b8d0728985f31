"""Tests of siting.demand.workloads: published figures rebuilt from stated
assumptions, the accelerator catalogue and input validation of the workloads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siting import demand
from siting.errors import InputError

REL = 0.02  # the tolerance for rebuilt published figures


# --------------------------------------------------------------------------
# published figures, rebuilt


def test_de_vries_chatgpt_servers():
    # de Vries (2023, Joule 7(10)): 3,617 HGX A100 servers x 6.5 kW x 24 h = 564 MWh/day
    fleet = demand.Fleet("HGX A100", count=3617)
    assert fleet.energy_mwh_per_day == pytest.approx(564, rel=REL)
    assert fleet.it_power_mw == pytest.approx(3617 * 6.5 / 1000, rel=1e-12)


def test_de_vries_chatgpt_requests():
    # 13 M daily users x 15 requests = 195 M requests x 2.9 Wh
    requests = 13e6 * 15
    assert demand.Inference(queries_per_day=requests, wh_per_query=2.9).energy_mwh_per_day == pytest.approx(
        564, rel=REL
    )
    wh_per_request = demand.Fleet("HGX A100", count=3617).energy_mwh_per_day * 1e6 / requests
    assert wh_per_request == pytest.approx(2.9, rel=REL)


def test_chatgpt_us_households():
    # New Yorker (2024): >500,000 kWh/day = 17,000 US households at ~29 kWh/day (EIA)
    assert demand.US_HOUSEHOLD_KWH_PER_DAY == pytest.approx(29, rel=REL)
    chatgpt_kwh_per_day = demand.Inference(queries_per_day=200e6, wh_per_query=2.5).energy_mwh_per_day * 1000
    assert chatgpt_kwh_per_day == pytest.approx(500_000, rel=1e-12)
    assert chatgpt_kwh_per_day / demand.US_HOUSEHOLD_KWH_PER_DAY == pytest.approx(17_000, rel=REL)


def test_gpt3_training_patterson():
    # Patterson et al. (2021) Table 4: 10,000 V100, 330 W measured, 14.8 days, PUE 1.10 -> 1,287 MWh
    run = demand.Training("V100", count=10_000, days=14.8, power_w=330)
    assert demand.facility_power(run.energy_mwh, 1.10) == pytest.approx(1287, rel=REL)
    assert run.energy_mwh == pytest.approx(10_000 * 0.330 * 14.8 * 24 / 1000, rel=1e-12)


def test_gpt3_training_from_flops():
    # 3.14e23 FLOP at 24.6 of 125 peak TFLOPS per V100 -> 14.8 days
    run = demand.Training.from_flops(3.14e23, "V100", count=10_000, hardware_efficiency=24.6 / 125, power_w=330)
    assert run.days == pytest.approx(14.8, rel=REL)
    assert demand.facility_power(run.energy_mwh, 1.10) == pytest.approx(1287, rel=REL)


def test_h100_yearly_energy():
    # Churnock (Microsoft, 2023): 700 W at 61 % utilization -> ~3,740 kWh a year
    assert demand.Fleet("H100", count=1, utilization=0.61).energy_mwh_per_year == pytest.approx(3.740, rel=REL)
    # at full TDP: 700 W x 8760 h = 6.13 MWh (reference facts, DERIVED)
    assert demand.Fleet("H100", count=1).energy_mwh_per_year == pytest.approx(6.13, rel=REL)


def test_ai_pc_claim():
    # "an AI PC at 500 W uses 12 kWh a day; 2 billion of them 24 billion kWh a day"
    assert demand.Fleet("AI PC 500 W", count=1).energy_mwh_per_day * 1000 == pytest.approx(12, rel=REL)
    assert demand.Fleet("AI PC 500 W", count=2e9).energy_mwh_per_day / 1e6 == pytest.approx(24, rel=REL)


# --------------------------------------------------------------------------
# catalogue and workloads


def test_catalogue_has_required_entries():
    cat = demand.accelerators()
    for name in ("V100", "A100", "H100", "H800", "H20", "Ascend 910", "HGX A100"):
        assert name in cat.index
    assert cat.loc["H100", "power_w"] == 700
    assert cat.loc["HGX A100", "power_w"] == 6500
    assert set(cat["kind"]) <= {"accelerator", "server", "pc"}
    assert cat["source"].str.len().gt(0).all()
    assert cat["year"].dtype == np.int64


def test_lookup_ignores_case_spaces_and_dashes():
    assert demand.accelerator_power_w("hgx-a100") == 6500
    assert demand.accelerator_power_w("ascend910") == 310


def test_unknown_accelerator_lists_valid_names():
    with pytest.raises(InputError, match=r"unknown accelerator 'B300'; valid names: .*'H100'"):
        demand.Fleet("B300", count=1)
    with pytest.raises(InputError, match="valid names"):
        demand.Training("TPU v9", count=1, days=1)


def test_user_catalogue_is_validated():
    bad = pd.DataFrame(
        {
            "name": ["X1"],
            "kind": ["accelerator"],
            "vendor": ["ACME"],
            "power_w": [-5.0],
            "peak_tflops_16bit": [np.nan],
            "year": [2024],
            "status": ["estimate"],
            "source": ["test"],
        }
    )
    with pytest.raises(InputError, match=r"row 'X1', column 'power_w': -5 is negative"):
        demand.accelerators(bad)


def test_custom_power_without_catalogue():
    fleet = demand.Fleet(None, count=1000, power_w=1000, utilization=0.5)
    assert fleet.it_power_mw == pytest.approx(0.5, rel=1e-12)
    with pytest.raises(InputError, match="give an accelerator name"):
        demand.Fleet(None, count=1)


def test_inference_from_tokens():
    # 500 output tokens at 2.16 J/token = 0.3 Wh per query (Epoch AI 2025 order of magnitude)
    inf = demand.Inference.from_tokens(queries_per_day=1e9, tokens_per_query=500, j_per_token=2.16)
    assert inf.wh_per_query == pytest.approx(0.3, rel=1e-12)
    assert inf.energy_mwh_per_day == pytest.approx(300, rel=1e-12)
    assert inf.energy_mwh_per_year == pytest.approx(300 * 365, rel=1e-12)


def test_training_energy_per_year_is_continuous_power():
    run = demand.Training("H100", count=1000, days=30)
    assert run.energy_mwh == pytest.approx(0.7 * 24 * 30, rel=1e-12)
    assert run.energy_mwh_per_year == pytest.approx(0.7 * 8760, rel=1e-12)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: demand.Fleet("H100", count=-1), r"Fleet: count: -1 is negative"),
        (lambda: demand.Fleet("H100", count=1, utilization=0), r"utilization: 0 is outside \(0, 1\]"),
        (lambda: demand.Fleet("H100", count=1, utilization=1.2), r"utilization: 1.2 is outside \(0, 1\]"),
        (lambda: demand.Training("H100", count=-3, days=1), r"Training: count: -3 is negative"),
        (lambda: demand.Training("H100", count=3, days=0), r"Training: days: 0 is not allowed"),
        (lambda: demand.Training("H100", count=3, days=1, utilization=1.5), r"outside \(0, 1\]"),
        (lambda: demand.Inference(queries_per_day=-1, wh_per_query=1), r"queries_per_day: -1 is negative"),
        (lambda: demand.Inference(queries_per_day=1, wh_per_query=float("nan")), r"wh_per_query: nan is not"),
        (lambda: demand.Fleet("H100", count="many"), r"count: 'many' is not a number"),
        (
            lambda: demand.Training.from_flops(1e20, "AI PC 500 W", count=1, hardware_efficiency=0.3),
            r"no peak_tflops_16bit",
        ),
    ],
)
def test_workload_validation(make, message):
    with pytest.raises(InputError, match=message):
        make()

