"""Corridors (moving watts) and curtailed energy: hand-solvable cases, invariants, monotone responses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import siting
from siting.model.build import time_slices
from siting.scenario.grid import curtailed_power, province_profiles
from tests.conftest import check_invariants, make_scenario

H = 8760
PHI = 0.15  # solar capacity factor of the sending province and of the western site
LOSS = 0.1
TARIFF = 0.05  # CNY/kWh


def grid_tables(solar_installed: float = 0.0, solar_share: float = 0.0):
    provinces = pd.DataFrame(
        {
            "region": ["east", "west"], "lat": [31.0, 38.0], "lon": [121.0, 106.0],
            "solar_cf": [PHI, PHI], "wind_cf": [0.25, 0.25],
            "solar_installed_mw": [solar_installed, 0.0], "wind_installed_mw": [0.0, 0.0],
            "solar_curtailment_share": [solar_share, 0.0], "wind_curtailment_share": [0.0, 0.0],
        },
        index=pd.Index(["Shanghai", "Ningxia"], name="province"),
    )
    lines = pd.DataFrame(
        {"sending_province": ["Ningxia"], "receiving_province": ["Shanghai"], "capacity_mw": [1e5], "usable_share": [1.0],
         "loss_share": [LOSS], "tariff_cny_per_kwh": [TARIFF]},
        index=pd.Index(["T"], name="corridor"),
    )
    return lines, provinces


def bits_or_watts(network: float, **params):
    """Origin Shanghai. Serve 10 MW at E (Shanghai, 1 km) with solar bought in Ningxia over corridor T, or at W
    (Ningxia, 30 km) with W's own solar (CF 0.15); grid power at 2 CNY/kWh is dearer than either."""
    lines, provinces = grid_tables()
    sites = {
        "E": {"province": "Shanghai", "electricity_price_cny_per_kwh": 2.0},
        "W": {"province": "Ningxia", "electricity_price_cny_per_kwh": 2.0, "solar_max_mw": 1e4, "role": "west"},
    }
    scn = make_scenario(sites, [("Shanghai", "batch", 10.0)], {("Shanghai", "E"): 1.0, ("Shanghai", "W"): 30.0},
                        workloads={"batch": {"rtt_max_ms": np.nan, "flexible": False}},
                        solar={"W": np.full(H, PHI)}, solar_capex_cny_per_kw=3000.0, wind_capex_cny_per_kw=1e6,
                        network_cost_cny_per_mw_km_year=network, corridor_lines=lines, grid_provinces=provinces,
                        corridors=True, **params)
    return scn


def threshold(scn) -> float:
    # per MW of load, a year: bits = 30 n + c / phi;  watts = 1 n + c / (phi (1 - L)) + 8.76e6 tariff
    c = scn.annualised_cost()["solar"]
    return (c / (PHI * (1 - LOSS)) + H * 1000 * TARIFF - c / PHI) / 29.0


def test_send_profile_is_the_province_capacity_factor_on_one_average_slice():
    scn = bits_or_watts(0.0)
    assert time_slices(scn).values["send|Ningxia|solar"].iat[0] == pytest.approx(PHI, rel=1e-9)


@pytest.mark.parametrize("method", ["direct", "benders"])
def test_network_cost_flips_bits_to_watts_at_the_computed_threshold(method):
    n_star = threshold(bits_or_watts(0.0))
    bits = siting.solve(bits_or_watts(0.99 * n_star), method=method)
    watts = siting.solve(bits_or_watts(1.01 * n_star), method=method)
    for scn, res in ((bits_or_watts(0.99 * n_star), bits), (bits_or_watts(1.01 * n_star), watts)):
        check_invariants(scn, res)
        check_grid(scn, res)
    assert bits.sites.at["W", "it_load_mw"] == pytest.approx(10.0, rel=1e-9)
    assert bits.summary["moved_watts_mwh"] == pytest.approx(0.0, abs=1e-6)
    assert bits.summary["moved_bits_mwh"] == pytest.approx(10.0 * H, rel=1e-9)
    assert watts.sites.at["E", "it_load_mw"] == pytest.approx(10.0, rel=1e-9)
    # E's whole facility energy arrives over the line, (1 - L) of what is sent
    assert watts.summary["moved_watts_mwh"] == pytest.approx(10.0 * H, rel=1e-6)
    assert watts.corridors.at["T", "sent_mwh"] == pytest.approx(10.0 * H / (1 - LOSS), rel=1e-6)
    assert watts.summary["transmission_loss_mwh"] == pytest.approx(10.0 * H * LOSS / (1 - LOSS), rel=1e-6)
    assert watts.summary["moved_bits_mwh"] == pytest.approx(0.0, abs=1e-6)
    assert watts.summary["green_share_hourly"] == pytest.approx(1.0, rel=1e-9)


def test_curtailed_power_takes_the_highest_hours_first():
    # 40 MWh in two hours, 25 % curtailed: the level is 20 MW, 10 MWh off the 30 MW hour
    np.testing.assert_allclose(curtailed_power(np.array([10.0, 30.0]), 0.25), [0.0, 10.0])
    out = np.random.default_rng(1).uniform(0, 100, H)
    cut = curtailed_power(out, 0.07)
    assert cut.sum() == pytest.approx(0.07 * out.sum(), rel=1e-12)
    level = (out - cut)[cut > 0]
    assert np.allclose(level, level[0]) and (out[cut == 0] <= level[0] + 1e-9).all()


