"""Figures of :mod:`siting.analysis`: Pareto front, tornado chart and
build-probability map.

matplotlib (and, for the map, :mod:`siting.maps` and pyproj) load only when
a figure is drawn."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from siting.analysis.run import FAILED
from siting.errors import InputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from siting.analysis.monte_carlo import MonteCarloResult
    from siting.analysis.sensitivity import Sensitivity

__all__ = ["plot_build_probability", "plot_pareto", "plot_tornado"]


def plot_pareto(front: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Plot a front from :func:`~siting.analysis.pareto`: cost against emissions.

    Parameters
    ----------
    front : pandas.DataFrame
        The output of :func:`~siting.analysis.pareto`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Emissions [Mt CO2/yr] on x, total cost [bn CNY/yr] on y; each point
        labelled with its carbon shadow price [CNY/tCO2]. Failed points are
        left out.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        ax = plt.subplots(figsize=(7, 5), layout="constrained")[1]
    ok = front[~front["status"].isin(FAILED)]
    x, y = ok["emissions_t"] / 1e6, ok["cost_total_cny"] / 1e9
    ax.plot(x, y, color="#1f5fa6", marker="o", markeredgecolor="black", zorder=2)
    for xi, yi, price in zip(x, y, ok["carbon_shadow_price_cny_per_t"]):
        ax.annotate(f"{price:,.0f}", (xi, yi), textcoords="offset points", xytext=(6, 4), fontsize=8)
    # the ends are named only when they solved, never an inner point in their place
    if len(ok) and ok.index[0] == front.index[0]:
        ax.annotate("least cost", (x.iloc[0], y.iloc[0]), textcoords="offset points", xytext=(0, -14), ha="center")
    if len(ok) and ok.index[-1] == front.index[-1]:
        ax.annotate("least emissions", (x.iloc[-1], y.iloc[-1]), textcoords="offset points", xytext=(0, -14),
                    ha="left")
    ax.set_xlabel("Emissions [Mt CO2/yr]")
    ax.set_ylabel("Total cost [bn CNY/yr]")
    ax.set_title("Cost–emissions Pareto front")
    ax.grid(alpha=0.3)
    return ax


_DISPLAY = (("_cny", 1e-9, "bn CNY/yr"), ("_t", 1e-6, "Mt CO2/yr"), ("share", 100.0, "percentage points"),
            ("_ms", 1.0, "ms"), ("_mw", 1.0, "MW"), ("_mwh", 1e-6, "TWh/yr"), ("_m3", 1e-6, "million m3/yr"))


def plot_tornado(sensitivity: Sensitivity, metric: str = "cost_total_cny", ax: Axes | None = None) -> Axes:
    """Tornado chart of a :func:`~siting.analysis.sensitivity` result.

    Parameters
    ----------
    sensitivity : Sensitivity
        The output of :func:`~siting.analysis.sensitivity`.
    metric : str
        Output to show, a column of ``sensitivity.table`` (default total
        cost [CNY/yr]).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One row per parameter, the largest swing on top: bars from the base
        value to the value at the low (blue) and high (red) side, as a
        change from the base in display units (bn CNY/yr, Mt CO2/yr,
        percentage points, ...). Failed runs have no bar.
    """
    import matplotlib.pyplot as plt

    table = sensitivity.table
    if metric not in table.columns:
        numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
        raise InputError(f"metric {metric!r} is not an output of the table; valid: {numeric}")
    factor, unit = next(((f, u) for s, f, u in _DISPLAY if metric.endswith(s)), (1.0, ""))
    delta = (table[metric] - float(sensitivity.base[metric])) * factor
    wide = pd.DataFrame({"parameter": table["parameter"], "side": table["side"], "delta": delta}).pivot(
        index="parameter", columns="side", values="delta"
    ).reindex(columns=["low", "high"])
    order = wide.abs().max(axis=1).fillna(0.0).sort_values().index
    wide = wide.loc[order]
    if ax is None:
        ax = plt.subplots(figsize=(7, 0.5 * len(wide) + 1.5), layout="constrained")[1]
    change = table.groupby("side")["factor"].first()
    y = np.arange(len(wide))
    for side, color in (("low", "#1f5fa6"), ("high", "#c0392b")):
        pct = (change.get(side, np.nan) - 1) * 100
        ax.barh(y, wide[side].fillna(0.0), color=color, label=f"{side} ({pct:+.0f} %)")
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_yticks(y, wide.index)
    ax.set_xlabel(f"Change in {metric}" + (f" [{unit}]" if unit else ""))
    ax.set_title(f"Sensitivity of {metric}")
    ax.legend(loc="lower right")
    return ax


def plot_build_probability(
    mc: MonteCarloResult, ax: Axes | None = None, *, cmap: str = "plasma", title: str | None = None
) -> Axes:
    """Map each site's probability of being built.

    Provinces (Albers equal-area, :data:`siting.maps.CRS`) are shaded in
    grey by the mean IT capacity built in them over the solved draws [MW]
    (:func:`siting.maps.plot_provinces`); every candidate site is a dot
    coloured by its build probability, white where it is never built.

    Parameters
    ----------
    mc : MonteCarloResult
        The output of :func:`~siting.analysis.monte_carlo`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.
    cmap : str
        Colour map of the probabilities.
    title : str, optional
        Default names the number of solved draws.

    Returns
    -------
    matplotlib.axes.Axes
        The sites built in at least one draw are the scatter of ``gid``
        ``"sites:build_probability"``, the others that of ``gid``
        ``"sites:never_built"``.
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap
    from pyproj import Transformer

    from siting import maps

    if ax is None:
        ax = plt.subplots(figsize=(10, 8), layout="constrained")[1]
    solved = mc.solved.to_numpy()
    mean_mw = mc.capacity_mw[solved].mean().groupby(mc.sites["province"]).sum().rename("it_capacity_mw")
    light_greys = ListedColormap(colormaps["Greys"](np.linspace(0.0, 0.55, 256)))
    maps.plot_provinces(mean_mw, ax=ax, cmap=light_greys, vmin=0.0, title="")
    prob = mc.build_probability.reindex(mc.sites.index)
    x, y = Transformer.from_crs("EPSG:4326", maps.CRS, always_xy=True).transform(
        mc.sites["lon"].to_numpy(float), mc.sites["lat"].to_numpy(float)
    )
    never = (prob <= 0).to_numpy()
    ax.scatter(x[never], y[never], s=30, facecolor="white", edgecolor="black", linewidth=0.6, zorder=3,
               label="never built", gid="sites:never_built")
    dots = ax.scatter(x[~never], y[~never], c=prob[~never], cmap=cmap, vmin=0.0, vmax=1.0, s=60,
                      edgecolor="black", linewidth=0.6, zorder=4, gid="sites:build_probability")
    ax.figure.colorbar(dots, ax=ax, orientation="vertical", shrink=0.6, label="Build probability [-]")
    if never.any():
        ax.legend(loc="lower left")
    ax.set_title(title if title is not None else f"Probability of building each site ({int(solved.sum())} draws)")
    return ax
