"""Figures of the analyses."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd

from siting import analysis

matplotlib.use("Agg")


def test_plot_pareto_names_only_ends_that_solved():
    front = pd.DataFrame({
        "emissions_cap_t": [3e7, 2e7, 1e7], "status": ["optimal", "optimal", "infeasible"],
        "error": [np.nan, np.nan, "no"], "cost_total_cny": [1e11, 1.1e11, np.nan],
        "emissions_t": [3e7, 2e7, np.nan], "carbon_shadow_price_cny_per_t": [0.0, 50.0, np.nan],
    })
    texts = [t.get_text() for t in analysis.plot_pareto(front).texts]
    assert "least cost" in texts and "least emissions" not in texts
