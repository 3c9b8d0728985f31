r"""Closed-form hourly subproblems of the sites, for Benders when a site's hours separate.

Given each site's loads, capacity and contracted renewables, and with one
grid price per site and no storage, the hourly dispatch of a site has a
closed-form solution. Subproblem of site :math:`s` (dropping the index;
:math:`r_t = PUE\,b_t - a_t` the residual facility load after renewables,
:math:`b_t` the inflexible IT load, :math:`a_t` the renewable availability,
:math:`u_t = cap - b_t` the headroom, :math:`E = 8760\,\ell_{flex}` the
flexible energy):

.. math::

    G = \min \sum_t h_t\, g_t \quad\text{s.t.}\quad
    g_t \ge r_t + PUE\, f_t,\; 0 \le f_t \le u_t,\; \sum_t h_t f_t = E,\; g_t \ge 0.

Grid power has one price at a site, so the only gain from moving flexible
load is to use renewable surplus :math:`\max(-r_t, 0)/PUE`. Fill the surplus
(up to the headroom) first; anything left costs :math:`PUE` per MWh wherever
it goes. The LP duals of that solution (:math:`\lambda_t \in \{0, 1\}` on
the grid rows, :math:`\sigma_t` on the headroom, :math:`\mu` on the energy
row) give the optimality cut

.. math::

    G_s \ge \sum_w c_w \ell_{sw} + c_{flex}\,\ell_{s,flex} + c_{cap}\, cap_s + \sum_k c_k x_{sk}

which is exact at the current point and valid everywhere (weak duality).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from siting.model.core import Model
from siting.model.demand import inflexible_profiles
from siting.model.grid import absorbing, site_supply
from siting.timeseries import HOURS_PER_YEAR

__all__ = ["SiteArrays", "site_arrays", "evaluate", "evaluate_bill", "energy_balance_cut"]


@dataclass(frozen=True)
class SiteArrays:
    """Per-site data of the hourly subproblems, as arrays.

    Attributes
    ----------
    h : numpy.ndarray
        Slice weights, shape (T,) [h].
    profile : numpy.ndarray
        Inflexible class profiles, shape (W, T) [-].
    cf : numpy.ndarray
        Renewable supply per MW contracted, shape (S, K, T) [-]: each
        site's solar and wind, then its corridor contracts
        (:func:`siting.model.grid.site_supply`), zero-padded to the same K.
    pue : numpy.ndarray
        Site PUE, shape (S,) [-].
    load_vars : numpy.ndarray
        Index into ``model.var["load"]`` per site and inflexible class,
        shape (S, W), -1 where the site has no such load.
    flex_vars : list of list of int
        Indices into ``model.var["load"]`` of each site's flexible loads.
    supply : list of list
        Each site's supply variables, in the order of ``cf``.
    absorb : numpy.ndarray
        Curtailed power of each site's province, shape (S, T) [MW]; zero
        where the site cannot absorb any.
    """

    h: np.ndarray
    profile: np.ndarray
    cf: np.ndarray
    pue: np.ndarray
    load_vars: np.ndarray
    flex_vars: list
    supply: list
    absorb: np.ndarray


def site_arrays(model: Model) -> SiteArrays:
    """Gather the subproblem data of a built model."""
    scn = model.scenario
    classes, profile = inflexible_profiles(model)
    values = model.slices.values
    S = len(scn.sites)
    supply = site_supply(model)
    K = max(len(options) for options in supply)
    cf = np.zeros((S, K, len(model.slices)))
    for i, options in enumerate(supply):
        for k, (_, delivered) in enumerate(options):
            cf[i, k] = delivered
    pos_site = {s: i for i, s in enumerate(scn.sites.index)}
    pos_class = {w: j for j, w in enumerate(classes)}
    load_vars = -np.ones((S, len(classes)), dtype=int)
    flex_vars: list[list[int]] = [[] for _ in range(S)]
    for j, (site, w) in enumerate(model.load_index.itertuples(index=False)):
        if w in pos_class:
            load_vars[pos_site[site], pos_class[w]] = j
        else:
            flex_vars[pos_site[site]].append(j)
    absorb = np.zeros((S, len(model.slices)))
    for i in np.flatnonzero(absorbing(scn)):
        absorb[i] = values[f"curt|{scn.sites['province'].iat[i]}"].to_numpy()
    return SiteArrays(model.slices.weight_h, profile, cf, scn.site_pue.to_numpy(), load_vars, flex_vars,
                      [[var for var, _ in options] for options in supply], absorb)


def evaluate(arr: SiteArrays, load: np.ndarray, flex: np.ndarray, cap: np.ndarray, re: np.ndarray) -> dict:
    """Solve every site's hourly subproblem in closed form.

    Parameters
    ----------
    arr : SiteArrays
    load : numpy.ndarray
        Inflexible IT load per site and class, shape (S, W) [MW].
    flex : numpy.ndarray
        Flexible IT load per site (annual average), shape (S,) [MW].
    cap : numpy.ndarray
        IT capacity, shape (S,) [MW].
    re : numpy.ndarray
        Contracted renewable capacity, shape (S, K) [MW].

    Returns
    -------
    dict
        ``G`` annual grid energy (S,) [MWh/yr]; ``grid`` and ``flex`` per
        slice (S, T) [MW]; cut coefficients ``c_load`` (S, W),
        ``c_flex`` (S,), ``c_cap`` (S,), ``c_re`` (S, K) [MWh/yr per MW].
    """
    h, pue = arr.h, arr.pue[:, None]
    base = load @ arr.profile
    avail = np.einsum("sk,skt->st", re, arr.cf)
    r = pue * base - avail
    u = np.maximum(cap[:, None] - base, 0.0)
    free = np.minimum(np.maximum(-r, 0.0) / pue, u)
    F = free @ h
    E = HOURS_PER_YEAR * flex
    on_grid = E > F * (1 + 1e-12) + 1e-9
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(F > 0, np.minimum(E / F, 1.0), 0.0)
        room = (u - free) @ h
        extra = np.where(on_grid & (room > 0), (E - F) / room, 0.0)
    f = np.where(on_grid[:, None], free + (u - free) * extra[:, None], free * share[:, None])
    residual = r + pue * f
    grid = np.maximum(residual, 0.0)
    G = grid @ h
    # duals of that solution: lambda on the grid rows, sigma on headroom, mu on energy
    scale = np.maximum(np.abs(r).max(axis=1, keepdims=True), 1.0)
    lam = np.where(on_grid[:, None], residual >= -1e-9 * scale, residual > 1e-9 * scale).astype(float)
    sigma = np.where(on_grid[:, None], pue * (1.0 - lam), 0.0)
    mu = np.where(on_grid, arr.pue, 0.0)
    hw = h[None, :]
    c_load = (hw * (pue * lam + sigma)) @ arr.profile.T
    c_re = -np.einsum("st,skt->sk", hw * lam, arr.cf)
    c_cap = -(hw * sigma).sum(axis=1)
    c_flex = HOURS_PER_YEAR * mu
    return {"G": G, "grid": grid, "flex": f, "c_load": c_load, "c_flex": c_flex, "c_cap": c_cap, "c_re": c_re}


def energy_balance_cut(arr: SiteArrays) -> dict:
    """The cut of duals lambda = 1, mu = PUE: grid energy >= facility energy - renewable energy - curtailed energy."""
    S, W = arr.load_vars.shape
    return {
        "c_load": np.broadcast_to(arr.pue[:, None] * (arr.profile @ arr.h)[None, :], (S, W)),
        "c_flex": HOURS_PER_YEAR * arr.pue,
        "c_cap": np.zeros(S),
        "c_re": -np.einsum("t,skt->sk", arr.h, arr.cf),
        "c_absorb": -(arr.absorb @ arr.h),
    }


def evaluate_bill(arr: SiteArrays, price: np.ndarray, load: np.ndarray, flex: np.ndarray, cap: np.ndarray,
                  re: np.ndarray) -> dict:
    r"""Every site's hourly subproblem with a price per slice, in closed form (no storage, no energy budget).

    :math:`\min \sum_t h_t \pi_t g_t` over the rows of :func:`evaluate`. Flexible
    load goes first to renewable surplus (free), then to the cheapest slices'
    headroom (each MW costs :math:`PUE\,\pi_t`), the last one filled in part:
    a fractional knapsack. Its price :math:`\pi^*` gives the energy row's dual
    :math:`\mu = PUE\,\pi^*`; the grid rows' duals are :math:`h_t \pi_t` where
    the site draws power, :math:`h_t \pi^*` where surplus is used in part, 0
    where it is left over; the headroom duals close the reduced costs.

    Parameters
    ----------
    arr : SiteArrays
    price : numpy.ndarray
        Grid price per site and slice, shape (S, T) [CNY/MWh].
    load, flex, cap, re : numpy.ndarray
        As for :func:`evaluate` [MW].

    Returns
    -------
    dict
        ``bill`` (S,) [CNY/yr], ``G`` (S,) [MWh/yr], ``grid`` and ``flex``
        (S, T) [MW]; cut coefficients ``c_load`` (S, W), ``c_flex`` (S,),
        ``c_cap`` (S,), ``c_re`` (S, K) [CNY/yr per MW].
    """
    h, pue = arr.h, arr.pue[:, None]
    base = load @ arr.profile
    r = pue * base - np.einsum("sk,skt->st", re, arr.cf)
    u = np.maximum(cap[:, None] - base, 0.0)
    free = np.minimum(np.maximum(-r, 0.0) / pue, u)
    E = HOURS_PER_YEAR * flex
    S, T = r.shape
    f = np.zeros((S, T))
    marginal = np.zeros(S)  # pi*: price of the slice that takes the last flexible MWh (0: surplus suffices)
    for i in range(S):
        F = float(free[i] @ h)
        if E[i] <= F * (1 + 1e-12) + 1e-9:
            f[i] = free[i] * (min(E[i] / F, 1.0) if F > 0 else 0.0)
            continue
        rest = u[i] - free[i]
        order = np.argsort(price[i], kind="stable")
        room = np.cumsum(rest[order] * h[order])
        need = E[i] - F
        k = min(int(np.searchsorted(room, need * (1 - 1e-12))), T - 1)
        take = np.zeros(T)
        take[order[:k]] = rest[order[:k]]
        before = room[k - 1] if k > 0 else 0.0
        take[order[k]] = min(rest[order[k]], (need - before) / h[order[k]]) if h[order[k]] > 0 else 0.0
        f[i] = free[i] + take
        marginal[i] = price[i, order[k]]
    residual = r + pue * f
    grid = np.maximum(residual, 0.0)
    scale = np.maximum(np.abs(r).max(axis=1, keepdims=True), 1.0)
    drawing = residual > 1e-9 * scale
    balanced = ~drawing & (residual >= -1e-9 * scale)  # surplus used exactly
    hp = h[None, :] * price
    lam = np.where(drawing, hp, np.where(balanced, np.minimum(hp, h[None, :] * marginal[:, None]), 0.0))
    mu = arr.pue * marginal
    sigma = np.maximum(h[None, :] * mu[:, None] - pue * lam, 0.0)
    return {
        "bill": (hp * grid).sum(axis=1),
        "G": grid @ h,
        "grid": grid,
        "flex": f,
        "c_load": (pue * lam + sigma) @ arr.profile.T,
        "c_re": -np.einsum("st,skt->sk", lam, arr.cf),
        "c_cap": -sigma.sum(axis=1),
        "c_flex": HOURS_PER_YEAR * mu,
    }