def curtailment_case(resolution: str = "days", **params):
    """Site A in Shanghai (5,000 MW flat load) may absorb its curtailment: 2,000 MW of solar, 10 % curtailed."""
    lines, provinces = grid_tables(solar_installed=2000.0, solar_share=0.1)
    sites = {"A": {"province": "Shanghai", "electricity_price_cny_per_kwh": 0.5}}
    return make_scenario(sites, [("Shanghai", "batch", 5000.0)], {("Shanghai", "A"): 1.0},
                         workloads={"batch": {"rtt_max_ms": np.nan, "flexible": False}},
                         corridor_lines=lines, grid_provinces=provinces, curtailment=True,
                         **{"curtailed_energy_price_cny_per_kwh": 0.1, "resolution": resolution,
                            "representative_days": 4, **params})


@pytest.mark.parametrize("method", ["direct", "benders"])
def test_absorbed_energy_is_the_province_curtailment(method):
    scn = curtailment_case()
    res = siting.solve(scn, method=method)
    check_invariants(scn, res)
    check_grid(scn, res)
    # the load exceeds the curtailed power in every hour and curtailed energy is cheaper than the grid
    expected = 0.1 * 2000.0 * PHI * H
    assert res.summary["curtailment_absorbed_mwh"] == pytest.approx(expected, rel=1e-6)
    assert res.summary["curtailment_absorbed_share"] == pytest.approx(1.0, rel=1e-6)
    assert res.summary["cost_curtailment_cny"] == pytest.approx(expected * 100.0, rel=1e-6)
    assert res.sites.at["A", "grid_mwh"] == pytest.approx(5000.0 * H - expected, rel=1e-6)
    hourly = province_profiles(scn.grid_provinces, ["Shanghai"], 0)[("Shanghai", "solar")].to_numpy() * 2000.0
    assert curtailed_power(hourly, 0.1).sum() == pytest.approx(expected, rel=1e-9)


def test_dear_curtailed_energy_is_not_absorbed():
    res = siting.solve(curtailment_case(curtailed_energy_price_cny_per_kwh=0.6))
    assert res.summary["curtailment_absorbed_mwh"] == pytest.approx(0.0, abs=1e-6)


def check_grid(scn, res):
    """Absorbed <= curtailed per province and slice; corridor flow <= capacity per slice; delivered = sent (1 - loss)."""
    d = res.dispatch
    if scn.curtailment and "absorbed_mw" in d:
        from siting.model.build import build

        model = build(scn)
        values = model.slices.values
        for province, peak in model.curtailment_peaks.items():
            sites = scn.sites.index[scn.sites["province"] == province]
            absorbed = d[d["site"].isin(sites)].groupby("slice")["absorbed_mw"].sum().to_numpy()
            assert (absorbed <= peak * values[f"curt|{province}"].to_numpy() + 1e-6).all()
    c = res.corridors
    if len(c):
        assert (c["peak_flow_mw"] <= c["capacity_mw"] * (1 + 1e-9) + 1e-6).all()
        loss = scn.corridor_lines["loss_share"].reindex(c.index)
        np.testing.assert_allclose(c["delivered_mwh"], c["sent_mwh"] * (1 - loss), rtol=1e-12)
        np.testing.assert_allclose(c["loss_mwh"], c["sent_mwh"] * loss, rtol=1e-12)


def test_preset_options_never_raise_cost_and_agree_between_methods(edwc):
    base = siting.solve(edwc)
    costs = {}
    for name, changes in (("corridors", {"corridors": True}), ("curtailment", {"curtailment": True})):
        scn = edwc.replace(**changes)
        direct, bench = siting.solve(scn, method="direct"), siting.solve(scn, method="benders")
        check_invariants(scn, bench)
        check_grid(scn, bench)
        check_grid(scn, direct)
        assert bench.objective_cny == pytest.approx(direct.objective_cny, rel=1e-6)
        costs[name] = direct.objective_cny
        assert costs[name] <= base.objective_cny * (1 + 1e-6)
    used = siting.solve(edwc.replace(corridors=True)).summary["moved_watts_mwh"]
    lines = edwc.corridor_lines.copy()
    lines["tariff_cny_per_kwh"] *= 3
    dearer = siting.solve(edwc.replace(corridors=True, corridor_lines=lines)).summary["moved_watts_mwh"]
    assert used > 0 and dearer <= used * (1 + 1e-9)


def test_corridors_need_their_tables():
    with pytest.raises(siting.InputError, match="corridor_lines"):
        bits_or_watts(0.0).replace(corridor_lines=None)
    scn = make_scenario({"A": {"province": "Nowhere"}}, [("Shanghai", "batch", 1.0)], {("Shanghai", "A"): 1.0},
                        workloads={"batch": {"rtt_max_ms": np.nan, "flexible": False}})
    lines, provinces = grid_tables()
    with pytest.raises(siting.InputError, match="site province 'Nowhere'"):
        scn.replace(grid_provinces=provinces, curtailment=True)

