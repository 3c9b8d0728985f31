"""YAML files: round trip of the complete form, recipes and malformed files."""

from __future__ import annotations

import pytest

from siting.errors import InputError
from siting.scenario import Scenario


def test_yaml_round_trip(tmp_path, edwc_avg):
    scn = edwc_avg.replace(carbon_price_cny_per_t=123.0, green_share_min=0.5, rtt_max_ms_interactive=15)
    path = scn.to_yaml(tmp_path / "s.yaml")
    again = Scenario.from_yaml(path)
    assert again.equals(scn)
    assert again.parameters == scn.parameters


def test_yaml_recipe_and_errors(tmp_path):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "name: test\npreset: east-only\ndemand: {year: 2028}\nrtt_max_ms: {interactive: 12}\n"
        "parameters: {resolution: average, carbon_price_cny_per_t: 50}\n"
    )
    scn = Scenario.from_yaml(recipe)
    assert scn.name == "test"
    assert scn.workloads.at["interactive", "rtt_max_ms"] == 12
    assert scn.carbon_price_cny_per_t == 50
    assert scn.total_demand_mw < Scenario.preset("east-only", resolution="average").total_demand_mw
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(InputError, match="bad.yaml: malformed YAML"):
        Scenario.from_yaml(bad)
    bad.write_text("preset: east-only\ncolour: blue\n")
    with pytest.raises(InputError, match="unknown key 'colour'"):
        Scenario.from_yaml(bad)
    with pytest.raises(InputError, match="file not found"):
        Scenario.from_yaml(tmp_path / "missing.yaml")
