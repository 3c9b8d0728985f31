"""Scenarios get their sites' profiles from synthetic weather, one weather year at a time."""

from __future__ import annotations

import pandas as pd
import pytest

import siting
from siting.errors import InputError
from siting.weather import WEATHER_YEARS


@pytest.fixture(scope="module")
def edwc():
    return siting.Scenario.preset("east-data-west-computing", resolution="days", representative_days=4)


def test_preset_profiles_are_the_bundled_weather_of_its_year(edwc):
    assert edwc.weather_year == 0
    bundled = siting.datasets.profiles(weather_year=0)
    pd.testing.assert_frame_equal(edwc.re_profiles, bundled.loc[:, edwc.re_profiles.columns], check_exact=True)


def test_replace_weather_year_regenerates_the_profiles_and_nothing_else(edwc):
    other = edwc.replace(weather_year=3)
    assert other.weather_year == 3
    pd.testing.assert_frame_equal(other.re_profiles, siting.datasets.profiles(weather_year=3)
                                  .loc[:, other.re_profiles.columns], check_exact=True)
    assert not other.re_profiles.equals(edwc.re_profiles)
    # the annual means stay the capacity factors: only the hours move
    means = other.re_profiles.mean().unstack().loc[edwc.sites.index]
    sites = edwc.sites
    assert means["solar"].to_numpy() == pytest.approx(sites["solar_cf"].to_numpy(), abs=1e-9)
    assert means["wind"].to_numpy() == pytest.approx(sites["wind_cf"].to_numpy(), abs=1e-9)
    pd.testing.assert_frame_equal(other.sites, edwc.sites)
    assert edwc.replace(carbon_price_cny_per_t=50.0).re_profiles.equals(edwc.re_profiles)


def test_weather_years_change_the_optimum(edwc):
    costs = [siting.solve(edwc.replace(weather_year=k)).objective_cny for k in (0, 1)]
    assert costs[0] != costs[1]
    assert abs(costs[0] - costs[1]) / costs[0] < 0.05


def test_user_sites_get_profiles_from_their_coordinates():
    sites = siting.datasets.sites().loc[["Zhongwei", "Shanghai"]].copy()
    sites.index = ["Desert campus", "Coast campus"]
    sites.index.name = "site"
    demand = pd.DataFrame({"origin": ["Ningxia", "Shanghai"], "workload": ["batch", "batch"], "it_mw": [50.0, 50.0]})
    scn = siting.Scenario.from_data("mine", sites=sites, demand=demand, resolution="days", representative_days=2)
    assert set(scn.re_profiles.columns.get_level_values(0)) == {"Desert campus", "Coast campus"}
    # the same coordinates give the same weather as the bundled site
    pd.testing.assert_series_equal(scn.re_profiles[("Desert campus", "wind")],
                                   siting.datasets.profiles()[("Zhongwei", "wind")], check_names=False)
    assert siting.solve(scn).status == "optimal"


def test_weather_year_is_validated_and_exclusive_with_a_profile_table(edwc):
    for bad in (-1, WEATHER_YEARS, 1.5, "2", True):
        with pytest.raises(InputError, match="weather_year"):
            edwc.replace(weather_year=bad)
    assert edwc.replace(weather_year=2.0).weather_year == 2
    table = edwc.replace(re_profiles=edwc.re_profiles.copy())
    assert table.weather_year is None
    with pytest.raises(InputError, match="weather_year applies to generated profiles"):
        edwc.replace(re_profiles=edwc.re_profiles.copy(), weather_year=1)
    # a table scenario may switch to generated weather
    assert table.replace(weather_year=1).weather_year == 1


def test_weather_year_round_trips_through_yaml(tmp_path, edwc):
    scn = edwc.replace(weather_year=4)
    again = siting.Scenario.from_yaml(scn.to_yaml(tmp_path / "s.yaml"))
    assert again.weather_year == 4
    assert again.equals(scn)


def test_cli_set_weather_year(tmp_path):
    from siting.cli import main

    assert main(["-q", "run", "--preset", "east-only", "--days", "1", "--set", "weather_year=3",
                 "-o", str(tmp_path / "r")]) == 0
    assert siting.Result.from_dir(tmp_path / "r").scenario.weather_year == 3
