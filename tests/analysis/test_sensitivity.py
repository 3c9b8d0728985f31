"""One-at-a-time sensitivity: signs and marginal values that make sense."""

from __future__ import annotations

import matplotlib
import pytest

from siting import analysis
from siting.errors import InputError

matplotlib.use("Agg")


def test_sensitivity_signs_and_duals(scn):
    sens = analysis.sensitivity(scn, change=0.2, executor="serial", progress=False)
    table = sens.table.set_index(["parameter", "side"])
    assert set(table.index.get_level_values(0)) == set(analysis.SENSITIVITY_PARAMETERS)
    cost = table["cost_total_cny"]
    assert cost["electricity_price_scale", "high"] > sens.base["cost_total_cny"] > cost["electricity_price_scale", "low"]
    assert cost["demand_scale", "high"] > cost["demand_scale", "low"]
    assert cost["capex_scale", "high"] > cost["capex_scale", "low"]
    assert table.loc[("rtt_max_ms_interactive", "low"), "value"] == pytest.approx(16.0)
    # a tighter latency limit never lowers cost
    assert cost["rtt_max_ms_interactive", "low"] >= cost["rtt_max_ms_interactive", "high"] - 1e-6

    duals = sens.duals
    demand = duals[duals["kind"] == "demand"]
    assert len(demand) == (scn.demand["it_mw"] > 0).sum()
    assert (demand["value"] > 0).all() and (demand["unit"] == "CNY per MW-yr").all()
    latency = duals[duals["kind"] == "latency"].set_index("key")
    assert set(latency.index) == {"rtt_max_ms_interactive", "rtt_max_ms_near_realtime"}
    assert (latency["value"] >= -1e-3).all()
    green = duals[duals["key"] == "green_share_min:national"].iloc[0]
    assert green["unit"] == "CNY per percentage point" and green["value"] >= -1e-3
    ax = analysis.plot_tornado(sens)
    assert ax.get_yticklabels()[-1].get_text() == "demand_scale"  # the largest swing on top
    with pytest.raises(InputError, match="no RTT limit"):
        analysis.sensitivity(scn, parameters=["rtt_max_ms_batch"], executor="serial")
