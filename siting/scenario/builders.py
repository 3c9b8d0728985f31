"""Building a scenario from bundled or user tables: :meth:`Scenario.from_data`."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pandas as pd

from siting import datasets, network
from siting import demand as dm
from siting.datasets.validation import check_known
from siting.scenario.io import read_profiles, read_table

__all__ = ["from_data"]

#: Scalar parameters whose defaults come from the bundled ``parameters.csv``.
_BUNDLED_PARAMETERS: tuple[str, ...] = (
    "discount_rate",
    "dc_capex_cny_per_mw",
    "dc_lifetime_years",
    "dc_fixed_om_cny_per_mw_year",
    "solar_capex_cny_per_kw",
    "solar_lifetime_years",
    "solar_fixed_om_cny_per_kw_year",
    "wind_capex_cny_per_kw",
    "wind_lifetime_years",
    "wind_fixed_om_cny_per_kw_year",
    "carbon_price_cny_per_t",
    "network_cost_cny_per_mw_km_year",
)


def from_data(
    cls: type[Scenario],
    name: str = "custom",
    *,
    sites: pd.DataFrame | str | Path | None = None,
    provinces: pd.DataFrame | str | Path | None = None,
    demand: pd.DataFrame | str | Path | None = None,
    workloads: pd.DataFrame | str | Path | None = None,
    rtt_ms: pd.DataFrame | str | Path | None = None,
    re_profiles: pd.DataFrame | str | Path | None = None,
    local_only: list[str] | None = None,
    year: int = 2030,
    trajectory: str = "iea-2025-base",
    key: str | pd.Series = "population",
    cooling: str = "indirect_evaporative",
    **parameters: Any,
) -> Scenario:
    """Build a scenario from bundled or user tables.

    Province attributes (price, emission factor, renewable share,
    climate) are joined to the sites; PUE and WUE follow each site's
    climate (:mod:`siting.demand`); contractable solar and wind are
    bounded per site (see ``SOURCES.md``, ``parameters.csv``); RTT and
    distances are computed with :mod:`siting.network` unless ``rtt_ms``
    is given.

    Parameters
    ----------
    name : str
        Scenario label.
    sites, provinces, demand, workloads, rtt_ms, re_profiles : DataFrame or path, optional
        User tables replacing the bundled ones (validated the same way).
        ``demand`` defaults to :func:`siting.demand.provincial_demand`
        for ``year``, ``trajectory`` and ``key``.
    local_only : list of str, optional
        Sites that may serve only their own province (local edge).
    year : int
        Demand year when ``demand`` is not given.
    trajectory : str
        Demand trajectory preset when ``demand`` is not given.
    key : str or Series
        Spatial key of the demand split (``"population"``, ``"gdp"``
        or weights by province).
    cooling : str
        Cooling technology of new sites (a key of
        :data:`siting.demand.COOLING_TECHNOLOGIES`); sets each site's
        ``pue`` and ``wue_l_per_kwh`` from its climate
        (:func:`siting.demand.pue_from_climate`,
        :func:`siting.demand.wue_from_climate`), unless the site table
        gives them.
    **parameters
        Scalar fields of :class:`Scenario` (and the shortcuts of
        :meth:`replace`).

    Returns
    -------
    Scenario
    """
    prov = datasets.provinces(provinces)
    site_table = datasets.sites(sites, provinces=prov)
    classes = dm.workload_classes() if workloads is None else read_table(workloads, "workloads")
    dem = (
        dm.provincial_demand(year=year, preset=trajectory, key=key, classes=classes, provinces=prov)
        if demand is None
        else read_table(demand, "demand")
    )
    defaults = _default_parameters()
    fields = {f.name for f in dataclasses.fields(cls)}
    shortcuts = {k: parameters.pop(k) for k in list(parameters) if k not in defaults and k not in fields}
    site_frame = _site_attributes(site_table, prov, local_only or [], cooling)
    origins = prov.loc[prov.index.isin(dem["origin"])]
    dist = network.distance_matrix(origins, site_frame)
    if rtt_ms is None:
        rtt = network.rtt_matrix(origins, site_frame)
    else:
        rtt = read_table(rtt_ms, "rtt_ms", index_col=0)
    re = datasets.profiles(None if re_profiles is None else read_profiles(re_profiles))
    re = re.loc[:, re.columns.get_level_values(0).isin(site_frame.index)]
    loads = dm.class_profiles(classes)
    params = {**defaults, **parameters}
    scn = cls(
        name=name,
        sites=site_frame,
        demand=dem,
        workloads=classes,
        rtt_ms=rtt,
        distance_km=dist,
        re_profiles=re,
        load_profiles=loads,
        **params,
    )
    return scn.replace(**shortcuts) if shortcuts else scn


def _default_parameters() -> dict[str, Any]:
    """Scenario defaults drawn from the bundled ``parameters.csv`` (costs in CNY, lifetimes in years)."""
    return {n: datasets.parameter(n) for n in _BUNDLED_PARAMETERS}


def _site_attributes(
    sites: pd.DataFrame, provinces: pd.DataFrame, local_only: list[str], cooling: str
) -> pd.DataFrame:
    """Join province attributes to sites and derive PUE, WUE and RE limits.

    Parameters
    ----------
    sites : pandas.DataFrame
        Candidate sites, index ``site``, with a ``province`` column; values
        it gives are kept, missing ones filled from the province.
    provinces : pandas.DataFrame
        Province attributes (:func:`siting.datasets.provinces`).
    local_only : list of str
        Sites that may serve only their own province.
    cooling : str
        Cooling technology (a key of :data:`siting.demand.COOLING_TECHNOLOGIES`).

    Returns
    -------
    pandas.DataFrame
        The sites with ``electricity_price_cny_per_kwh`` [CNY/kWh],
        ``grid_ef_t_co2_per_mwh`` [tCO2/MWh], ``grid_renewable_share``
        [0..1], ``mean_temp_c`` [degC], ``water_stress``, ``pue`` [-],
        ``wue_l_per_kwh`` [L/kWh], ``solar_max_mw``/``wind_max_mw`` [MW]
        and ``local_only``.
    """
    check_known(local_only, sites.index, "local_only", "site", "site")
    prov = provinces.loc[sites["province"]]
    out = sites.copy()
    for col in ("electricity_price_cny_per_kwh", "grid_ef_t_co2_per_mwh", "grid_renewable_share", "mean_temp_c", "water_stress"):
        if col not in out.columns or out[col].isna().all():
            out[col] = prov[col].to_numpy()
        else:
            out[col] = out[col].fillna(pd.Series(prov[col].to_numpy(), index=out.index))
    if "pue" not in out.columns:
        out["pue"] = dm.pue_from_climate(out["mean_temp_c"].to_numpy(), cooling=cooling)
    if "wue_l_per_kwh" not in out.columns:
        out["wue_l_per_kwh"] = dm.wue_from_climate(out["mean_temp_c"].to_numpy(), cooling=cooling)
    # contractable renewables: a share of the province's technical potential
    # (land area x national potential density), split between its sites
    share = datasets.parameter("renewable_contract_share_max")
    n_in_province = out.groupby("province")["province"].transform("size").to_numpy()
    for tech in ("solar", "wind"):
        col = f"{tech}_max_mw"
        if col not in out.columns:
            density = datasets.parameter(f"{tech}_potential_mw_per_km2")
            out[col] = share * density * prov["land_area_km2"].to_numpy() / n_in_province
    out["local_only"] = out.index.isin(local_only)
    return out
