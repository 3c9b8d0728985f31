r"""Power from beyond the site: solar and wind over UHV corridors, and curtailed energy of the province.

**Corridors** (``corridors=True``). A site :math:`s` whose province receives
corridor :math:`c` may contract new capacity :math:`y_{sck}` [MW] of
technology :math:`k` in the sending province. It generates
:math:`y_{sck}\,cf^{send}_{ckt}` (the sending province's profile), all of
it flows over the line, and :math:`(1 - loss_c)` of it arrives: that is
renewable supply at the site, like its own contracted :math:`x_{sk}`. Cost:
the technology's annualised capex plus the tariff on the delivered energy.
The line's usable capacity holds in every slice:

.. math::

    \sum_{s,k} y_{sck}\, cf^{send}_{ckt} \le u_c\, \overline{F}_c \qquad \forall t

These rows read only contracted capacities, so they sit in the Benders
master as they are, which keeps the decomposition exact; only slices whose
(solar, wind) factors are not dominated by another slice's are needed
(:func:`siting.model.core.peak_slices`).

**Curtailed energy** (``curtailment=True``). Each site in a province with
curtailment may contract a part :math:`a_s` [MW] of the peak
:math:`\overline{K}_p` of the province's curtailed power :math:`K_{pt}`
(:func:`siting.scenario.grid.curtailed_power`), with
:math:`\sum_{s \in p} a_s \le \overline{K}_p`, and absorb up to
:math:`a_s K_{pt} / \overline{K}_p` in each slice at
``curtailed_energy_price_cny_per_kwh`` (the contract is a share
:math:`a_s / \overline{K}_p` of the curtailment, in MW so that it is scaled
like the other capacities). The share, not the
hourly amount, is the decision the sites share, so the province's rows stay
annual and in the master, and each site's hours stay a subproblem of its
own: Benders stays exact. A shared hourly pool would be slightly more
flexible than fixed shares; a share of the surplus is also how a
consumption (消纳) contract would read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pulp

from siting.model.core import TECHS, Model, add_rows, peak_slices, row, variables
from siting.scenario.grid import curtailed_power, province_profiles

__all__ = ["grid_series", "import_options", "add_grid_variables", "add_corridor_limits", "add_absorption_limits",
           "site_supply", "import_cost", "absorbing", "curtailment_profiles", "cost_mode"]


def import_options(scenario) -> pd.DataFrame:
    """Contracts sites may sign over corridors: one row per (site, corridor, technology).

    Returns
    -------
    pandas.DataFrame
        ``site``, ``corridor``, ``technology``, ``sending_province``,
        ``loss_share`` [-], ``tariff_cny_per_kwh`` [CNY/kWh]; empty when
        ``corridors`` is off.
    """
    columns = ["site", "corridor", "technology", "sending_province", "loss_share", "tariff_cny_per_kwh"]
    if not scenario.corridors:
        return pd.DataFrame(columns=columns)
    lines = scenario.corridor_lines
    rows = []
    for site, province in scenario.sites["province"].items():
        for corridor, line in lines[lines["receiving_province"] == province].iterrows():
            for k in TECHS:
                rows.append((site, corridor, k, line["sending_province"], float(line["loss_share"]),
                             float(line["tariff_cny_per_kwh"])))
    return pd.DataFrame(rows, columns=columns)


def cost_mode(scenario) -> bool:
    """Whether Benders subproblems minimise the sites' bill (hourly prices or priced curtailed energy), not grid energy."""
    return bool(scenario.tou_tariffs or absorbing(scenario).any())


def absorbing(scenario) -> np.ndarray:
    """Which sites may absorb curtailed energy: ``curtailment`` on and curtailment in their province, (S,) bool."""
    if not scenario.curtailment:
        return np.zeros(len(scenario.sites), dtype=bool)
    grid = scenario.grid_provinces
    prov = grid.loc[scenario.sites["province"]]
    share = prov["solar_curtailment_share"].to_numpy() + prov["wind_curtailment_share"].to_numpy()
    installed = prov["solar_installed_mw"].to_numpy() + prov["wind_installed_mw"].to_numpy()
    return (share > 0) & (installed > 0)


def curtailment_profiles(scenario) -> dict[str, np.ndarray]:
    """Hourly curtailed power of each province where sites may absorb it [MW], 8760 values each."""
    receivers = sorted(set(scenario.sites["province"][absorbing(scenario)]))
    if not receivers:
        return {}
    grid = scenario.grid_provinces
    profiles = province_profiles(grid, receivers, scenario.weather_year)
    out = {}
    for p in receivers:
        total = np.zeros(len(profiles))
        for k in TECHS:
            output = grid.at[p, f"{k}_installed_mw"] * profiles[(p, k)].to_numpy()
            total += curtailed_power(output, float(grid.at[p, f"{k}_curtailment_share"]))
        out[p] = total
    return out


