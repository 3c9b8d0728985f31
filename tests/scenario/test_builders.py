"""Scenario.from_data: province attributes, RTT and distances, user tables from CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import siting
from siting import network
from siting.errors import InputError
from siting.scenario import Scenario


def test_site_attributes_come_from_provinces(edwc_avg):
    prov = siting.datasets.provinces()
    s = edwc_avg.sites
    np.testing.assert_allclose(
        s["grid_ef_t_co2_per_mwh"], prov.loc[s["province"], "grid_ef_t_co2_per_mwh"].to_numpy()
    )
    # colder sites get a lower PUE with the same cooling technology
    assert s.loc["Horinger", "pue"] < s.loc["Shaoguan", "pue"]


def test_rtt_model():
    # 1,000 km at route factor 1.5, 200,000 km/s and 1 ms overhead: 2 * 1500 / 200000 s + 1 ms = 16 ms
    assert network.rtt_ms(1000.0, route_factor=1.5, fibre_speed_km_per_s=200_000, overhead_ms=1.0) == pytest.approx(16.0)
    # Beijing to Shanghai is about 1,070 km on the ellipsoid
    d = network.distance_km(39.9042, 116.4074, 31.2304, 121.4737)
    assert d == pytest.approx(1067, rel=0.01)
    with pytest.raises(InputError, match="route_factor must be >= 1"):
        network.rtt_ms(10.0, route_factor=0.5)


def test_user_tables_from_csv(tmp_path):
    sites = siting.datasets.sites().loc[["Horinger", "Zhongwei", "Shanghai", "Beijing"]]
    sites.to_csv(tmp_path / "sites.csv")
    demand = pd.DataFrame(
        {"origin": ["Beijing", "Shanghai", "Beijing"], "workload": ["interactive", "interactive", "batch"], "it_mw": [100.0, 80.0, 500.0]}
    )
    demand.to_csv(tmp_path / "demand.csv", index=False)
    scn = Scenario.from_data("mine", sites=tmp_path / "sites.csv", demand=tmp_path / "demand.csv", resolution="average")
    assert scn.total_demand_mw == pytest.approx(680.0)
    res = siting.solve(scn)
    assert res.allocation["it_mw"].sum() == pytest.approx(680.0)
    demand.rename(columns={"it_mw": "load"}).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(InputError, match="bad.csv: missing column 'it_mw'"):
        Scenario.from_data("mine", sites=tmp_path / "sites.csv", demand=tmp_path / "bad.csv")


def test_local_only_may_be_one_site_name():
    sites = siting.datasets.sites().loc[["Chengdu", "Tianfu"]]
    scn = Scenario.from_data("mine", sites=sites, local_only="Chengdu")
    assert scn.sites["local_only"].to_dict() == {"Chengdu": True, "Tianfu": False}
    with pytest.raises(InputError, match="local_only: expected a list of site names"):
        Scenario.from_data("mine", sites=sites, local_only={"Chengdu": True})


def test_demand_options_with_a_demand_table_are_refused(tmp_path):
    demand = pd.DataFrame({"origin": ["Beijing"], "workload": ["batch"], "it_mw": [10.0]})
    with pytest.raises(InputError, match="from_data: year=2025 applies only to the bundled demand trajectory"):
        Scenario.from_data("mine", demand=demand, year=2025)
    assert Scenario.from_data("mine", year=2025).total_demand_mw < Scenario.from_data("mine").total_demand_mw


def test_demand_from_unknown_provinces_and_gbk_files(tmp_path):
    demand = pd.DataFrame({"origin": ["Beijing", "香港"], "workload": ["batch", "batch"], "it_mw": [10.0, 1.0]})
    demand.to_csv(tmp_path / "d.csv", index=False, encoding="gbk")
    with pytest.raises(InputError, match=r"d.csv: not UTF-8 text \(byte 0x.. on line 3\)"):
        Scenario.from_data("mine", demand=tmp_path / "d.csv")
    with pytest.raises(InputError, match=r"^d.csv: column 'origin' names unknown province '香港' at line 3"):
        Scenario.from_data("mine", demand=tmp_path / "d.csv", encoding="gbk")
