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
    \sum_t h_t g_t &\le G                                          &\text{(budget, hourly prices)}\\
    0 \le f_t \le cap - b_t,\quad 0 \le c_t, d_t &\le P,\quad 0 \le e_t \le E

with :math:`b_t = \sum_w p_{wt} \ell_w`. The objective is the annual grid
energy :math:`\sum_t h_t g_t` (``"energy"`` mode: flat price, the cut bounds
:math:`G`) or the annual grid bill :math:`\sum_t h_t \pi_t g_t` [CNY/yr]
(``"cost"`` mode: hourly prices, the cut bounds the master's grid-cost
variable). Every parameter the master sets enters a right-hand side or a
bound linearly, so by LP duality the row duals :math:`y` and the reduced
costs of the variables at their upper bounds give a cut valid for every
master point and exact at the current one. When the budget is below the
least grid energy the site can manage, the LP is infeasible; the site then
minimises its grid energy instead and returns that cut on :math:`G` (a
feasibility cut).
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from siting.timeseries import HOURS_PER_YEAR

__all__ = ["SiteData", "Cut", "SiteLP", "SHORTFALL_PENALTY"]

INF = highspy.kHighsInf
#: Penalty on facility power a grid import limit leaves unserved: per MWh in
#: the energy objective [MWh per MWh] and in the bill [CNY per MWh]; far above
#: any real marginal value, so it is never chosen where the limit can be met.
SHORTFALL_PENALTY = {"energy": 1e3, "cost": 1e6}


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
        self.col = {name: np.arange(j * T, (j + 1) * T) for j, name in enumerate(names)}
        self.n_col = len(names) * T
        self.cost_mode = data.price is not None
        self.grid_rows = np.arange(T)
        n_row = T
        if data.storage:
            self.soc_rows = np.arange(n_row, n_row + T)
            n_row += T
        if data.flexible:
            self.flex_row = n_row
            n_row += 1
        self.budget = self.cost_mode and data.budget
        if self.budget:
            self.budget_row = n_row
            n_row += 1
        self.n_row = n_row
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.passModel(self._lp())
        # the two objectives, over every column: grid energy [MWh/yr] and the bill [CNY/yr]
        self._energy_cost = np.zeros(self.n_col)
        self._energy_cost[self.col["g"]] = data.h
        if "s" in self.col:
            self._energy_cost[self.col["s"]] = data.h * SHORTFALL_PENALTY["energy"]
        self._bill_cost = self._costs()

    def _costs(self) -> np.ndarray:
        """The LP's objective per column: grid energy, or the bill (grid and absorbed curtailment)."""
        d = self.data
        cost = np.zeros(self.n_col)
        cost[self.col["g"]] = d.h * d.price if self.cost_mode else d.h
        if d.absorb is not None and self.cost_mode:
            cost[self.col["u"]] = d.h * d.absorb_price
        if "s" in self.col:
            cost[self.col["s"]] = d.h * SHORTFALL_PENALTY["cost" if self.cost_mode else "energy"]
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
            rows.append(np.full(T, self.budget_row))
            cols.append(self.col["g"])
            vals.append(d.h)
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
        if "s" in self.col:
            upper_col[self.col["s"]] = INF
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
        target = "energy"
        restore = False
        if self.budget:
            hs.changeRowsBounds(1, np.array([self.budget_row], dtype=np.int32), np.array([-INF]),
                                np.array([max(float(budget), 0.0)]))
            target = "cost" if self._run() else "energy"
            if target == "energy":  # the budget cannot be met: the least grid energy instead
                self._objective(self._energy_cost)
                hs.changeRowsBounds(1, np.array([self.budget_row], dtype=np.int32), np.array([-INF]), np.array([INF]))
                self._run(required=True)
                least = float(hs.getInfo().objective_function_value)
                if least <= float(budget) * (1 + 1e-7) + 1e-3:
                    # short of the budget by the master's rounding only: the bill at the least energy
                    self._objective(self._bill_cost)
                    hs.changeRowsBounds(1, np.array([self.budget_row], dtype=np.int32), np.array([-INF]),
                                        np.array([least * (1 + 1e-9) + 1e-6]))
                    self._run(required=True)
                    target = "cost"
                else:
                    restore = True
        else:
            self._run(required=True)
            target = "cost" if self.cost_mode else "energy"
        cut = self._cut(target, load, flex, cap, re, battery_mw, battery_mwh, absorb, budget)
        x = np.asarray(hs.getSolution().col_value)
        if restore:  # after reading the solution: a new objective discards it
            self._objective(self._bill_cost)
        zeros = np.zeros(self.T)
        dispatch = {
            "grid": x[self.col["g"]],
            "flex": x[self.col["f"]] if d.flexible else zeros,
            "charge": x[self.col["c"]] if d.storage else zeros,
            "discharge": x[self.col["d"]] if d.storage else zeros,
            "soc": x[self.col["e"]] if d.storage else zeros,
            "absorbed": x[self.col["u"]] if d.absorb is not None else zeros,
            "shortfall": x[self.col["s"]] if "s" in self.col else zeros,
            "feasible": target == ("cost" if self.cost_mode else "energy"),
        }
        dispatch["energy"] = float(dispatch["grid"] @ d.h)
        return cut, dispatch

    def _objective(self, cost: np.ndarray) -> None:
        idx = np.arange(self.n_col, dtype=np.int32)
        self.highs.changeColsCost(len(idx), idx, cost)

    def _run(self, required: bool = False) -> bool:
        """Solve from the last basis; if HiGHS cannot settle the status from it, once more from scratch."""
        status = None
        for attempt in range(2):
            if attempt:
                self.highs.clearSolver()
            self.highs.run()
            status = self.highs.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                return True
            if status == highspy.HighsModelStatus.kInfeasible:
                if not required:
                    return False
                break
        raise RuntimeError(f"site subproblem ended with HiGHS status {self.highs.modelStatusToString(status)}")

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
