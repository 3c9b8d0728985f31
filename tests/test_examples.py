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
#: Statuses of a usable run ("time_limit": feasible, not proven optimal).
FEASIBLE = ("optimal", "time_limit")


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
              "own_data.py", "maps.py", "pareto_and_uncertainty.py", "bits_or_watts.py",
              "green_247.py"}
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
    assert "8 representative days, weather year 0 (benders)" in stdout  # the README table's resolution
    assert "e+" not in stdout


@pytest.mark.slow
def test_latency_tradeoff(tmp_path):
    out = tmp_path / "lat"
    stdout = run_example("latency_tradeoff.py", out)
    assert "every run: 12 representative days, weather year 0 (benders)" in stdout
    assert "bn CNY" in stdout and "e+" not in stdout
    table = pd.read_csv(out / "latency_tradeoff.csv").set_index("rtt_max_ms_interactive")
    assert (table["status"] == "optimal").all()
    # a looser limit can never cost more
    assert table["cost_total_cny"].diff().dropna().max() <= 1e-6 * table["cost_total_cny"].max()
    assert (out / "latency_tradeoff.png").stat().st_size > 10_000


@pytest.mark.slow
def test_carbon_and_green_targets(tmp_path):
    out = tmp_path / "cg"
    stdout = run_example("carbon_and_green_targets.py", out)
    assert "every run: 12 representative days, weather year 0 (benders)" in stdout
    assert "bn CNY" in stdout and "e+" not in stdout
    carbon = pd.read_csv(out / "carbon_price.csv").set_index("carbon_price_cny_per_t")
    green = pd.read_csv(out / "green_target.csv")
    # "time_limit": Benders stopped at its iteration limit with a feasible plan (said in the output)
    assert carbon["status"].isin(FEASIBLE).all() and green["status"].isin(FEASIBLE).all()
    assert carbon["emissions_t"].iloc[-1] < carbon["emissions_t"].iloc[0]
    met = green.dropna(subset=["green_share_min"])
    assert (met["green_share"] >= met["green_share_min"] - 1e-6).all()
    assert (out / "carbon_and_green_targets.png").stat().st_size > 10_000


@pytest.mark.slow
def test_pareto_and_uncertainty(tmp_path):
    out = tmp_path / "pu"
    stdout = run_example("pareto_and_uncertainty.py", out)
    assert "every run: 12 representative days, weather year 0 (benders)" in stdout
    assert "bn" in stdout and "e+" not in stdout  # money in bn CNY, no 1.1e+11
    front = pd.read_csv(out / "pareto.csv")
    assert front["status"].isin(FEASIBLE).all()
    quantiles = pd.read_csv(out / "quantiles.csv", index_col=0)
    # representative days, not one average slice: emissions stay well above zero
    assert quantiles.loc[0.5, "emissions_t"] > 1e7 and quantiles.loc[0.5, "green_share"] < 0.9
    for name in ("pareto.png", "build_probability.csv", "build_probability.png", "monte_carlo_runs.csv"):
        assert (out / name).is_file(), name


@pytest.mark.slow
def test_maps(tmp_path):
    out = tmp_path / "maps"
    stdout = run_example("maps.py", out)
    assert stdout.count("8 representative days, weather year 0, benders") == 2
    assert "bn CNY" in stdout and "e+" not in stdout
    for name in ("east-only.png", "east-data-west-computing_emissions.png", "compare.png"):
        assert (out / name).stat().st_size > 10_000, name


@pytest.mark.slow
def test_bits_or_watts(tmp_path):
    out = tmp_path / "bw"
    stdout = run_example("bits_or_watts.py", out, timeout=400)
    assert "every run: 12 representative days, weather year 0 (benders)" in stdout
    assert "bn CNY" in stdout and "e+" not in stdout
    table = pd.read_csv(out / "bits_or_watts.csv").set_index(["case", "curtailment"])
    assert table["status"].isin(FEASIBLE).all()
    assert set(table.index.get_level_values("case")) == {"east-only", "bits", "watts", "both", "all-sites"}
    cost = table["cost_bn_cny"]
    tol = 1e-5 * cost.max()  # Benders stops within a relative gap of about 1e-6
    for curtailment in (False, True):
        # allowing corridors never raises cost: more options, same demand
        assert cost["both", curtailment] <= cost["bits", curtailment] + tol
        assert cost["watts", curtailment] <= cost["east-only", curtailment] + tol
    for case in ("east-only", "bits", "watts", "both", "all-sites"):
        # absorbing curtailed energy is an option too
        assert cost[case, True] <= cost[case, False] + tol
    # watts move only over corridors
    assert (table.loc[~table["corridors"], "moved_watts_twh"].abs() < 1e-9).all()
    assert (table.loc[table["corridors"], "moved_watts_twh"] > 0).all()
    assert (table.loc[~table["corridors"], "transmission_loss_twh"].abs() < 1e-9).all()
    # losses = sent - delivered, and the delivered energy is the moved watts
    lines = table[table["corridors"]]
    assert lines["transmission_loss_twh"].to_numpy() == pytest.approx(
        (lines["corridor_sent_twh"] - lines["corridor_delivered_twh"]).to_numpy(), rel=1e-6, abs=1e-9)
    assert lines["moved_watts_twh"].to_numpy() == pytest.approx(lines["corridor_delivered_twh"].to_numpy(), rel=1e-6)
    assert (lines["transmission_loss_twh"] > 0).all()
    # curtailment absorbed only when allowed, and a share of what is curtailed
    assert (table.xs(False, level="curtailment")["curtailment_absorbed_twh"].abs() < 1e-9).all()
    absorbed = table.xs(True, level="curtailment")
    assert (absorbed["curtailment_absorbed_twh"] > 0).all()
    assert absorbed["curtailment_absorbed_share_pct"].between(0, 100 + 1e-6).all()
    for name in ("bits_or_watts.png", "maps.png", "map_both_curtailment.png",
                 *(f"map_{case}.png" for case in ("east-only", "bits", "watts", "both", "all-sites"))):
        assert (out / name).stat().st_size > 10_000, name


