"""Sweeps: tidy tables in input order, malformed requests refused."""

from __future__ import annotations

import pytest

import siting
from siting import analysis
from siting.errors import InputError


def test_sweep_grid_is_tidy_and_in_input_order(scn):
    table = analysis.sweep(scn, {"demand_scale": [1.0, 1.5], "carbon_price_cny_per_t": [0.0, 300.0]},
                           executor="serial", progress=False)
    assert table.index.name == "run"
    assert list(table.index) == [0, 1, 2, 3]
    # the first name varies slowest
    assert table["demand_scale"].tolist() == [1.0, 1.0, 1.5, 1.5]
    assert table["carbon_price_cny_per_t"].tolist() == [0.0, 300.0, 0.0, 300.0]
    assert (table["status"] == "optimal").all()
    assert table["error"].isna().all()
    for col in ("cost_total_cny", "cost_energy_cny", "emissions_t", "green_share", "west_share",
                "rtt_mean_ms_interactive"):
        assert col in table.columns
    # more demand costs more; a carbon price never raises emissions
    assert (table.loc[2:3, "cost_total_cny"].to_numpy() > table.loc[0:1, "cost_total_cny"].to_numpy()).all()
    assert table.loc[1, "emissions_t"] <= table.loc[0, "emissions_t"] + 1e-6
    # each row matches a direct solve of the same change
    direct = siting.solve(scn.replace(demand_scale=1.5, carbon_price_cny_per_t=300.0))
    assert table.loc[3, "cost_total_cny"] == pytest.approx(direct.summary["cost_total_cny"], rel=1e-9)


def test_sweep_refuses_malformed_requests(scn):
    with pytest.raises(InputError, match="list of values"):
        analysis.sweep(scn, {"carbon_price_cny_per_t": 100.0}, executor="serial")
    with pytest.raises(InputError, match="executor"):
        analysis.sweep(scn, {"carbon_price_cny_per_t": [100.0]}, executor="threads")
    with pytest.raises(InputError, match="solver options"):
        analysis.sweep(scn, {"carbon_price_cny_per_t": [100.0]}, executor="serial", time_limt=5)
    with pytest.raises(InputError, match="no runs"):
        analysis.sweep(scn, [], executor="serial")
