"""Building a scenario from bundled or user tables: :meth:`Scenario.from_data`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from siting import datasets, network
from siting import demand as dm
from siting.datasets.validation import check_known, source_of
from siting.errors import InputError
from siting.scenario.grid import bundled_grid
from siting.scenario.io import read_profiles, read_table
from siting.scenario.profiles import check_weather_year, site_profiles, site_tou_profiles

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
    "battery_fixed_om_cny_per_kw_year",
    "battery_fixed_om_cny_per_kwh_year",
    "battery_lifetime_years",
    "battery_round_trip_efficiency",
    "battery_duration_min_h",
    "battery_duration_max_h",
    "green_certificate_cny_per_mwh",
    "curtailed_energy_price_cny_per_kwh",
)
#: Battery capex: the bundled equipment bids plus the turnkey adder.
_BATTERY_CAPEX: tuple[str, ...] = ("battery_power_capex_cny_per_kw", "battery_energy_capex_cny_per_kwh")


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
    local_only: list[str] | str | None = None,
    year: int | None = None,
    trajectory: str | None = None,
    key: str | pd.Series | None = None,
    cooling: str = "indirect_evaporative",
    encoding: str | None = None,
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
    local_only : list of str or str, optional
        Sites that may serve only their own province (local edge); a
        single text is one site name.
    year : int, optional
        Demand year of the bundled trajectory (default 2030); only when
        ``demand`` is not given.
    trajectory : str, optional
        Demand trajectory preset (default ``"iea-2025-base"``); only when
        ``demand`` is not given.
    key : str or Series, optional
        Spatial key of the demand split (``"population"``, the default,
        ``"gdp"`` or weights by province); only when ``demand`` is not
        given.
    cooling : str
        Cooling technology of new sites (a key of
        :data:`siting.demand.COOLING_TECHNOLOGIES`); sets each site's
        ``pue`` and ``wue_l_per_kwh`` from its climate
        (:func:`siting.demand.pue_from_climate`,
        :func:`siting.demand.wue_from_climate`), unless the site table
        gives them.
    encoding : str, optional
        Text encoding of the user's CSV files (e.g. ``"gbk"``); default
        UTF-8, with or without a byte-order mark.
    **parameters
        Scalar fields of :class:`Scenario` (and the shortcuts of
        :meth:`replace`).

    Returns
    -------
    Scenario

    Raises
    ------
    InputError
        If a file cannot be read, a table or parameter does not validate
        (the message names the file, line and column), or ``year``,
        ``trajectory`` or ``key`` is given with a ``demand`` table.
    """
    options = {"year": year, "trajectory": trajectory, "key": key}
    given = [name for name, value in options.items() if value is not None]
    if demand is not None and given:
        raise InputError(
            f"from_data: {given[0]}={options[given[0]]!r} applies only to the bundled demand trajectory; "
            "a demand table is used as it is: give one or the other"
        )
    prov = datasets.provinces(provinces, encoding=encoding)
    site_table = datasets.sites(sites, provinces=prov, encoding=encoding)
    classes = dm.workload_classes() if workloads is None else read_table(workloads, "workloads", encoding=encoding)
    dem = (
        dm.provincial_demand(
            year=2030 if year is None else year,
            preset="iea-2025-base" if trajectory is None else trajectory,
            key="population" if key is None else key,
            classes=classes,
            provinces=prov,
        )
        if demand is None
        else read_table(demand, "demand", encoding=encoding)
    )
    if "origin" not in dem.columns:
        raise InputError(f"{source_of(dem, 'demand')}: missing column 'origin'; expected origin, workload, it_mw")
    if rtt_ms is None:  # round-trip times are computed from the provinces' capitals
        check_known(dem["origin"], prov.index, "demand", "origin", "province")
    defaults = _default_parameters()
    fields = {f.name for f in dataclasses.fields(cls)}
    shortcuts = {k: parameters.pop(k) for k in list(parameters) if k not in defaults and k not in fields}
    if isinstance(local_only, Mapping):
        raise InputError(f"local_only: expected a list of site names (or one name), got {local_only!r}")
    names = [local_only] if isinstance(local_only, str) else list(local_only or [])
    site_frame = _site_attributes(site_table, prov, names, cooling)
    origins = prov.loc[prov.index.isin(dem["origin"])]
    dist = network.distance_matrix(origins, site_frame)
    if rtt_ms is None:
        rtt = network.rtt_matrix(origins, site_frame)
    else:
        rtt = read_table(rtt_ms, "rtt_ms", index_col=0, encoding=encoding)
    if re_profiles is None:
        weather_year = check_weather_year(parameters.get("weather_year"))
        parameters["weather_year"] = weather_year = 0 if weather_year is None else weather_year
        re = site_profiles(site_frame, weather_year)
    else:
        if parameters.get("weather_year") is not None:
            raise InputError(
                f"from_data: weather_year={parameters['weather_year']!r} applies to profiles generated from the "
                "sites' coordinates; re_profiles was given and is used as it is: give one or the other"
            )
        parameters["weather_year"] = None
        re = datasets.profiles(read_profiles(re_profiles, encoding=encoding))
        re = re.loc[:, re.columns.get_level_values(0).isin(site_frame.index)]
    loads = dm.class_profiles(classes)
    params = {"tou_tariffs": True, **defaults, **parameters}
    tou = site_tou_profiles(site_frame, prov)
    lines, grid = bundled_grid(prov)
    scn = cls(
        name=name,
        sites=site_frame,
        demand=dem,
        workloads=classes,
        rtt_ms=rtt,
        distance_km=dist,
        re_profiles=re,
        load_profiles=loads,
        tou_profiles=tou,
        corridor_lines=lines,
        grid_provinces=grid,
        **params,
    )
    return scn.replace(**shortcuts) if shortcuts else scn


def _default_parameters() -> dict[str, Any]:
    """Scenario defaults drawn from the bundled ``parameters.csv`` (costs in CNY, lifetimes in years).

    Battery capex is the equipment bid times ``1 + battery_capex_turnkey_adder_share``
    (grid connection, civil works, EPC).
    """
    out = {n: datasets.parameter(n) for n in _BUNDLED_PARAMETERS}
    adder = 1.0 + datasets.parameter("battery_capex_turnkey_adder_share")
    out.update({n: datasets.parameter(n) * adder for n in _BATTERY_CAPEX})
    return out


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
        [0..1], ``mean_temp_c`` [degC], ``water_stress``, ``solar_cf`` and
        ``wind_cf`` (annual capacity factors the weather profiles are scaled
        to) [0..1], ``pue`` [-],
        ``wue_l_per_kwh`` [L/kWh], ``solar_max_mw``/``wind_max_mw`` [MW]
        and ``local_only``.
    """
    check_known(local_only, sites.index, "local_only", "site", "site")
    prov = provinces.loc[sites["province"]]
    out = sites.copy()
    for col in ("electricity_price_cny_per_kwh", "grid_ef_t_co2_per_mwh", "grid_renewable_share", "mean_temp_c",
                "water_stress", "solar_cf", "wind_cf"):
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