@pytest.mark.slow
def test_green_247(tmp_path):
    out = tmp_path / "g247"
    stdout = run_example("green_247.py", out, timeout=900)
    assert "every run: 3 representative days, weather year 0" in stdout
    assert "bn CNY" in stdout and "e+" not in stdout
    table = pd.read_csv(out / "green_247.csv")
    configs = ["scenario", "storage", "flexible_pct"]
    assert len(table) == 2 * 2 * 3 * 4 and not table.duplicated([*configs, "target_pct"]).any()
    # certificates can cover any annual share; an hourly target is solved or reported infeasible, never dropped
    assert table["annual_status"].isin(FEASIBLE).all()
    assert table["hourly_status"].isin((*FEASIBLE, "infeasible")).all()
    assert (table["hourly_status"] == "infeasible").any() and table["hourly_status"].isin(FEASIBLE).any()
    rtol = 1e-6
    long = pd.concat([
        table[[*configs, "target_pct"]].assign(matching=m, ok=table[f"{m}_status"].isin(FEASIBLE),
                                               cost=table[f"{m}_cost_bn_cny"])
        for m in ("hourly", "annual")
    ], ignore_index=True)
    none = table.drop_duplicates(configs)[[*configs, "no_target_cost_bn_cny"]].assign(
        matching="none", target_pct=0, ok=True).rename(columns={"no_target_cost_bn_cny": "cost"})
    assert none["cost"].notna().all()
    long = pd.concat([long, none.assign(matching="hourly"), none.assign(matching="annual")], ignore_index=True)

    def never_lower(by: list[str], along: str, descending: bool = False) -> None:
        """Along ``along`` the cost never falls and, once infeasible, a case stays infeasible."""
        for key, group in long.groupby(by):
            group = group.sort_values(along, ascending=not descending)
            ok = group["ok"].to_numpy()
            assert not (~ok[:-1] & ok[1:]).any(), f"{key}: feasible after infeasible along {along}"
            cost = group.loc[group["ok"], "cost"].to_numpy()
            assert len(cost) < 2 or (cost[1:] - cost[:-1] >= -rtol * cost.max()).all(), \
                f"{key}: cost falls along {along}: {cost}"

    never_lower([*configs, "matching"], "target_pct")  # a higher target never costs less
    never_lower(["scenario", "flexible_pct", "target_pct", "matching"], "storage", descending=True)  # batteries help
    never_lower(["scenario", "storage", "target_pct", "matching"], "flexible_pct", descending=True)  # flexibility helps
    both = table[table["hourly_status"].isin(FEASIBLE)]
    assert (both["annual_cost_bn_cny"] <= both["hourly_cost_bn_cny"] * (1 + rtol)).all()
    # premium [CNY/MWh] >= 0 up to 1e-6 of the cost per MWh
    cost_per_mwh = both["hourly_cost_bn_cny"] * 1e9 / (both["facility_energy_twh"] * 1e6)
    assert (both["premium_cny_per_mwh"] >= -rtol * cost_per_mwh).all()
    difference = both["hourly_extra_cny_per_mwh"] - both["annual_extra_cny_per_mwh"]
    assert ((both["premium_cny_per_mwh"] - difference).abs() <= 1e-9 * cost_per_mwh).all()
    assert (out / "green_247.png").stat().st_size > 10_000
    assert (out / "green_247_runs.csv").is_file()


def test_own_data(tmp_path):
    out = tmp_path / "own"
    stdout = run_example("own_data.py", out)
    assert "12 representative days, weather year 0, benders" in stdout
    assert "bn CNY" in stdout and "e+" not in stdout
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
