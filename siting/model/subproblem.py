r"""A site's hourly dispatch as an LP in HiGHS, for Benders cuts when hours are coupled.

With a battery or hourly prices, a site's hours no longer separate and the
closed form of :func:`siting.model.benders.evaluate` does not apply. Each
such site gets one LP, built once from arrays and kept in its own HiGHS
instance; between Benders iterations only bounds and right-hand sides
change, so HiGHS restarts from the previous basis. The master fixes the
site's inflexible loads :math:`\ell_w`, flexible load :math:`\ell_f`, IT
capacity :math:`cap`, contracted renewables :math:`x_k`, battery power
:math:`P` and energy :math:`E` [MW, MWh] and, with hourly prices, its
annual grid energy budget :math:`G` [MWh/yr]. Columns per slice: grid
:math:`g_t`, and with storage charge :math:`c_t`, discharge :math:`d_t`,
state of charge :math:`e_t`, and with flexible load :math:`f_t`:

.. math::

    g_t - c_t + d_t - PUE f_t &\ge PUE\, b_t - \sum_k cf_{kt} x_k   &\text{(grid)}\\
    e_t - e_{prev(t)} - \eta c_t + d_t/\eta &= 0                    &\text{(state of charge)}\\
    \sum_t h_t f_t &= 8760\, \ell_f                                &\text{(flexible energy)}\\
    \sum_t h_t g_t - v &\le G                                      &\text{(budget, hourly prices)}\\
    0 \le f_t \le cap - b_t,\quad 0 \le c_t, d_t &\le P,\quad 0 \le e_t \le E,\quad v \ge 0

with :math:`b_t = \sum_w p_{wt} \ell_w`. The objective is the annual grid
energy :math:`\sum_t h_t g_t` (``"energy"`` mode: flat price, the cut bounds
:math:`G`) or the annual grid bill :math:`\sum_t h_t \pi_t g_t` [CNY/yr]
(``"cost"`` mode: hourly prices, the cut bounds the master's grid-cost
variable). Every parameter the master sets enters a right-hand side or a
bound linearly, so by LP duality the row duals :math:`y` and the reduced
costs of the variables at their upper bounds give a cut valid for every
master point and exact at the current one. The budget's excess :math:`v`
costs a penalty per MWh (:data:`BUDGET_PENALTY`), so the LP is feasible at every master
point and one solve gives the cut; a point with :math:`v > 0` is not
feasible and gives no upper bound. The first solve is by interior point
with crossover, later ones by dual simplex from the last basis.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from siting.model.optimize import fresh_highs
from siting.timeseries import HOURS_PER_YEAR

__all__ = ["SiteData", "Cut", "SiteLP", "SubproblemError", "SHORTFALL_PENALTY", "BUDGET_PENALTY"]

INF = highspy.kHighsInf
#: Penalty on facility power a grid import limit leaves unserved: per MWh in
#: the energy objective [MWh per MWh] and in the bill [CNY per MWh]; far above
#: any real marginal value, so it is never chosen where the limit can be met.
SHORTFALL_PENALTY = {"energy": 1e3, "cost": 1e6}
#: Penalty on grid energy over the master's budget [CNY per MWh], first and
#: largest: the site LP stays feasible at every master point (one solve, a
#: plain optimality cut). The first (1 CNY/kWh, twice a grid price) keeps the
#: cuts' slopes near those of the bill, which the master's conditioning
#: needs; where the master still settles on an excess it is raised tenfold
#: (cuts at a lower penalty stay valid, the penalised bill only grows), and
#: an excess at the largest means the budgets cannot be met.
BUDGET_PENALTY = (1e3, 1e7)


class SubproblemError(RuntimeError):
    """A site LP that HiGHS could not solve to optimality, from a basis, from scratch or in a fresh instance."""


@dataclass(frozen=True)
class SiteData:
    """What one site's hourly LP is built from.

    Attributes
    ----------
    h : numpy.ndarray
        Slice weights, shape (T,) [h].
    profile : numpy.ndarray
        Inflexible class profiles, shape (W, T) [-].
    cf : numpy.ndarray
        Renewable capacity factors, shape (K, T) [-].
    pue : float
    prev : numpy.ndarray
        Index of the slice before each slice (cyclic storage), shape (T,).
    eta : float
        One-way battery efficiency [-].
    storage : bool
    flexible : bool
        Whether the site can host flexible load.
    price : numpy.ndarray or None
        Grid price per slice [CNY/MWh] (``"cost"`` mode), or None (``"energy"`` mode).
    absorb : numpy.ndarray or None
        Curtailed power of the site's province per slice [MW] (the site may
        absorb its share of it), or None.
    absorb_price : float
        Price of absorbed curtailed energy [CNY/MWh].
    grid_max : float or None
        Grid import limit [MW]; with one, a shortfall column at
        :data:`SHORTFALL_PENALTY` keeps the LP feasible (and says, when it
        stays above 0 at convergence, that the limit cannot be met).
    budget : bool
        In ``"cost"`` mode, whether the master sets the annual grid energy
        (a budget row; when a policy reads it); otherwise ``price``
        includes the carbon price and the grid energy is free.
    """

    h: np.ndarray
    profile: np.ndarray
    cf: np.ndarray
    pue: float
    prev: np.ndarray
    eta: float
    storage: bool
    flexible: bool
    price: np.ndarray | None
    budget: bool = False
    absorb: np.ndarray | None = None
    absorb_price: float = 0.0
    grid_max: float | None = None


@dataclass(frozen=True)
class Cut:
    """``target >= const + coef . master values`` from one subproblem solve.

    ``target`` is ``"energy"`` (the site's annual grid energy :math:`G`) or
    ``"cost"`` (its grid bill). Coefficients: ``load`` (W,) and ``flex``
    [per MW], ``cap`` [per MW], ``re`` (K,) [per MW], ``battery_mw`` [per
    MW], ``battery_mwh`` [per MWh], ``budget`` [per MWh of :math:`G`],
    ``absorb`` [per unit share of the province's curtailment].
    """

    target: str
    value: float
    const: float
    load: np.ndarray
    flex: float
    cap: float
    re: np.ndarray
    battery_mw: float
    battery_mwh: float
    budget: float
    absorb: float = 0.0


class SiteLP:
    """One site's hourly LP, kept in HiGHS across Benders iterations.

    Parameters
    ----------
    data : SiteData
    """

    def __init__(self, data: SiteData) -> None:
        self.data = data
        T = len(data.h)
        self.T = T
        names = (["g"] + (["c", "d", "e"] if data.storage else []) + (["f"] if data.flexible else [])
                 + (["u"] if data.absorb is not None else []) + (["s"] if data.grid_max is not None else []))
        self.cost_mode = data.price is not None
        self.budget = self.cost_mode and data.budget
        self.col = {name: np.arange(j * T, (j + 1) * T) for j, name in enumerate(names)}
        self.n_col = len(names) * T
        self.penalty = BUDGET_PENALTY[0]
        if self.budget:  # one column: grid energy over the budget [MWh/yr]
            self.col["v"] = np.array([self.n_col])
            self.n_col += 1
        self.grid_rows = np.arange(T)
        n_row = T
        if data.storage:
            self.soc_rows = np.arange(n_row, n_row + T)
            n_row += T
        if data.flexible:
            self.flex_row = n_row
            n_row += 1
        if self.budget:
            self.budget_row = n_row
            n_row += 1
        self.n_row = n_row
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        # Devex pricing: on a year of hours, dual simplex from the last basis after a master step runs
        # 10-20 % faster than with HiGHS's default choice of (dual steepest-edge) weights
        self.highs.setOptionValue("simplex_dual_edge_weight_strategy", 1)
        self.highs.passModel(self._lp())
        self._cold = True

    def _costs(self) -> np.ndarray:
        """The LP's objective per column: grid energy, or the bill (grid and absorbed curtailment)."""
        d = self.data
        cost = np.zeros(self.n_col)
        cost[self.col["g"]] = d.h * d.price if self.cost_mode else d.h
        if d.absorb is not None and self.cost_mode:
            cost[self.col["u"]] = d.h * d.absorb_price
        if "s" in self.col:
            cost[self.col["s"]] = d.h * SHORTFALL_PENALTY["cost" if self.cost_mode else "energy"]
        if self.budget:
            cost[self.col["v"]] = self.penalty
        return cost

    def _lp(self) -> highspy.HighsLp:
        d, T = self.data, self.T
        rows, cols, vals = [self.grid_rows], [self.col["g"]], [np.ones(T)]
        if d.storage:
            c, dis, e = self.col["c"], self.col["d"], self.col["e"]
            rows += [self.grid_rows, self.grid_rows, self.soc_rows, self.soc_rows, self.soc_rows, self.soc_rows]
            cols += [c, dis, e, e[d.prev], c, dis]
            vals += [-np.ones(T), np.ones(T), np.ones(T), -np.ones(T), -d.eta * np.ones(T), np.ones(T) / d.eta]
        if d.flexible:
            f = self.col["f"]
            rows += [self.grid_rows, np.full(T, self.flex_row)]
            cols += [f, f]
            vals += [-d.pue * np.ones(T), d.h]
        for name in ("u", "s"):  # absorbed curtailment, shortfall: both cover facility load
            if name in self.col:
                rows.append(self.grid_rows)
                cols.append(self.col[name])
                vals.append(np.ones(T))
        if self.budget:
            rows += [np.full(T, self.budget_row), np.array([self.budget_row])]
            cols += [self.col["g"], self.col["v"]]
            vals += [d.h, np.array([-1.0])]
        # duplicates (e_t and e_prev(t) in a one-slice cycle) are summed
        a = sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(self.n_row, self.n_col))
        a.sum_duplicates()
        a.eliminate_zeros()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n_col, self.n_row
        lp.col_cost_ = self._costs()
        upper_col = np.zeros(self.n_col)
        upper_col[self.col["g"]] = INF if d.grid_max is None else d.grid_max
        for name in ("s", "v"):
            if name in self.col:
                upper_col[self.col[name]] = INF
        lp.col_lower_, lp.col_upper_ = np.zeros(self.n_col), upper_col
        lower, upper = np.zeros(self.n_row), np.zeros(self.n_row)
        upper[self.grid_rows] = INF
        if self.budget:
            lower[self.budget_row], upper[self.budget_row] = -INF, INF
        lp.row_lower_, lp.row_upper_ = lower, upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr.astype(np.int32)
        lp.a_matrix_.index_ = a.indices.astype(np.int32)
        lp.a_matrix_.value_ = a.data.astype(float)
        return lp

    def solve(self, load: np.ndarray, flex: float, cap: float, re: np.ndarray, battery_mw: float,
              battery_mwh: float, absorb: float, budget: float | None) -> tuple[Cut, dict]:
        """Solve at a master point; return the cut and the dispatch.

        Parameters
        ----------
        load : numpy.ndarray
            Inflexible IT load per class (W,) [MW].
        flex : float
            Flexible IT load, annual average [MW].
        cap : float
            IT capacity [MW].
        re : numpy.ndarray
            Contracted renewable capacity (K,) [MW].
        battery_mw, battery_mwh : float
            Battery power [MW] and energy [MWh].
        absorb : float
            Share of the province's curtailed power the site may absorb [0..1].
        budget : float or None
            Annual grid energy allowed [MWh/yr] (``"cost"`` mode).

        Returns
        -------
        cut : Cut
        dispatch : dict
            ``grid``, ``flex``, ``charge``, ``discharge``, ``soc`` (T,)
            [MW, MWh]; ``energy`` (annual grid energy [MWh/yr]) and
            ``feasible`` (False when the budget could not be met; the cut
            is then a feasibility cut on the grid energy).
        """
        d, hs = self.data, self.highs
        base = load @ d.profile
        rhs = d.pue * base - re @ d.cf
        hs.changeRowsBounds(self.T, self.grid_rows.astype(np.int32), rhs, np.full(self.T, INF))
        bounds_idx, bounds_up = [], []
        if d.flexible:
            headroom = np.maximum(cap - base, 0.0)
            e_flex = HOURS_PER_YEAR * flex
            room = float(d.h @ headroom)
            # the master's feasibility rows give room >= e_flex up to its
            # rounding (primal tolerance 1e-7 MW on each row, times the hours
            # of a year); the flexible energy is held to the room within that
            if room < e_flex <= room * (1 + 1e-7) + 1e-2:
                e_flex = room
            bounds_idx.append(self.col["f"])
            bounds_up.append(headroom)
            hs.changeRowsBounds(1, np.array([self.flex_row], dtype=np.int32), np.array([e_flex]), np.array([e_flex]))
        if d.storage:
            bounds_idx += [self.col["c"], self.col["d"], self.col["e"]]
            bounds_up += [np.full(self.T, battery_mw), np.full(self.T, battery_mw), np.full(self.T, battery_mwh)]
        if d.absorb is not None:
            bounds_idx.append(self.col["u"])
            bounds_up.append(absorb * d.absorb)
        if bounds_idx:
            idx = np.concatenate(bounds_idx)
            hs.changeColsBounds(len(idx), idx.astype(np.int32), np.zeros(len(idx)), np.concatenate(bounds_up))
        if self.budget:
            hs.changeRowsBounds(1, np.array([self.budget_row], dtype=np.int32), np.array([-INF]),
                                np.array([max(float(budget), 0.0)]))
        self._run()
        target = "cost" if self.cost_mode else "energy"
        cut = self._cut(target, load, flex, cap, re, battery_mw, battery_mwh, absorb, budget)
        x = np.asarray(self.highs.getSolution().col_value)  # _run may have replaced the instance
        # over the budget by more than the master's rounding: the point is not feasible
        excess = float(x[self.col["v"]][0]) if self.budget else 0.0
        zeros = np.zeros(self.T)
        dispatch = {
            "grid": x[self.col["g"]],
            "flex": x[self.col["f"]] if d.flexible else zeros,
            "charge": x[self.col["c"]] if d.storage else zeros,
            "discharge": x[self.col["d"]] if d.storage else zeros,
            "soc": x[self.col["e"]] if d.storage else zeros,
            "absorbed": x[self.col["u"]] if d.absorb is not None else zeros,
            "shortfall": x[self.col["s"]] if "s" in self.col else zeros,
            "feasible": excess <= 1e-7 * max(float(budget or 0.0), 0.0) + 1e-3,
        }
        dispatch["energy"] = float(dispatch["grid"] @ d.h)
        return cut, dispatch

    def raise_penalty(self) -> bool:
        """Multiply the budget penalty by ten; False when it is already the largest (or there is no budget)."""
        if not self.budget or self.penalty >= BUDGET_PENALTY[1]:
            return False
        self.penalty *= 10.0
        col = self.col["v"].astype(np.int32)
        self.highs.changeColsCost(1, col, np.array([self.penalty]))
        return True

    def _run(self) -> None:
        """Solve: the first time by interior point with crossover (about twice as fast as simplex from
        nothing on a year of hours), then by dual simplex from the last basis. If HiGHS cannot settle the
        status, once more from scratch by the other method, then in a fresh HiGHS instance (which solves
        what a cleared one sometimes does not)."""
        status = None
        first = "ipm" if self._cold else "simplex"
        for attempt, method in enumerate((first, "simplex" if first == "ipm" else "ipm", "simplex")):
            if attempt == 2:
                self.highs = fresh_highs(self.highs)
            hs = self.highs
            if attempt:
                hs.clearSolver()
            hs.setOptionValue("solver", method)
            if method == "ipm":
                hs.setOptionValue("run_crossover", "on")
            hs.run()
            hs.setOptionValue("solver", "simplex")
            self._cold = False
            status = hs.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                return
        raise SubproblemError(f"site subproblem ended with HiGHS status {hs.modelStatusToString(status)}")

    def _cut(self, target: str, load: np.ndarray, flex: float, cap: float, re: np.ndarray,
             battery_mw: float, battery_mwh: float, absorb: float, budget: float | None) -> Cut:
        d = self.data
        sol = self.highs.getSolution()
        y = np.asarray(sol.row_dual)
        z = np.minimum(np.asarray(sol.col_dual), 0.0)  # d value / d upper bound of each column
        y_grid = np.maximum(y[self.grid_rows], 0.0)  # >= rows of a minimisation
        z_f = z[self.col["f"]] if d.flexible else np.zeros(self.T)
        coef_load = d.profile @ (d.pue * y_grid - z_f)
        coef_re = -(d.cf @ y_grid)
        coef_cap = float(z_f.sum())
        coef_flex = HOURS_PER_YEAR * float(y[self.flex_row]) if d.flexible else 0.0
        if d.storage:
            coef_p = float(z[self.col["c"]].sum() + z[self.col["d"]].sum())
            coef_e = float(z[self.col["e"]].sum())
        else:
            coef_p = coef_e = 0.0
        coef_budget = float(min(y[self.budget_row], 0.0)) if target == "cost" and self.budget else 0.0
        coef_absorb = float(z[self.col["u"]] @ d.absorb) if d.absorb is not None else 0.0
        value = float(self.highs.getInfo().objective_function_value)
        at = (coef_load @ load + coef_flex * flex + coef_cap * cap + coef_re @ re + coef_p * battery_mw
              + coef_e * battery_mwh + coef_absorb * absorb + (coef_budget * float(budget) if coef_budget else 0.0))
        return Cut(target, value, value - float(at), coef_load, coef_flex, coef_cap, coef_re, coef_p, coef_e,
                   coef_budget, coef_absorb)
