"""Many solves of one scenario: sweeps, cost–carbon Pareto fronts,
sensitivity and Monte Carlo, fanned out over any executor.

Every function takes a base :class:`~siting.scenario.Scenario` and a set of
*changes* (keyword arguments of :meth:`Scenario.replace`, including its
shortcuts ``rtt_max_ms_<workload>``, ``demand_scale``,
``electricity_price_scale``, ``grid_ef_scale`` and ``capex_scale``), solves
each changed scenario and gathers the outcomes into tidy tables, one row per
run, in the order the runs were given.

Executors
---------
``executor=None`` (default)
    A local :class:`concurrent.futures.ProcessPoolExecutor` with one worker
    per CPU (at most one per run), created and shut down inside the call.
    Its workers are started with the ``"forkserver"`` method (``"spawn"``
    where that does not exist), so none inherits the solver threads or locks
    of the calling process; scripts must therefore guard their entry point
    with ``if __name__ == "__main__":``. A single run is solved inline.
``executor="serial"``
    Every run in the calling process, one after the other.
any :class:`concurrent.futures.Executor`
    Used as given and left running: ``ProcessPoolExecutor(4)``, or a Dask
    client's ``client.get_executor()`` to run the same calls on a cluster
    (extra ``siting[dask]``).

Runs are independent and deterministic, and Monte Carlo draws are made up
front in the calling process, so the tables do not depend on the executor.
A run that fails (an infeasible or invalid scenario, a lost worker) becomes a
row with ``status`` ``"infeasible"`` or ``"error"`` and its message in
``error``; the other runs still return, and a :class:`RuntimeWarning` counts
the failures and quotes the first.

Modules
-------
:mod:`~siting.analysis.run`
    Executors, batching, progress bar and the tidy table of many runs.
:mod:`~siting.analysis.sweep`
    :func:`sweep`: a grid or a list of changes.
:mod:`~siting.analysis.pareto`
    :func:`pareto`: the cost–emissions front by epsilon constraint.
:mod:`~siting.analysis.sensitivity`
    :func:`sensitivity`, :class:`Sensitivity`: one-at-a-time changes and marginal values.
:mod:`~siting.analysis.monte_carlo`
    :func:`monte_carlo`, :class:`MonteCarloResult`: sampled uncertain inputs.
:mod:`~siting.analysis.plots`
    :func:`plot_pareto`, :func:`plot_tornado`, :func:`plot_build_probability`.
"""

from siting.analysis.monte_carlo import DISTRIBUTIONS, MonteCarloResult, monte_carlo
from siting.analysis.pareto import pareto
from siting.analysis.plots import plot_build_probability, plot_pareto, plot_tornado
from siting.analysis.sensitivity import SENSITIVITY_PARAMETERS, Sensitivity, sensitivity
from siting.analysis.sweep import sweep

__all__ = [
    "sweep",
    "pareto",
    "plot_pareto",
    "sensitivity",
    "Sensitivity",
    "plot_tornado",
    "SENSITIVITY_PARAMETERS",
    "monte_carlo",
    "MonteCarloResult",
    "plot_build_probability",
    "DISTRIBUTIONS",
]
