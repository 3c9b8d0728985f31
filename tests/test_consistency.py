"""Issue 15: a preset, its bundled YAML and the command line are the same scenario and say how it was solved."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import siting
from siting.cli import main

SCENARIOS = Path(__file__).resolve().parents[1] / "examples" / "scenarios"


@pytest.mark.parametrize("name", siting.presets())
def test_preset_yaml_and_cli_give_the_same_scenario_and_objective(name, tmp_path, capsys):
    preset = siting.Scenario.preset(name)
    recipe = siting.Scenario.from_yaml(SCENARIOS / f"{name}.yaml")
    assert recipe.equals(preset), "the bundled YAML differs from the preset (time resolution, parameters, ...)"
    by_preset, by_yaml = siting.solve(preset), siting.solve(recipe)
    resolution = by_preset.resolution
    assert resolution == f"{preset.representative_days} representative days, weather year {preset.weather_year}"
    assert by_yaml.objective_cny == pytest.approx(by_preset.objective_cny, rel=1e-9)

    capsys.readouterr()
    assert main(["run", "--preset", name, "--no-maps", "-o", str(tmp_path / "cli")]) == 0
    printed = capsys.readouterr().out
    meta = yaml.safe_load((tmp_path / "cli" / "result.yaml").read_text(encoding="utf-8"))
    assert meta["objective_cny"] == pytest.approx(by_preset.objective_cny, rel=1e-9)
    assert meta["resolution"] == resolution

    for res in (by_preset, by_yaml):
        assert f"{resolution}, {res.method})" in repr(res)
        assert resolution in str(res.summary).splitlines()[0]
    assert f"({resolution}, {by_preset.method};" in printed
