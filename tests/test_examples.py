"""Every example script and every YAML scenario runs and writes sensible output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import siting

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCENARIOS = sorted((EXAMPLES / "scenarios").glob("*.yaml"))


def run_example(name: str, out: Path, timeout: float = 120) -> str:
    """Run ``examples/<name>`` in a subprocess with the siting under test; return stdout."""
    env = {**os.environ, "PYTHONPATH": str(Path(siting.__file__).parents[1]), "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name), str(out)],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=out.parent,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_every_example_has_a_test():
    tested = {"ai_power_demand.py", "east_vs_west.py", "latency_tradeoff.py", "carbon_and_green_targets.py",
              "own_data.py", "maps.py", "pareto_and_uncertainty.py"}
    assert {p.name for p in EXAMPLES.glob("*.py")} <= tested


def test_ai_power_demand(tmp_path):
    out = tmp_path / "demand"
    stdout = run_example("ai_power_demand.py", out)
    figures = pd.read_csv(out / "published_figures.csv")
    assert figures["difference_pct"].abs().max() < 25
    assert "ChatGPT" in stdout
    assert (out / "trajectories.csv").is_file()


@pytest.mark.slow
def test_east_vs_west(tmp_path):
    out = tmp_path / "evw"
    stdout = run_example("east_vs_west.py", out)
    table = pd.read_csv(out / "comparison.csv", index_col=[0, 1])
    cost = table.loc[("total cost", "bn CNY/yr")]
    west = table.loc[("western share of capacity", "%")]
    # same demand; the western build-out is cheaper and moves capacity west
    assert cost["east-data-west-computing"] < cost["east-only"]
    assert west["east-data-west-computing"] > west["east-only"]
    assert table.loc[("RTT interactive, max", "ms"), ["east-only", "east-data-west-computing"]].max() <= 20 + 1e-6
    for name in ("east-only", "east-data-west-computing"):
        assert (out / name / "allocation.csv").is_file()
        assert (out / name / "scenario.yaml").is_file()
        assert (out / name / "map.png").stat().st_size > 10_000
    assert (out / "compare.png").stat().st_size > 10_000
    assert "saves" in stdout


@pytest.mark.slow
def test_latency_tradeoff(tmp_path):
    out = tmp_path / "lat"
    run_example("latency_tradeoff.py", out)
    table = pd.read_csv(out / "latency_tradeoff.csv").set_index("rtt_max_ms_interactive")
    assert (table["status"] == "optimal").all()
    # a looser limit can never cost more
    assert table["cost_total_cny"].diff().dropna().max() <= 1e-6 * table["cost_total_cny"].max()
    assert (out / "latency_tradeoff.png").stat().st_size > 10_000


@pytest.mark.slow
def test_carbon_and_green_targets(tmp_path):
    out = tmp_path / "cg"
    run_example("carbon_and_green_targets.py", out)
    carbon = pd.read_csv(out / "carbon_price.csv").set_index("carbon_price_cny_per_t")
    green = pd.read_csv(out / "green_target.csv")
    assert (carbon["status"] == "optimal").all() and (green["status"] == "optimal").all()
    assert carbon["emissions_t"].iloc[-1] < carbon["emissions_t"].iloc[0]
    met = green.dropna(subset=["green_share_min"])
    assert (met["green_share"] >= met["green_share_min"] - 1e-6).all()
    assert (out / "carbon_and_green_targets.png").stat().st_size > 10_000


def test_own_data(tmp_path):
    out = tmp_path / "own"
    run_example("own_data.py", out)
    alloc = pd.read_csv(out / "allocation.csv")
    demand = pd.read_csv(EXAMPLES / "data" / "my_demand.csv")
    assert alloc["it_mw"].sum() == pytest.approx(demand["it_mw"].sum(), rel=1e-6)
    sites = pd.read_csv(EXAMPLES / "data" / "my_sites.csv")
    assert set(alloc["site"]) <= set(sites["site"])
    assert (out / "map.png").is_file()


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_yaml_scenario_solves(path):
    scn = siting.Scenario.from_yaml(path)
    assert scn.name == path.stem
    assert scn.resolution == "days"
    res = siting.solve(scn.replace(resolution="average"))
    assert res.ok
    assert res.summary["demand_it_mw"] == pytest.approx(scn.total_demand_mw)
    assert res.summary["rtt_max_ms_interactive"] <= 20 + 1e-6


def test_yaml_scenarios_cover_the_presets():
    assert {p.stem for p in SCENARIOS} == set(siting.presets())


@pytest.mark.slow
def test_readme_quickstart_runs(tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = text.split("## Quickstart", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert len(code.strip().splitlines()) <= 12
    env = {**os.environ, "PYTHONPATH": str(Path(siting.__file__).parents[1]), "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / "output" / "edwc" / "map.png").is_file()
