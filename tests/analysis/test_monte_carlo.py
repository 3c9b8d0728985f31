"""Monte Carlo: same draws on every executor and from the same seed, failed
draws left out, distribution specifications."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

import siting
from siting import analysis
from siting.analysis.monte_carlo import _draw
from siting.errors import InputError

matplotlib.use("Agg")

# small uncertainty set used by the Monte Carlo tests
DISTRIBUTIONS = {
    "electricity_price_scale": ("uniform", 0.8, 1.2),
    "demand_scale": ("lognormal", 0.0, 0.2),
    "capex_scale": ("triangular", 0.8, 1.0, 1.3),
}


def test_monte_carlo_identical_on_every_executor(scn, executor):
    serial = analysis.monte_carlo(scn, DISTRIBUTIONS, n=6, seed=7, executor="serial", progress=False)
    parallel = analysis.monte_carlo(scn, DISTRIBUTIONS, n=6, seed=7, executor=executor, progress=False)
    pd.testing.assert_frame_equal(serial.runs, parallel.runs, check_exact=True)
    pd.testing.assert_frame_equal(serial.capacity_mw, parallel.capacity_mw, check_exact=True)
    pd.testing.assert_series_equal(serial.build_probability, parallel.build_probability)


def test_monte_carlo_reproducible_from_seed():
    scn = siting.Scenario.preset("all-sites", resolution="average")
    a = analysis.monte_carlo(scn, DISTRIBUTIONS, n=6, seed=1, executor="serial", progress=False)
    b = analysis.monte_carlo(scn, DISTRIBUTIONS, n=6, seed=1, executor="serial", progress=False)
    c = analysis.monte_carlo(scn, DISTRIBUTIONS, n=2, seed=2, executor="serial", progress=False)
    pd.testing.assert_frame_equal(a.runs, b.runs, check_exact=True)
    assert not np.allclose(a.runs["demand_scale"].iloc[:2], c.runs["demand_scale"])
    assert not np.allclose(a.runs["cost_total_cny"].iloc[:2], c.runs["cost_total_cny"])
    assert list(a.runs.columns[:3]) == list(DISTRIBUTIONS)
    assert a.runs.index.name == "draw" and (a.runs["status"] == "optimal").all()
    p = a.build_probability
    assert p.index.equals(scn.sites.index) and p.between(0, 1).all()
    expected = (a.capacity_mw > 1.0).mean()
    pd.testing.assert_series_equal(p, expected.rename("build_probability"))
    q = a.quantiles(columns=["cost_total_cny", "emissions_t"])
    assert list(q.index) == [0.05, 0.5, 0.95]
    assert q.loc[0.05, "cost_total_cny"] <= q.loc[0.5, "cost_total_cny"] <= q.loc[0.95, "cost_total_cny"]
    everything = a.quantiles()
    assert "error" not in everything.columns and not everything.isna().all().any()
    ax = analysis.plot_build_probability(a)
    assert any(c.get_gid() == "sites:build_probability" for c in ax.collections)


def test_monte_carlo_leaves_failed_draws_out():
    scn = siting.Scenario.preset("east-data-west-computing", resolution="average")
    # a normal around 1 with a wide spread draws some negative demand scales
    with pytest.warns(RuntimeWarning, match="runs failed"):
        mc = analysis.monte_carlo(scn, {"demand_scale": ("normal", 1.0, 1.0)}, n=8, seed=3,
                                  executor="serial", progress=False)
    bad = mc.runs["demand_scale"] < 0
    assert bad.any() and (~bad).any()
    assert (mc.runs.loc[bad, "status"] == "error").all()
    assert mc.capacity_mw[bad.to_numpy()].isna().all().all()
    assert mc.quantiles(columns=["demand_scale"]).loc[0.05, "demand_scale"] >= 0


def test_distribution_specs():
    rng = np.random.default_rng(0)
    draws = _draw(
        {"u": ("uniform", 2.0, 3.0), "t": ("triangular", 0.0, 0.5, 1.0), "n": ("normal", 10.0, 0.1),
         "l": ("lognormal", 0.0, 0.1)},
        2000,
        rng,
    )
    assert draws["u"].between(2.0, 3.0).all() and draws["t"].between(0.0, 1.0).all()
    assert draws["n"].mean() == pytest.approx(10.0, abs=0.01)
    assert draws["l"].median() == pytest.approx(1.0, abs=0.01)
    with pytest.raises(InputError, match="takes 2 parameters"):
        _draw({"x": ("uniform", 1.0)}, 3, rng)
    with pytest.raises(InputError, match="frozen scipy.stats distribution or a tuple"):
        _draw({"x": ("beta", 1.0, 2.0)}, 3, rng)


class FrozenNormal:
    """Stands in for a frozen scipy.stats distribution: ``rvs(size, random_state)``."""

    def __init__(self, mean: float, sd: float) -> None:
        self.mean, self.sd = mean, sd

    def rvs(self, size: int, random_state: np.random.Generator) -> np.ndarray:
        return random_state.normal(self.mean, self.sd, size)


def test_frozen_distributions_draw_from_the_seeded_generator():
    dist = {"capex_scale": FrozenNormal(1.0, 0.1), "demand_scale": ("uniform", 0.9, 1.1)}
    a = _draw(dist, 5, np.random.default_rng(4))
    b = _draw(dist, 5, np.random.default_rng(4))
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    expected = np.random.default_rng(4).normal(1.0, 0.1, 5)
    np.testing.assert_array_equal(a["capex_scale"].to_numpy(), expected)


def test_weather_year_can_be_sampled():
    from siting.weather import WEATHER_YEARS

    scn = siting.Scenario.preset("east-only", resolution="days", representative_days=2)
    mc = analysis.monte_carlo(scn, {"weather_year": ("choice", range(WEATHER_YEARS))}, n=6, seed=3,
                              executor="serial")
    years = mc.runs["weather_year"]
    assert years.dtype.kind == "i" and years.between(0, WEATHER_YEARS - 1).all()
    assert (mc.runs["status"] == "optimal").all()
    # a draw equals a direct solve of its weather year, and different years cost differently
    first = mc.runs.iloc[0]
    direct = siting.solve(scn.replace(weather_year=int(first["weather_year"])))
    assert first["cost_total_cny"] == pytest.approx(direct.objective_cny, rel=1e-9)
    by_year = mc.runs.groupby("weather_year")["cost_total_cny"].first()
    if len(by_year) > 1:
        assert by_year.nunique() == len(by_year)
    with pytest.raises(siting.InputError, match="'choice' takes a non-empty list"):
        analysis.monte_carlo(scn, {"weather_year": ("choice", [])}, n=2, executor="serial")
