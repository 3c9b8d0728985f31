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
    per CPU (at most one per run), created and shut down inside the call,
    one run per task. Its workers are started with the ``"forkserver"``
    method (``"spawn"`` where that does not exist), so none inherits the
    solver threads or locks of the calling process; scripts must therefore
    guard their entry point with ``if __name__ == "__main__":``. Without the
    guard every worker imports the script again and reaches the study: the
    worker then exits quietly, the pool cannot start, and the runs are
    solved in the calling process, one after the other, with a
    :class:`RuntimeWarning` that says so and how to fix it. The same
    happens, with its own warning, when solver options cannot be pickled
    for the workers (an ``extra`` given as a lambda). A single run is
    solved inline.
``executor="serial"``
    Every run in the calling process, one after the other.
any :class:`concurrent.futures.Executor`
    Used as given and left running: ``ProcessPoolExecutor(4)``, or a Dask
    client's ``client.get_executor()`` to run the same calls on a cluster
    (extra ``siting[dask]``). Runs are sent in batches, about four per
    worker, so that the scenario crosses once per batch. On a Dask cluster
    the batches of a worker that dies are solved again on the others (Dask
    retries a task whose worker was lost, up to
    ``distributed.scheduler.allowed-failures`` times).

Runs are independent and deterministic, and Monte Carlo draws are made up
front in the calling process, so the tables do not depend on the executor.
A run that fails (an infeasible or invalid scenario, a lost worker) becomes a
row with ``status`` ``"infeasible"`` or ``"error"`` and its message in
``error``; the other runs still return, and a :class:`RuntimeWarning` counts
the failures and quotes the first.

Interrupting (Ctrl-C)
---------------------
Ctrl-C (SIGINT) while the runs are solved raises :class:`Interrupted`, a
:class:`KeyboardInterrupt`, within a second and a half at most (a few
hundredths typically), so that a script stops (``except Exception`` does
not catch it; the ``siting`` command exits 130). The runs finished so far
are not thrown away: the exception carries them in ``table``, in the format
of the study's table of runs (rows of the finished runs only, under their
own labels), with the counts ``finished``, ``cancelled`` and ``total``.
Runs not started are cancelled. The default pool's workers are terminated,
busy or not, and none is left behind (the runs they were solving are lost).
A given executor has its pending futures cancelled but is not shut down:
its running batches finish on their own, and a run counts as finished once
its batch has come back::

    try:
        table = sweep(scn, changes)
    except Interrupted as stop:
        table = stop.table          # the runs finished before Ctrl-C

Ctrl-C during what a study solves in the calling process before its runs
(the ends of a Pareto front, the base of a sensitivity) raises a plain
:class:`KeyboardInterrupt`.

Modules
-------
:mod:`~siting.analysis.run`
    Executors, batching, progress bar, Ctrl-C (:class:`Interrupted`) and the
    tidy table of many runs.
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
from siting.analysis.run import Interrupted
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
    "Interrupted",
]
