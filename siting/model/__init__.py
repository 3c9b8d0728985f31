"""The siting linear program and how it is solved.

Read top to bottom, the modules follow a solve:

- :mod:`~siting.model.solve`: the entry point, validate → build → optimize → read;
- :mod:`~siting.model.build`: variables and constraint families in order;
- :mod:`~siting.model.core`: the :class:`~siting.model.core.Model` value and row helpers;
- :mod:`~siting.model.arcs`: allowed (origin, site, class) assignments, reachability;
- :mod:`~siting.model.demand`, :mod:`~siting.model.capacity`,
  :mod:`~siting.model.policy`: one module per constraint group;
- :mod:`~siting.model.objective`: unit costs and the objective;
- :mod:`~siting.model.status`: the typed solve outcome;
- :mod:`~siting.model.optimize`: the direct LP in HiGHS or CBC;
- :mod:`~siting.model.benders`: the decomposition for hourly resolutions;
- :mod:`~siting.model.diagnose`: why a scenario is infeasible;
- :mod:`~siting.model.extract`: the solution as a :class:`~siting.result.Result`.
"""
