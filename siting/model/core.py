"""The built model: its PuLP problem, the index of its variables and rows, and row helpers.

Every constraint family (:mod:`~siting.model.demand`,
:mod:`~siting.model.capacity`, :mod:`~siting.model.policy`) builds its rows
from flat lists of ``(variable, coefficient)`` pairs with :func:`row` and
registers them with :func:`add_rows`; nothing sums PuLP terms with Python's
``sum``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from siting.scenario import Scenario
from siting.timeseries import Slices

__all__ = ["Model", "TECHS", "UNSERVED_PENALTY", "POLICY_PENALTY", "row", "add_rows", "variables", "site_loads",
           "elastic_slack", "uses_certificates", "reads_grid_energy", "peak_slices"]

TECHS = ("solar", "wind")
#: Penalties of the diagnostic (elastic) models: on unserved demand
#: [CNY per MW-yr] and on violated policy rows [CNY per unit of the row:
#: MWh, MW, m3, tCO2]. Both are far above any marginal cost in the model
#: (about 1e7 CNY per MW-yr, 1e4 CNY per MWh) yet small enough for the
#: solver to stay well conditioned.
UNSERVED_PENALTY = 1e10
POLICY_PENALTY = 1e7


@dataclass
class Model:
    """A built PuLP problem and the index of its variables and rows.

    Attributes
    ----------
    problem : pulp.LpProblem
    scenario : Scenario
    slices : Slices
        Time slices the model uses.
    arcs : pandas.DataFrame
        One row per assignment variable: ``origin``, ``site``, ``workload``,
        ``it_mw``, ``rtt_ms``, ``distance_km``.
    load_index : pandas.DataFrame
        ``site``, ``workload`` of each ``load`` variable.
    var : dict
        Variable lists by family: ``a``, ``load``, ``cap``, ``re`` (by
        technology), ``grid_energy`` (per site, MWh/yr), ``grid`` and
        ``flex`` (per site, per slice; not in a Benders master), with
        storage ``battery_mw`` and ``battery_mwh`` (per site) and
        ``charge``, ``discharge``, ``soc`` (per site and slice, direct LP),
        with annual matching ``certificate`` (per site, MWh/yr), with
        corridors ``import`` (per contract, MW), with curtailment
        ``absorb`` (per site, share; None where the province curtails
        nothing) and ``absorbed`` (per site and slice, MW, direct LP), in a
        Benders master with time-of-use prices ``grid_cost`` (per site,
        CNY/yr), ``open`` (MILP), ``unserved`` and ``slack`` (diagnostic
        models).
    rows : dict
        Constraint lists by family, aligned with ``keys``.
    keys : dict
        Labels of the rows of each family.
    elastic : {None, "demand", "policy"}
        Diagnostic mode, see :func:`build`.
    master : bool
        Whether this is a Benders master (:mod:`siting.model.benders`).
    imports : pandas.DataFrame
        Corridor contracts the ``import`` variables stand for
        (:func:`siting.model.grid.import_options`).
    curtailment_peaks : dict
        Peak curtailed power of each province whose sites may absorb it [MW].
    """

    problem: pulp.LpProblem
    scenario: Scenario
    slices: Slices
    arcs: pd.DataFrame
    load_index: pd.DataFrame
    var: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    elastic: str | None = None
    master: bool = False
    imports: pd.DataFrame = field(default_factory=pd.DataFrame)
    curtailment_peaks: dict = field(default_factory=dict)

    @property
    def size(self) -> dict[str, int]:
        """Number of variables, and of the constraints and non-zeros the families built (not rows added by ``extra``)."""
        rows = [c for family in self.rows.values() for c in family]
        return {
            "variables": len(self.problem.variables()),
            "constraints": len(rows),
            "nonzeros": sum(len(c) for c in rows),
        }


def variables(
    problem: pulp.LpProblem, prefix: str, n: int, low: float | None = 0.0, up=None, cat: str = pulp.LpContinuous
) -> list:
    ups = up if isinstance(up, (list, np.ndarray)) else [up] * n
    add = problem.add_variable
    return [add(f"{prefix}_{i}", lowBound=low, upBound=None if u is None else float(u), cat=cat)
            for i, u in enumerate(ups)]

def row(pairs, sense: int, name: str, rhs: float = 0.0) -> pulp.LpConstraint:
    return pulp.LpConstraint(pulp.LpAffineExpression(pairs), sense, name, rhs)

def add_rows(model: Model, family: str, rows: list, keys: list) -> None:
    for c in rows:
        model.problem.addConstraint(c)
    model.rows[family] = rows
    model.keys[family] = keys

def site_loads(model: Model) -> list[list[tuple[int, str]]]:
    """For each site, the (load variable index, workload) pairs."""
    pos = {s: i for i, s in enumerate(model.scenario.sites.index)}
    out: list[list[tuple[int, str]]] = [[] for _ in pos]
    for j, (s, w) in enumerate(model.load_index.itertuples(index=False)):
        out[pos[s]].append((j, w))
    return out

def elastic_slack(model: Model, name: str) -> list:
    if model.elastic != "policy":
        return []
    var = model.problem.add_variable(f"slack_{name}", lowBound=0)
    model.var.setdefault("slack", {})[name] = var
    return [(var, 1.0)]



def uses_certificates(scenario: Scenario) -> bool:
    """Whether green certificates are decisions: annual matching with a green-share target."""
    return scenario.green_matching == "annual" and (
        scenario.green_share_min is not None or scenario.site_green_share_min is not None
    )


def reads_grid_energy(scenario: Scenario) -> bool:
    """Whether a policy row reads the sites' annual grid energy (green shares, the emissions cap)."""
    return any(x is not None for x in (scenario.green_share_min, scenario.site_green_share_min,
                                       scenario.emissions_t_max))


def peak_slices(profile: np.ndarray) -> np.ndarray:
    """Slices whose load vector is not dominated by another slice's.

    ``cap >= sum_w p[w, t] load[w]`` for all ``t`` holds iff it holds for
    these slices (for one class: the peak slice alone).
    """
    if profile.shape[0] == 0:
        return np.array([], dtype=int)
    uniq, first = np.unique(profile.T, axis=0, return_index=True)
    # a dominating vector has the larger sum (ties: the later in np.unique's lexicographic order), so in
    # that order each vector need only be checked against the front kept so far
    order = np.lexsort((-np.arange(len(uniq)), -uniq.sum(axis=1)))
    front: list[int] = []
    for i in order:
        if front and np.all(uniq[front] >= uniq[i], axis=1).any():
            continue  # >= in every class and not equal (the vectors are unique): dominated
        front.append(i)
    keep = first[front]
    return np.sort(np.array(keep, dtype=int))
