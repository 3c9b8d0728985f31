"""What the Benders loop asks of the sites: evaluate a master point, return cuts and the dispatch.

Two oracles answer the same question. :class:`ClosedForm` solves every
site's hours analytically (:mod:`~siting.model.closed_form`; one price, no
storage). :class:`HourlyLPs` keeps one :class:`~siting.model.subproblem.SiteLP`
per site in HiGHS (storage, hourly prices), re-solves only the sites whose
master values changed, and runs them on threads when there are cores.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from siting.model.closed_form import SiteArrays, evaluate, evaluate_bill
from siting.model.core import reads_grid_energy
from siting.model.grid import absorbing, cost_mode
from siting.model.objective import cost_coefficients, slice_prices
from siting.model.storage import efficiency
from siting.model.subproblem import Cut, SiteData, SiteLP

__all__ = ["MasterPoint", "Evaluation", "ClosedForm", "HourlyLPs", "DISPATCH", "grid_limits"]

#: Per-slice arrays of an evaluation [MW, MWh].
DISPATCH = ("grid", "flex", "charge", "discharge", "soc", "absorbed", "shortfall")



@dataclass(frozen=True)
class MasterPoint:
    """The master's values for every site: loads (S, W) and flexible load (S,) [MW], ``cap`` (S,) [MW],
    ``re`` (S, K) [MW], ``battery_mw``/``battery_mwh`` (S,) [MW, MWh], ``grid_energy`` (S,) [MWh/yr],
    ``grid_cost`` (S,) [CNY/yr], ``absorb`` (S,) [share of the province's curtailment]."""

    load: np.ndarray
    flex: np.ndarray
    cap: np.ndarray
    re: np.ndarray
    battery_mw: np.ndarray
    battery_mwh: np.ndarray
    grid_energy: np.ndarray
    grid_cost: np.ndarray
    absorb: np.ndarray

    def site(self, i: int) -> tuple:
        """Site ``i``'s values, in the order :meth:`SiteLP.solve` takes them (without the budget)."""
        return (self.load[i], float(self.flex[i]), float(self.cap[i]), self.re[i], float(self.battery_mw[i]),
                float(self.battery_mwh[i]), float(self.absorb[i]))


@dataclass
class Evaluation:
    """The sites' answer at a master point.

    Attributes
    ----------
    energy : numpy.ndarray
        Annual grid energy of each site's dispatch (S,) [MWh/yr].
    bill : numpy.ndarray or None
        Annual grid bill (S,) [CNY/yr] with hourly prices, else None.
    feasible : numpy.ndarray
        (S,) bool: False where the master's grid-energy budget was below
        what the site can manage (cost mode).
    cuts : list of Cut
        One per site, in site order.
    dispatch : dict
        :data:`DISPATCH` arrays (S, T).
    """

    energy: np.ndarray
    bill: np.ndarray | None
    feasible: np.ndarray
    cuts: list
    dispatch: dict


class ClosedForm:
    """Every site's hours in closed form: grid energy (:func:`~siting.model.closed_form.evaluate`), or with a
    price per slice the bill (:func:`~siting.model.closed_form.evaluate_bill`).

    Parameters
    ----------
    arr : SiteArrays
    price : numpy.ndarray, optional
        Grid price plus carbon price per site and slice, shape (S, T) [CNY/MWh].
    """

    def __init__(self, arr: SiteArrays, price: np.ndarray | None = None) -> None:
        self.arr, self.price = arr, price
        self.cost_mode = price is not None

    def __call__(self, point: MasterPoint) -> Evaluation:
        if self.cost_mode:
            sub = evaluate_bill(self.arr, self.price, point.load, point.flex, point.cap, point.re)
        else:
            sub = evaluate(self.arr, point.load, point.flex, point.cap, point.re)
        S, T = sub["grid"].shape
        zeros = np.zeros((S, T))
        value = sub["bill"] if self.cost_mode else sub["G"]
        target = "cost" if self.cost_mode else "energy"
        cuts = [
            Cut(target, float(value[i]), 0.0, sub["c_load"][i], float(sub["c_flex"][i]), float(sub["c_cap"][i]),
                sub["c_re"][i], 0.0, 0.0, 0.0, 0.0)
            for i in range(S)
        ]
        dispatch = {"grid": sub["grid"], "flex": sub["flex"], "charge": zeros, "discharge": zeros, "soc": zeros,
                    "absorbed": zeros, "shortfall": zeros}
        return Evaluation(sub["G"], sub["bill"] if self.cost_mode else None, np.ones(S, dtype=bool), cuts, dispatch)


class HourlyLPs:
    """One hourly LP per site (:class:`~siting.model.subproblem.SiteLP`), solved where the master moved.

    Parameters
    ----------
    model : Model
        The Benders master (its scenario and slices).
    arr : SiteArrays
        The sites' profiles and capacity factors.
    threads : int, optional
        Sites solved at once; default the number of cores.
    """

    def __init__(self, model, arr: SiteArrays, threads: int | None = None) -> None:
        scn = model.scenario
        self.cost_mode = cost_mode(scn)
        budget = reads_grid_energy(scn)
        prices = None
        if self.cost_mode:  # the grid bill; with the carbon price unless the master prices the energy budget
            carbon = 0.0 if budget else cost_coefficients(scn)["carbon"][:, None]
            prices = slice_prices(model) + carbon
        prev = model.slices.previous()
        eta = efficiency(scn)
        has_flex = [len(idx) > 0 for idx in arr.flex_vars]
        can_absorb = absorbing(scn)
        absorb_price = scn.curtailed_energy_price_cny_per_kwh * 1000.0
        limits = grid_limits(scn)
        self.sites = [
            SiteLP(SiteData(arr.h, arr.profile, arr.cf[i], float(arr.pue[i]), prev, eta, bool(scn.storage),
                            has_flex[i], None if prices is None else prices[i], budget,
                            arr.absorb[i] if can_absorb[i] else None, absorb_price, limits[i]))
            for i in range(len(arr.pue))
        ]
        self.workers = max(1, min(threads or os.cpu_count() or 1, len(self.sites)))
        self._last: list = [None] * len(self.sites)
        self._pool = ThreadPoolExecutor(self.workers) if self.workers > 1 else None
        self.solves = 0

    def close(self) -> None:
        """Stop the worker threads."""
        if self._pool is not None:
            self._pool.shutdown()

    def raise_penalty(self) -> bool:
        """Raise every site's budget penalty tenfold and forget the cached answers; False at the largest."""
        raised = [lp.raise_penalty() for lp in self.sites]
        self._last = [None] * len(self.sites)
        return any(raised)

    def __call__(self, point: MasterPoint) -> Evaluation:
        S = len(self.sites)
        budget_row = self.sites[0].data.budget
        todo = []
        for i in range(S):
            args = point.site(i) + ((float(point.grid_energy[i]),) if self.cost_mode and budget_row else (None,))
            if self._last[i] is None or not _same(self._last[i][0], args):
                todo.append((i, args))
        run = (lambda job: self.sites[job[0]].solve(*job[1]))
        answers = list(self._pool.map(run, todo)) if self._pool is not None and len(todo) > 1 else list(map(run, todo))
        self.solves += len(todo)
        for (i, args), (cut, dispatch) in zip(todo, answers):
            self._last[i] = (args, cut, dispatch)
        cuts = [self._last[i][1] for i in range(S)]
        dispatches = [self._last[i][2] for i in range(S)]
        # an energy cut's value is the LP's: grid energy plus any penalised shortfall
        energy = np.array([c.value if c.target == "energy" else d["energy"] for c, d in zip(cuts, dispatches)])
        feasible = np.array([d["feasible"] for d in dispatches])
        bill = np.array([c.value if c.target == "cost" else np.inf for c in cuts]) if self.cost_mode else None
        dispatch = {k: np.stack([d[k] for d in dispatches]) for k in DISPATCH}
        return Evaluation(energy, bill, feasible, cuts, dispatch)


def grid_limits(scenario) -> list:
    """Each site's grid import limit [MW] when ``grid_limits`` is on, else None per site."""
    sites = scenario.sites
    if not scenario.grid_limits or "grid_mw_max" not in sites.columns:
        return [None] * len(sites)
    return [None if np.isnan(x) else float(x) for x in sites["grid_mw_max"].to_numpy()]


def _same(a: tuple, b: tuple) -> bool:
    """Whether two argument tuples of :meth:`SiteLP.solve` are equal."""
    return all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(a, b))
