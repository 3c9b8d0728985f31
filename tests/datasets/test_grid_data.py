"""Bundled time-of-use tariffs, corridors and curtailment (issues 12 and 13): loaders, checks, provenance."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from siting import datasets
from siting.datasets import NATIONAL, TOU_PERIODS, parse_hours
from siting.errors import InputError


@pytest.fixture(scope="module")
def tou():
    return datasets.tou()


@pytest.fixture(scope="module")
def curtailment():
    return datasets.curtailment()


# ---------------------------------------------------------------- tou


def test_tou_has_every_province_and_one_national_fallback(tou):
    assert len(tou) == 82
    assert set(tou["province"]) == set(datasets.provinces().index) | {NATIONAL}
    fallback = tou[tou["province"] == NATIONAL]
    assert len(fallback) == 1 and fallback["status"].iloc[0] == "estimate"
    for col in ("months", "day_type", "multiplier_base", "policy_doc", "year", "status",
                "hours_source", "multipliers_source", *(f"{p}_hours" for p in TOU_PERIODS),
                *(f"{p}_mult" for p in TOU_PERIODS)):
        assert col in tou.columns, col
    assert (tou["flat_mult"] == 1).all()
    assert tou["status"].str.match(r"^(sourced|derived|estimate)").all()


def test_every_bundled_tou_row_partitions_its_day(tou):
    for _, row in tou.iterrows():
        hours = sorted(h for p in TOU_PERIODS for h in parse_hours(row[f"{p}_hours"]))
        for (_, b0), (a1, _) in itertools.pairwise(hours):
            assert a1 >= b0 - 1e-9, row["province"]
        if row["day_type"] == "all":
            assert sum(b - a for a, b in hours) == pytest.approx(24), (row["province"], row["season"])


def test_tou_multipliers_positive_where_hours_given(tou):
    for p in TOU_PERIODS:
        has = tou[f"{p}_hours"].notna()
        assert (tou.loc[has, f"{p}_mult"] > 0).all(), p


def test_one_default_grid_for_hebei_and_inner_mongolia(tou):
    default = tou[tou["province_default"]]
    assert set(default.loc[default["province"] == "Hebei", "grid"]) == {"河北南网"}
    assert set(default.loc[default["province"] == "Inner Mongolia", "grid"]) == {"蒙西"}


def _table(tou):
    return tou.reset_index(drop=True).copy()


def test_tou_overlapping_hours_are_refused(tou):
    bad = _table(tou)
    bad.loc[0, "peak_hours"] = "15-24"  # Anhui Jul-Sep: flat has 13-16
    with pytest.raises(InputError, match=r"tou table: row 0: hours .* overlap"):
        datasets.tou(bad)


def test_tou_hours_that_do_not_cover_the_day_are_refused(tou):
    bad = _table(tou)
    bad.loc[0, "peak_hours"] = "16-23"
    with pytest.raises(InputError, match=r"cover 23 h, not 24 \(missing 23-24\)"):
        datasets.tou(bad)


def test_tou_bad_interval_and_unknown_province_and_months(tou, tmp_path):
    bad = _table(tou)
    bad.loc[2, "valley_hours"] = "11-14;23-24;6-0"
    with pytest.raises(InputError, match=r"row 2, column 'valley_hours': '6-0'"):
        datasets.tou(bad)
    bad = _table(tou)
    bad.loc[5, "province"] = "Atlantis"
    with pytest.raises(InputError, match="unknown province 'Atlantis'"):
        datasets.tou(bad)
    bad = _table(tou)
    bad.loc[0, "months"] = "7,8"  # September no longer covered for Anhui
    with pytest.raises(InputError, match=r"covers month\(s\) \[9\]"):
        datasets.tou(bad)
    bad = _table(tou)
    bad.loc[0, "peak_mult"] = 0
    path = tmp_path / "my_tou.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"my_tou.csv: line 2, column 'peak_mult'"):
        datasets.tou(path)


# ---------------------------------------------------------------- corridors


def test_corridors_columns_and_rows():
    cor = datasets.corridors()
    assert len(cor) == 28 and cor.index.name == "corridor"
    for col in ("corridor_zh", "sending_province", "receiving_province", "voltage_kv", "capacity_mw", "length_km",
                "loss_share", "tariff_cny_per_kwh", "tariff_includes_loss", "commissioning_year", "usable_share",
                "usable_share_status", "tariff_status", "tariff_doc", "physical_status", "physical_source"):
        assert col in cor.columns, col
    assert (cor["capacity_mw"] > 0).all() and cor["usable_share"].between(0, 1).all()
    assert cor["loss_share"].between(0, 0.1).all()
    assert set(cor["usable_share_status"]) == {"estimate"}
    assert cor["tariff_includes_loss"].dtype == bool
    # 灵绍 (2022 NDRC 558号): 4.88 分/kWh including a 4.26 % loss
    row = cor[cor["corridor_zh"].str.startswith("灵绍")].iloc[0]
    assert row["tariff_cny_per_kwh"] == pytest.approx(0.0488) and row["loss_share"] == pytest.approx(0.0426)
    assert row["tariff_includes_loss"]


def test_corridor_errors():
    cor = datasets.corridors().reset_index()
    bad = cor.copy()
    bad.loc[3, "capacity_mw"] = 0
    with pytest.raises(InputError, match=r"column 'capacity_mw': 0; expected a capacity > 0"):
        datasets.corridors(bad)
    bad = cor.copy()
    bad.loc[3, "usable_share"] = 1.4
    with pytest.raises(InputError, match=r"column 'usable_share': 1.4 is above the maximum 1"):
        datasets.corridors(bad)
    bad = cor.copy()
    bad.loc[3, "receiving_province"] = "Yunan"
    with pytest.raises(InputError, match="unknown province 'Yunan'"):
        datasets.corridors(bad)


# ---------------------------------------------------------------- curtailment


def test_curtailment_rows_and_columns(curtailment):
    assert len(curtailment) == 3 * 32 * 2
    assert set(curtailment["year"]) == {2022, 2023, 2024}
    assert set(curtailment["technology"]) == {"solar", "wind"}
    assert curtailment["curtailment_share"].between(0, 1).all()
    assert (curtailment["installed_mw"] > 0).all()
    # provinces sum to the national capacity (NEA solar 2024: 886.7 GW)
    sol = curtailment[(curtailment["year"] == 2024) & (curtailment["technology"] == "solar")].set_index("province")
    assert sol.at[NATIONAL, "installed_mw"] == pytest.approx(sol.drop(index=NATIONAL)["installed_mw"].sum(), rel=1e-3)
    assert sol.at[NATIONAL, "installed_mw"] == pytest.approx(886_700, rel=0.01)


def test_inner_mongolia_is_merged_capacity_weighted(curtailment):
    research = pd.read_csv(datasets.data_dir().parent / "docs" / "research" / "curtailment.csv") if (
        datasets.data_dir().parent / "docs" / "research" / "curtailment.csv"
    ).is_file() else None
    im = curtailment[curtailment["province"] == "Inner Mongolia"].set_index(["year", "technology"])
    assert len(im) == 6  # one row per year and technology, not one per grid
    # 2024 wind: 蒙西 4.60 %, 蒙东 5.66 %, 蒙东 weight 43.70 GW / 127.33 GW
    w = 43.70 / (79.12 + 48.2087)
    assert im.at[(2024, "wind"), "curtailment_share"] == pytest.approx((1 - w) * 0.0460 + w * 0.0566, abs=1e-4)
    assert im.at[(2024, "wind"), "installed_mw"] == pytest.approx(79_120)  # whole province, not doubled
    assert (im["curtailment_status"] == "estimate").all()
    assert im["curtailment_source"].str.contains("蒙西").all() and im["curtailment_source"].str.contains("蒙东").all()
    if research is not None:
        grids = research[research["province"] == "Inner Mongolia"]
        lo = grids.groupby("year")["wind_curtailment_share"].min()
        hi = grids.groupby("year")["wind_curtailment_share"].max()
        merged = im.xs("wind", level="technology")["curtailment_share"]
        assert ((merged >= lo - 1e-9) & (merged <= hi + 1e-9)).all()


def test_curtailment_errors(curtailment):
    bad = curtailment.copy()
    bad.loc[4, "curtailment_share"] = -0.1
    with pytest.raises(InputError, match=r"row 4, column 'curtailment_share': -0.1 is negative"):
        datasets.curtailment(bad)
    bad = pd.concat([curtailment, curtailment.iloc[[0]]], ignore_index=True)
    with pytest.raises(InputError, match="appears more than once"):
        datasets.curtailment(bad)
    bad = curtailment.copy()
    bad.loc[0, "technology"] = "hydro"
    with pytest.raises(InputError, match=r"'hydro' is not one of \['solar', 'wind'\]"):
        datasets.curtailment(bad)


def test_province_columns_for_2024(curtailment):
    prov = datasets.provinces()
    for col in ("solar_installed_mw", "wind_installed_mw", "solar_curtailment_share", "wind_curtailment_share"):
        assert prov[col].notna().all(), col
    c24 = curtailment[(curtailment["year"] == 2024) & (curtailment["technology"] == "wind")].set_index("province")
    np.testing.assert_allclose(prov["wind_curtailment_share"], c24.loc[prov.index, "curtailment_share"])
    # the price parts add up to the price (Tibet: funds not itemised, not in the price)
    parts = prov[["coal_benchmark_cny_per_kwh", "grid_loss_cny_per_kwh", "td_energy_charge_cny_per_kwh"]].sum(axis=1)
    parts += prov["government_funds_cny_per_kwh"].fillna(0)
    np.testing.assert_allclose(parts, prov["electricity_price_cny_per_kwh"], atol=2e-4)


# ---------------------------------------------------------------- parameters and provenance


NEW_PARAMETERS = {
    "battery_power_capex_cny_per_kw": (300, "derived"),
    "battery_energy_capex_cny_per_kwh": (404, "derived"),
    "battery_fixed_om_cny_per_kw_year": (7.5, "estimate"),
    "battery_fixed_om_cny_per_kwh_year": (10.1, "estimate"),
    "battery_lifetime_years": (15, "estimate"),
    "battery_round_trip_efficiency": (0.85, "estimate"),
    "battery_duration_min_h": (1, "estimate"),
    "battery_duration_max_h": (4, "estimate"),
    "green_certificate_cny_per_mwh": (5.1, "derived"),
    "curtailed_energy_price_cny_per_kwh": (0.163, "derived"),
}


def test_new_parameters():
    table = datasets.parameters()
    for name, (value, status) in NEW_PARAMETERS.items():
        assert datasets.parameter(name) == pytest.approx(value), name
        assert table.at[name, "status"] == status, name
    # the two-point fit reproduces the CENSA 2 h and 4 h averages [CNY/kWh]
    c_p, c_e = datasets.parameter("battery_power_capex_cny_per_kw"), datasets.parameter("battery_energy_capex_cny_per_kwh")
    assert c_e + c_p / 2 == pytest.approx(554) and c_e + c_p / 4 == pytest.approx(479)
    # curtailed energy price = mean of the T&D + funds adders
    prov = datasets.provinces().dropna(subset=["government_funds_cny_per_kwh"])
    mean = (prov["td_energy_charge_cny_per_kwh"] + prov["government_funds_cny_per_kwh"]).mean()
    assert datasets.parameter("curtailed_energy_price_cny_per_kwh") == pytest.approx(mean, abs=5e-4)


def test_no_citation_outside_the_repository():
    for path in datasets.data_dir().iterdir():
        if path.is_file() and path.suffix in (".csv", ".md"):
            assert "shared/reference" not in path.read_text(encoding="utf-8"), path.name


def test_bundled_files_list_their_loaders():
    loaders = datasets.files()["loader"]
    assert loaders["tou.csv"] == "tou" and loaders["corridors.csv"] == "corridors"
    assert loaders["curtailment.csv"] == "curtailment"


def test_tariffs_that_include_the_loss_do_not_charge_it_twice():
    # 灵绍 (NDRC 558号, 含线损): 4.88 分/kWh, loss 4.26 %, Ningxia benchmark 0.2595 CNY/kWh;
    # its loss part 0.2595 × 0.0426 / 0.9574 = 0.011547 comes out of the scenario's tariff
    from siting.scenario.grid import bundled_grid

    cor, prov = datasets.corridors(), datasets.provinces()
    lines, _ = bundled_grid()
    row = cor.index[cor["corridor_zh"].str.startswith("灵绍")][0]
    assert lines.at[row, "tariff_cny_per_kwh"] == pytest.approx(0.0488 - 0.2595 * 0.0426 / 0.9574, rel=1e-9)
    excluded = ~cor["tariff_includes_loss"]
    np.testing.assert_array_equal(lines.loc[excluded, "tariff_cny_per_kwh"], cor.loc[excluded, "tariff_cny_per_kwh"])
    assert (lines["tariff_cny_per_kwh"] > 0).all() and cor["tariff_includes_loss"].sum() == 9
    assert prov.at["Ningxia", "coal_benchmark_cny_per_kwh"] == pytest.approx(0.2595)
