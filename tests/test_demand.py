"""Tests of siting.demand: published figures rebuilt from stated assumptions,
invariants of the spatial split and profiles, and input validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siting import datasets, demand
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


def test_pue_implied_by_60_percent_cooling():
    assert demand.pue_from_cooling_share(0.6) == pytest.approx(2.5, rel=1e-12)
    assert demand.cooling_share(2.5) == pytest.approx(0.6, rel=1e-12)
    # the measured industry average PUE 1.58 (Uptime 2023) leaves at most 37 % for cooling,
    # consistent with the US DOE "up to 40 %"
    assert demand.cooling_share(1.58) < 0.40
    assert demand.cooling_share(1.58, electrical_overhead=0.1) == pytest.approx(0.48 / 1.58, rel=1e-12)


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
    with pytest.raises(InputError, match=r"unknown accelerator 'B200'; valid names: .*'H100'"):
        demand.Fleet("B200", count=1)
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


# --------------------------------------------------------------------------
# facility overhead


def test_facility_power_scalar_array_series():
    assert demand.facility_power(10.0, 1.25) == pytest.approx(12.5)
    np.testing.assert_allclose(demand.facility_power(np.array([1.0, 2.0]), 1.5), [1.5, 3.0])
    s = pd.Series([1.0, 2.0], index=["a", "b"])
    out = demand.facility_power(s, 1.2)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b"]
    with pytest.raises(InputError, match="pue: 0.9 is below 1"):
        demand.facility_power(1.0, 0.9)


def test_pue_from_cooling_share_validation():
    with pytest.raises(InputError, match="must be below 1"):
        demand.pue_from_cooling_share(0.7, other_share=0.3)
    with pytest.raises(InputError, match="exceeds PUE - 1"):
        demand.cooling_share(1.1, electrical_overhead=0.2)


def test_free_cooling_fraction_limits_and_hours():
    assert demand.free_cooling_fraction(0.0, threshold_c=0.0) == pytest.approx(0.5)
    assert demand.free_cooling_fraction(-30.0, threshold_c=10.0) == 1.0
    assert demand.free_cooling_fraction(40.0, threshold_c=10.0) == 0.0
    temps = pd.Series(np.tile(np.arange(24, dtype=float), 365))  # 0..23 C every day
    assert demand.free_cooling_hours(temps, threshold_c=11.5) == pytest.approx(8760 / 2)


def test_pue_from_climate_colder_is_better():
    temps = pd.Series([5.0, 12.0, 22.0], index=["Heilongjiang", "Beijing", "Guangdong"])
    pue = demand.pue_from_climate(temps, cooling="chiller_economizer")
    assert isinstance(pue, pd.Series)
    assert pue.is_monotonic_increasing
    tech = demand.COOLING_TECHNOLOGIES["chiller_economizer"]
    assert (pue >= tech["pue_free"]).all() and (pue <= tech["pue_mechanical"]).all()
    assert demand.pue_from_climate(12.0, cooling="liquid") < demand.pue_from_climate(12.0, cooling="air_chiller")
    assert demand.pue_from_climate(30.0, free_fraction=1.0, cooling="liquid") == pytest.approx(1.10)
    with pytest.raises(InputError, match=r"unknown cooling technology 'fans'; valid: \["):
        demand.pue_from_climate(10.0, cooling="fans")


def test_water():
    assert demand.wue("chiller_economizer") == pytest.approx(1.8)
    # 1 MWh of IT energy at 1.8 L/kWh = 1,800 L = 1.8 m3
    assert demand.water_m3(1.0, 1.8) == pytest.approx(1.8)
    table = demand.cooling_technologies()
    assert set(table.columns) >= {"pue_mechanical", "pue_free", "free_cooling_max_temp_c", "wue_l_per_kwh"}


# --------------------------------------------------------------------------
# growth


def test_iea_trajectory_sourced_points_and_interpolation():
    assert demand.national_demand_twh(2024) == pytest.approx(102)
    assert demand.national_demand_twh(2030) == pytest.approx(277)
    # geometric: the midpoint year is the geometric mean
    assert demand.national_demand_twh(2027) == pytest.approx(np.sqrt(102 * 277), rel=1e-12)
    years = [demand.national_demand_twh(y) for y in range(2024, 2031)]
    assert np.all(np.diff(years) > 0)


def test_trajectories_table():
    t = demand.trajectories()
    assert list(t.columns) == ["preset", "year", "twh", "status", "source"]
    assert {"iea-2025-base", "caict-2025", "greenpeace-2019"} <= set(t["preset"])
    assert demand.national_demand_twh(2030, "caict-2025") == pytest.approx(400)


def test_trajectory_errors():
    with pytest.raises(InputError, match=r"unknown trajectory preset 'iea'; valid presets: \["):
        demand.national_demand_twh(2030, "iea")
    with pytest.raises(InputError, match=r"year 2035 is outside .*2024\.\.2030"):
        demand.national_demand_twh(2035)


def test_it_mw_from_twh():
    assert demand.it_mw_from_twh(8.76, pue=1.0) == pytest.approx(1000)
    assert demand.it_mw_from_twh(277, pue=1.42) == pytest.approx(277e6 / 8760 / 1.42)
    with pytest.raises(InputError, match="pue"):
        demand.it_mw_from_twh(100, pue=0.5)
    with pytest.raises(InputError, match="twh is negative"):
        demand.it_mw_from_twh(-1, pue=1.2)


# --------------------------------------------------------------------------
# where and how urgent


def test_workload_classes_contract():
    cls = demand.workload_classes()
    assert list(cls.index) == ["interactive", "near_realtime", "batch"]
    assert cls.index.name == "workload"
    assert list(cls.columns) == ["share", "rtt_max_ms", "flexible", "profile", "description"]
    assert cls["share"].sum() == pytest.approx(1.0, abs=1e-12)
    assert cls.loc["interactive", "rtt_max_ms"] == 20.0
    assert cls.loc["near_realtime", "rtt_max_ms"] == 50.0
    assert np.isnan(cls.loc["batch", "rtt_max_ms"])
    assert cls["flexible"].tolist() == [False, False, True]
    assert cls["flexible"].dtype == bool
    assert cls["profile"].tolist() == ["users", "users", "flat"]


def test_spatial_split_population():
    prov = datasets.provinces()
    out = demand.spatial_split(1000.0)
    assert list(out.columns) == ["origin", "workload", "it_mw"]
    assert len(out) == 31 * 3
    assert set(out["origin"]) == set(prov.index)
    assert set(out["workload"]) == {"interactive", "near_realtime", "batch"}
    assert not out.duplicated(["origin", "workload"]).any()
    assert out["it_mw"].sum() == pytest.approx(1000.0, rel=1e-12)
    by_province = out.groupby("origin")["it_mw"].sum()
    expected = 1000.0 * prov["population_million"] / prov["population_million"].sum()
    pd.testing.assert_series_equal(by_province.sort_index(), expected.sort_index(), check_names=False)
    by_class = out.groupby("workload")["it_mw"].sum()
    assert by_class["batch"] == pytest.approx(400.0, rel=1e-12)


def test_spatial_split_gdp_and_user_weights():
    gdp = demand.spatial_split(500.0, key="gdp").groupby("origin")["it_mw"].sum()
    assert gdp.idxmax() == datasets.provinces()["gdp_billion_cny"].idxmax()
    weights = pd.Series({"Beijing": 1.0, "Shanghai": 3.0})
    out = demand.spatial_split(40.0, key=weights)
    assert len(out) == 93
    per = out.groupby("origin")["it_mw"].sum()
    assert per["Shanghai"] == pytest.approx(30.0)
    assert per["Beijing"] == pytest.approx(10.0)
    assert per.drop(["Beijing", "Shanghai"]).eq(0).all()


def test_spatial_split_custom_classes():
    classes = pd.DataFrame(
        {
            "workload": ["chat", "training"],
            "share": [0.7, 0.3],
            "rtt_max_ms": [30.0, np.nan],
            "flexible": [False, True],
            "profile": ["users", "flat"],
        }
    )
    out = demand.spatial_split(100.0, classes=classes)
    assert len(out) == 62
    assert out.groupby("workload")["it_mw"].sum()["chat"] == pytest.approx(70.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key": pd.Series({"Atlantis": 1.0})}, r"unknown province 'Atlantis'"),
        ({"key": pd.Series({"Beijing": -2.0})}, r"province 'Beijing': -2 is negative"),
        ({"key": pd.Series({"Beijing": np.nan})}, r"province 'Beijing': nan is missing"),
        ({"key": pd.Series({"Beijing": 0.0})}, r"all weights are zero"),
        ({"key": "income"}, r"key: 'income' is not one of \['gdp', 'population'\]"),
    ],
)
def test_spatial_split_weight_errors(kwargs, message):
    with pytest.raises(InputError, match=message):
        demand.spatial_split(10.0, **kwargs)


def test_spatial_split_other_errors():
    with pytest.raises(InputError, match="it_mw: -1 is negative"):
        demand.spatial_split(-1.0)
    classes = demand.workload_classes().assign(share=[0.5, 0.5, 0.5])
    with pytest.raises(InputError, match="column 'share' sums to 1.5; expected 1"):
        demand.spatial_split(10.0, classes=classes)
    classes = demand.workload_classes().assign(profile=["users", "sine", "flat"])
    with pytest.raises(InputError, match=r"row 'near_realtime', column 'profile'"):
        demand.spatial_split(10.0, classes=classes)


def test_class_profiles_contract():
    prof = demand.class_profiles()
    assert prof.shape == (8760, 3)
    assert list(prof.columns) == ["interactive", "near_realtime", "batch"]
    assert prof.index.equals(datasets.profiles().index)
    np.testing.assert_allclose(prof.mean().to_numpy(), 1.0, rtol=0, atol=1e-12)
    assert (prof["batch"] == 1.0).all()
    hourly = prof["interactive"].groupby(prof.index.hour).mean()
    assert 9 <= hourly.idxmax() <= 22  # daytime / evening in CST
    assert hourly.idxmin() in (3, 4, 5)
    assert hourly[4] < 0.5 * hourly[12]


def test_class_profiles_custom_index():
    naive = pd.date_range("2024-06-01", periods=48, freq="h")
    prof = demand.class_profiles(index=naive)
    assert prof.index.equals(naive)
    np.testing.assert_allclose(prof.mean().to_numpy(), 1.0, atol=1e-12)
    utc = pd.date_range("2024-06-01", periods=24, freq="h", tz="UTC")
    # 20:00 UTC is 04:00 CST, the night trough
    by_utc_hour = demand.class_profiles(index=utc)["interactive"]
    assert by_utc_hour.idxmin().hour == 20
    with pytest.raises(InputError, match="DatetimeIndex"):
        demand.class_profiles(index=pd.RangeIndex(24))


def test_provincial_demand_chain():
    out = demand.provincial_demand(2030, preset="iea-2025-base", pue=1.42)
    assert list(out.columns) == ["origin", "workload", "it_mw"]
    assert out["it_mw"].sum() == pytest.approx(277e6 / 8760 / 1.42, rel=1e-12)
    assert demand.provincial_demand(2024)["it_mw"].sum() == pytest.approx(
        demand.it_mw_from_twh(102, demand.NATIONAL_PUE), rel=1e-12
    )


def test_example_runs_and_writes_table(tmp_path, capsys):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "ai_power_demand.py"
    spec = importlib.util.spec_from_file_location("ai_power_demand", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([str(tmp_path)])
    table = pd.read_csv(tmp_path / "published_figures.csv")
    assert len(table) == 9
    assert table["difference_pct"].abs().max() < 100 * REL
    assert (tmp_path / "trajectories.csv").is_file()
    assert "de Vries" in capsys.readouterr().out
