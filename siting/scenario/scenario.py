"""The scenario value: every input of one siting study, validated when created.

A :class:`Scenario` holds the tables (candidate sites, demand by origin and
workload class, workload classes, the origin × site RTT matrix, hourly
renewable and load profiles) and the economic and policy parameters. It is
validated when created (:mod:`siting.scenario.validation`), so a scenario
that exists is one the model can be built from; :meth:`Scenario.replace`
(:mod:`siting.scenario.changes`) returns a new, re-validated scenario.
Building (:mod:`~siting.scenario.builders`, :mod:`~siting.scenario.preset`)
and YAML files (:mod:`~siting.scenario.io`) live in their own modules; the
class binds their functions as its methods.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from siting.scenario.builders import from_data
from siting.scenario.changes import replace
from siting.scenario.io import from_yaml, to_yaml
from siting.scenario.preset import preset
from siting.scenario.validation import TABLES, check_parameters, check_tables

__all__ = ["Scenario"]


def _annuity(rate: float, years: float) -> float:
    """Capital recovery factor [1/yr]."""
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)


@dataclass(frozen=True, eq=False)
class Scenario:
    """Inputs of one siting study.

    Parameters
    ----------
    name : str
        Label used in outputs.
    sites : pandas.DataFrame
        Candidate sites, index ``site``, columns of
        :data:`~siting.scenario.validation.SCENARIO_SITE_COLUMNS`
        (coordinates [deg], ``pue`` [-], ``it_capacity_max_mw`` [MW],
        ``electricity_price_cny_per_kwh`` [CNY/kWh], ``grid_ef_t_co2_per_mwh``
        [tCO2/MWh], ``wue_l_per_kwh`` [L/kWh], ``solar_max_mw``/``wind_max_mw``
        [MW], ...).
    demand : pandas.DataFrame
        Columns ``origin``, ``workload``, ``it_mw`` [MW of average IT load].
    workloads : pandas.DataFrame
        Index ``workload``; columns ``rtt_max_ms`` [ms] (NaN = no limit)
        and ``flexible`` (bool).
    rtt_ms : pandas.DataFrame
        Round-trip time origin × site [ms].
    distance_km : pandas.DataFrame
        Great-circle distance origin × site [km] (network cost).
    re_profiles : pandas.DataFrame
        Hourly capacity factors, 8760 rows, columns ``(site, technology)``.
    load_profiles : pandas.DataFrame
        Hourly load shape of each workload class, 8760 rows, mean 1.
    tou_profiles : pandas.DataFrame, optional
        Hourly grid price of each site relative to its flat
        ``electricity_price_cny_per_kwh`` [-], 8760 rows × site; read when
        ``tou_tariffs`` is on. :meth:`from_data` computes it from the
        bundled provincial time-of-use tariffs (:mod:`siting.tariffs`).
    corridor_lines : pandas.DataFrame, optional
        UHV/HVDC corridors, index ``corridor``; columns of
        :data:`~siting.scenario.grid.CORRIDOR_LINE_COLUMNS`
        (``sending_province``, ``receiving_province``, ``capacity_mw`` [MW],
        ``usable_share`` [0..1], ``loss_share`` [0..1],
        ``tariff_cny_per_kwh`` [CNY/kWh]); read when ``corridors`` is on.
    grid_provinces : pandas.DataFrame, optional
        Provinces' capitals, capacity factors and existing fleets, index
        ``province``; columns of :data:`~siting.scenario.grid.GRID_PROVINCE_COLUMNS`;
        read when ``corridors`` or ``curtailment`` is on.
    resolution : {"average", "days", "hours"}
        Time slicing of the model.
    representative_days : int
        Number of representative days when ``resolution == "days"``.
    weather_year : int or None
        Synthetic weather year (0 ... ``siting.weather.WEATHER_YEARS - 1``)
        of the sites' generated renewable profiles (:mod:`siting.weather`);
        ``None`` when ``re_profiles`` came from the user's table. Changing
        it with :meth:`replace` regenerates the profiles.
    discount_rate : float
        Real discount rate for annualising capex [1/yr].
    dc_capex_cny_per_mw, dc_lifetime_years, dc_fixed_om_cny_per_mw_year : float
        Data-center facility capex [CNY per MW IT], life [yr], fixed O&M
        [CNY per MW IT per yr].
    solar_capex_cny_per_kw, solar_lifetime_years, solar_fixed_om_cny_per_kw_year : float
        Utility PV capex [CNY/kW], life [yr], fixed O&M [CNY/kW/yr].
    wind_capex_cny_per_kw, wind_lifetime_years, wind_fixed_om_cny_per_kw_year : float
        Onshore wind, as for solar.
    carbon_price_cny_per_t : float
        Price on grid emissions [CNY/tCO2].
    network_cost_cny_per_mw_km_year : float
        Cost of carrying the traffic of 1 MW of IT load over 1 km for a
        year [CNY/(MW km yr)].
    latency_penalty_cny_per_mw_ms_year : float
        Optional penalty on served load times RTT [CNY/(MW ms yr)].
    green_share_min : float, optional
        National minimum share of facility energy that is green (contracted
        renewables plus the renewable part of grid power) [0..1].
    site_green_share_min : float, optional
        The same share required at every site of a national hub [0..1].
    west_share_min : float, optional
        Minimum share of IT capacity built at western sites [0..1].
    pue_caps : bool
        Build sites to their policy PUE cap (``pue = min(pue, pue_max)``).
    water_limits : bool
        Enforce each site's ``water_m3_max`` [m3/yr].
    water_m3_max : float, optional
        National limit on data-center water use [m3/yr].
    grid_limits : bool
        Enforce each site's ``grid_mw_max`` [MW].
    emissions_t_max : float, optional
        National cap on emissions from grid power [tCO2/yr]; the
        epsilon constraint of :func:`siting.analysis.pareto`.
    integer : bool
        MILP mode: a binary ``open`` per site with a fixed cost and a
        minimum size.
    site_fixed_cost_cny_per_year : float
        Fixed cost of an open site in MILP mode [CNY/yr].
    site_min_it_mw : float
        Minimum IT capacity of an open site in MILP mode [MW].
    storage : bool
        Allow a battery at every candidate site: its power [MW] and energy
        [MWh] capacities are decisions, it charges from renewable surplus or
        the grid and discharges to the facility (:mod:`siting.model.storage`).
    battery_power_capex_cny_per_kw, battery_energy_capex_cny_per_kwh : float
        Battery capex per kW of power [CNY/kW] and per kWh of energy
        capacity [CNY/kWh].
    battery_fixed_om_cny_per_kw_year, battery_fixed_om_cny_per_kwh_year : float
        Battery fixed O&M per kW of power [CNY/kW/yr] and per kWh of energy
        capacity [CNY/kWh/yr].
    battery_lifetime_years : float
        Battery life [yr].
    battery_round_trip_efficiency : float
        Energy out over energy in [0..1]; split evenly between charging and
        discharging (each ``sqrt`` of it).
    battery_duration_min_h, battery_duration_max_h : float, optional
        Range of energy over power [h]; ``None`` leaves that side free.
    tou_tariffs : bool
        Price grid power by the hour with the time-of-use tariff of each
        site's province (:attr:`tou_factors`, :mod:`siting.tariffs`);
        otherwise every hour costs the site's flat price.
    green_matching : {"hourly", "annual"}
        How ``green_share_min`` and ``site_green_share_min`` are met.
        ``"hourly"``: only green energy used in its hour counts (contracted
        renewables used, battery energy charged from them, the renewable
        part of grid power). ``"annual"``: green certificates bought over
        the year count too.
    green_certificate_cny_per_mwh : float
        Price of a green certificate (绿证, 1 MWh) [CNY/MWh].
    corridors : bool
        A site in a province that receives a UHV corridor may contract new
        solar and wind in the sending province, delivered over the line with
        its losses and tariff, within its usable capacity in every slice
        (:mod:`siting.model.grid`).
    curtailment : bool
        Sites may absorb the wind and solar their province curtails
        (:mod:`siting.scenario.grid`), as a share of it they contract, at
        ``curtailed_energy_price_cny_per_kwh``.
    curtailed_energy_price_cny_per_kwh : float
        Price of absorbed curtailed energy [CNY/kWh].
    """

    name: str
    sites: pd.DataFrame
    demand: pd.DataFrame
    workloads: pd.DataFrame
    rtt_ms: pd.DataFrame
    distance_km: pd.DataFrame
    re_profiles: pd.DataFrame = field(repr=False)
    load_profiles: pd.DataFrame = field(repr=False)
    tou_profiles: pd.DataFrame | None = field(default=None, repr=False)
    corridor_lines: pd.DataFrame | None = field(default=None, repr=False)
    grid_provinces: pd.DataFrame | None = field(default=None, repr=False)
    resolution: str = "days"
    representative_days: int = 12
    weather_year: int | None = 0
    discount_rate: float = 0.06
    dc_capex_cny_per_mw: float = 0.0
    dc_lifetime_years: float = 20.0
    dc_fixed_om_cny_per_mw_year: float = 0.0
    solar_capex_cny_per_kw: float = 0.0
    solar_lifetime_years: float = 25.0
    solar_fixed_om_cny_per_kw_year: float = 0.0
    wind_capex_cny_per_kw: float = 0.0
    wind_lifetime_years: float = 20.0
    wind_fixed_om_cny_per_kw_year: float = 0.0
    carbon_price_cny_per_t: float = 0.0
    network_cost_cny_per_mw_km_year: float = 0.0
    latency_penalty_cny_per_mw_ms_year: float = 0.0
    green_share_min: float | None = None
    site_green_share_min: float | None = None
    west_share_min: float | None = None
    pue_caps: bool = True
    water_limits: bool = False
    water_m3_max: float | None = None
    grid_limits: bool = False
    emissions_t_max: float | None = None
    integer: bool = False
    site_fixed_cost_cny_per_year: float = 0.0
    site_min_it_mw: float = 0.0
    storage: bool = False
    battery_power_capex_cny_per_kw: float = 0.0
    battery_energy_capex_cny_per_kwh: float = 0.0
    battery_fixed_om_cny_per_kw_year: float = 0.0
    battery_fixed_om_cny_per_kwh_year: float = 0.0
    battery_lifetime_years: float = 15.0
    battery_round_trip_efficiency: float = 1.0
    battery_duration_min_h: float | None = None
    battery_duration_max_h: float | None = None
    tou_tariffs: bool = False
    green_matching: str = "hourly"
    green_certificate_cny_per_mwh: float = 0.0
    corridors: bool = False
    curtailment: bool = False
    curtailed_energy_price_cny_per_kwh: float = 0.0

    def __post_init__(self) -> None:
        for name, value in check_tables(self).items():
            object.__setattr__(self, name, value)
        for name, value in check_parameters(self).items():
            object.__setattr__(self, name, value)

    # ------------------------------------------------------------- derived
    @property
    def parameters(self) -> dict[str, Any]:
        """Scalar parameters as a dict (everything but the tables)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in TABLES}

    @property
    def site_pue(self) -> pd.Series:
        """PUE each site operates at [-]: its ``pue``, capped by ``pue_max``
        when :attr:`pue_caps` is on."""
        pue = self.sites["pue"]
        if self.pue_caps:
            pue = pue.where(self.sites["pue_max"].isna(), np.minimum(pue, self.sites["pue_max"]))
        return pue

    def annualised_cost(self) -> dict[str, float]:
        """Annual cost of one unit of capacity [CNY/MW/yr] for ``dc``, ``solar``, ``wind``,
        ``battery_power`` [CNY/MW/yr] and ``battery_energy`` [CNY/MWh/yr]."""
        r = self.discount_rate
        battery = _annuity(r, self.battery_lifetime_years)
        return {
            "battery_power": 1000.0 * (self.battery_power_capex_cny_per_kw * battery
                                       + self.battery_fixed_om_cny_per_kw_year),
            "battery_energy": 1000.0 * (self.battery_energy_capex_cny_per_kwh * battery
                                        + self.battery_fixed_om_cny_per_kwh_year),
            "dc": self.dc_capex_cny_per_mw * _annuity(r, self.dc_lifetime_years) + self.dc_fixed_om_cny_per_mw_year,
            "solar": 1000.0
            * (self.solar_capex_cny_per_kw * _annuity(r, self.solar_lifetime_years) + self.solar_fixed_om_cny_per_kw_year),
            "wind": 1000.0
            * (self.wind_capex_cny_per_kw * _annuity(r, self.wind_lifetime_years) + self.wind_fixed_om_cny_per_kw_year),
        }

    @property
    def total_demand_mw(self) -> float:
        """Total IT demand [MW]."""
        return float(self.demand["it_mw"].sum())

    def __repr__(self) -> str:
        return (
            f"Scenario({self.name!r}: {len(self.sites)} sites, {self.demand['origin'].nunique()} origins, "
            f"{len(self.workloads)} classes, {self.total_demand_mw:,.0f} MW IT, resolution={self.resolution!r})"
        )

    def equals(self, other: Scenario, rtol: float = 1e-9) -> bool:
        """True if both scenarios have the same tables and parameters.

        Parameters
        ----------
        other : Scenario
        rtol : float
            Relative tolerance on numeric table columns [-].

        Returns
        -------
        bool
        """
        if not isinstance(other, Scenario) or self.parameters != other.parameters:
            return False
        for name in TABLES:
            a, b = getattr(self, name), getattr(other, name)
            if a is None or b is None:
                if a is not b:
                    return False
                continue
            if a.shape != b.shape or not a.index.equals(b.index) or not a.columns.equals(b.columns):
                return False
            for col in a.columns:
                x, y = a[col], b[col]
                if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
                    if not np.allclose(x.to_numpy(float), y.to_numpy(float), rtol=rtol, atol=0, equal_nan=True):
                        return False
                elif not x.astype(str).equals(y.astype(str)):
                    return False
        return True

    # ------------------------------------------- changes, builders and files
    # Functions of siting.scenario.changes, .builders, .presets and .io bound
    # as methods: their signatures and docstrings are the methods' own.
    replace = replace
    from_data = classmethod(from_data)
    preset = classmethod(preset)
    to_yaml = to_yaml
    from_yaml = classmethod(from_yaml)