def grid_series(scenario) -> pd.DataFrame | None:
    """Hourly series the corridors and curtailment need, for time slicing (8760 rows).

    Columns ``send|<province>|<technology>`` (capacity factors of the
    sending provinces [0..1]) and ``curt|<province>`` (curtailed power over
    its peak [0..1]); None when neither option is on.
    """
    senders = sorted(set(import_options(scenario)["sending_province"]))
    curtailed = curtailment_profiles(scenario)
    if not senders and not curtailed:
        return None
    out = {}
    if senders:
        profiles = province_profiles(scenario.grid_provinces, senders, scenario.weather_year)
        for p in senders:
            for k in TECHS:
                out[f"send|{p}|{k}"] = profiles[(p, k)].to_numpy()
    for p, power in curtailed.items():
        out[f"curt|{p}"] = power / power.max() if power.max() > 0 else power
    return pd.DataFrame(out)


def add_grid_variables(model: Model) -> None:
    """``import`` (MW per contract option) and ``absorb`` (MW of the province's curtailment peak per site)."""
    scn = model.scenario
    model.imports = import_options(scn)
    if len(model.imports):
        model.var["import"] = variables(model.problem, "import", len(model.imports))
    peaks = {p: float(power.max()) for p, power in curtailment_profiles(scn).items()}
    model.curtailment_peaks = peaks
    if peaks:
        provinces = scn.sites["province"].to_numpy()
        model.var["absorb"] = [
            model.problem.add_variable(f"absorb_{i}", lowBound=0, upBound=peaks[p]) if p in peaks else None
            for i, p in enumerate(provinces)
        ]
        if not model.master:
            T = len(model.slices)
            model.var["absorbed"] = [variables(model.problem, f"absorbed_{i}", T) if model.var["absorb"][i] is not None else None
                                     for i in range(len(scn.sites))]


def site_supply(model: Model) -> list[list[tuple]]:
    """For each site, its renewable supply options as ``(variable, delivered MW per MW per slice)``.

    Its own solar and wind (capacity factors), then corridor contracts
    (sending profile times ``1 - loss_share``).
    """
    scn = model.scenario
    values = model.slices.values
    out = [[(model.var["re"][k][i], values[f"{site}|{k}"].to_numpy()) for k in TECHS]
           for i, site in enumerate(scn.sites.index)]
    pos = {s: i for i, s in enumerate(scn.sites.index)}
    for j, opt in enumerate(model.imports.itertuples(index=False)):
        cf = values[f"send|{opt.sending_province}|{opt.technology}"].to_numpy() * (1.0 - opt.loss_share)
        out[pos[opt.site]].append((model.var["import"][j], cf))
    return out


def import_cost(model: Model) -> np.ndarray:
    """Annual cost of 1 MW of each corridor contract [CNY/MW-yr]: capex of the technology + tariff on delivery."""
    annual = model.scenario.annualised_cost()
    values, h = model.slices.values, model.slices.weight_h
    cost = np.zeros(len(model.imports))
    for j, opt in enumerate(model.imports.itertuples(index=False)):
        delivered = values[f"send|{opt.sending_province}|{opt.technology}"].to_numpy() @ h * (1.0 - opt.loss_share)
        cost[j] = annual[opt.technology] + opt.tariff_cny_per_kwh * 1000.0 * delivered
    return cost


def add_corridor_limits(model: Model) -> None:
    """Flow over each corridor within its usable capacity, in its non-dominated slices."""
    if not len(model.imports):
        return
    lines = model.scenario.corridor_lines
    values = model.slices.values
    rows, keys = [], []
    for corridor, idx in model.imports.groupby("corridor", sort=False).indices.items():
        line = lines.loc[corridor]
        send = line["sending_province"]
        profile = np.stack([values[f"send|{send}|{k}"].to_numpy() for k in TECHS])
        limit = float(line["usable_share"] * line["capacity_mw"])
        for t in peak_slices(profile):
            pairs = [(model.var["import"][j], float(profile[TECHS.index(model.imports.at[j, "technology"]), t]))
                     for j in idx]
            rows.append(row(pairs, pulp.LpConstraintLE, f"corridor_{len(rows)}", limit))
            keys.append((corridor, int(t)))
    add_rows(model, "corridor_capacity", rows, keys)


def add_absorption_limits(model: Model) -> None:
    """Contracts in a province add up to at most its curtailment peak; in the direct LP, absorbed power within them."""
    if "absorb" not in model.var:
        return
    scn = model.scenario
    share = model.var["absorb"]
    rows, keys = [], []
    for province, idx in pd.Series(range(len(scn.sites)), index=scn.sites["province"].to_numpy()).groupby(level=0):
        pairs = [(share[i], 1.0) for i in idx.to_numpy() if share[i] is not None]
        if pairs:
            rows.append(row(pairs, pulp.LpConstraintLE, f"absorbshare_{len(rows)}",
                            model.curtailment_peaks[province]))
            keys.append(province)
    add_rows(model, "curtailment_share", rows, keys)
    if model.master:
        return
    values = model.slices.values
    slice_rows, slice_keys = [], []
    for i, site in enumerate(scn.sites.index):
        if share[i] is None:
            continue
        cur = values[f"curt|{scn.sites.at[site, 'province']}"].to_numpy()
        for t, u in enumerate(model.var["absorbed"][i]):
            slice_rows.append(row([(u, 1.0), (share[i], -float(cur[t]))], pulp.LpConstraintLE, f"absorbed_{i}_{t}"))
            slice_keys.append((site, t))
    add_rows(model, "curtailment_absorbed", slice_rows, slice_keys)
