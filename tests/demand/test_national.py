"""Tests of siting.demand.national: trajectories, invariants of the spatial split
and profiles, input validation, and the demand example."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siting import datasets, demand
from siting.errors import InputError

REL = 0.02  # the tolerance for rebuilt published figures


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

    path = Path(__file__).resolve().parents[2] / "examples" / "ai_power_demand.py"
    spec = importlib.util.spec_from_file_location("ai_power_demand", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([str(tmp_path)])
    table = pd.read_csv(tmp_path / "published_figures.csv")
    assert len(table) == 9
    assert table["difference_pct"].abs().max() < 100 * REL
    assert (tmp_path / "trajectories.csv").is_file()
    assert "de Vries" in capsys.readouterr().out

