"""Schemas of the bundled tables: one :class:`Column` per column, with its unit."""

from __future__ import annotations

from siting.datasets.validation import Column

__all__ = [
    "CORRIDOR_COLUMNS",
    "CURTAILMENT_COLUMNS",
    "KINDS",
    "MULTIPLIER_BASES",
    "PARAMETER_COLUMNS",
    "PROVINCE_COLUMNS",
    "REGIONS",
    "ROLES",
    "SITE_COLUMNS",
    "TECHNOLOGIES",
    "TOU_COLUMNS",
    "TOU_PERIODS",
]

REGIONS = ("east", "central", "west", "northeast")
ROLES = ("east", "west")
KINDS = ("cluster", "capital", "custom")
TECHNOLOGIES = ("solar", "wind")
#: What part of the price a time-of-use multiplier applies to (see :func:`siting.tariffs.hourly_prices`).
MULTIPLIER_BASES = ("energy_only", "energy_plus_td", "energy_plus_capacity_charges", "full_price", "unknown")
#: The time-of-use periods, each with an ``<period>_hours`` and a ``<period>_mult`` column.
TOU_PERIODS = ("critical", "peak", "flat", "valley", "deep_valley")

#: Schema of :func:`provinces` (after merging ``provinces.csv`` with
#: ``province_resources.csv``).
PROVINCE_COLUMNS: tuple[Column, ...] = (
    Column("name_zh", "str", description="Chinese name"),
    Column("adcode", "int", min=110000, max=659999, description="GB/T 2260 division code"),
    Column("region", "str", choices=REGIONS, description="NBS four-region division"),
    Column("capital", "str", description="capital city (English)"),
    Column("lat", "float", min=-90, max=90, description="capital latitude [deg N]"),
    Column("lon", "float", min=-180, max=180, description="capital longitude [deg E]"),
    Column("population_million", "float", min=0, description="resident population [million]"),
    Column("gdp_billion_cny", "float", min=0, description="gross regional product [billion CNY]"),
    Column(
        "electricity_price_cny_per_kwh",
        "float",
        min=0,
        description="price a large data center pays for grid electricity [CNY/kWh]",
    ),
    Column("grid_ef_t_co2_per_mwh", "float", min=0, max=2, description="grid emission factor [tCO2/MWh]"),
    Column("renewable_share", "float", min=0, max=1, description="measured non-fossil share of generation [0..1]"),
    Column(
        "grid_renewable_share",
        "float",
        min=0,
        max=1,
        description="non-fossil share of grid power consumed, implied by the emission factor [0..1]",
    ),
    Column("solar_cf", "float", min=0, max=1, description="annual solar PV capacity factor [0..1]"),
    Column("wind_cf", "float", min=0, max=1, description="annual wind capacity factor [0..1]"),
    Column("mean_temp_c", "float", min=-30, max=40, description="annual mean air temperature [C]"),
    Column("water_stress", "float", min=0, max=5, description="baseline water stress score [0..5]"),
    Column("land_area_km2", "float", min=0, description="land area [km2]"),
    # the parts of electricity_price_cny_per_kwh (optional: used by siting.tariffs to float the energy part)
    Column("coal_benchmark_cny_per_kwh", "float", min=0, required=False,
           description="coal-fired benchmark on-grid price, the energy part of the price [CNY/kWh]"),
    Column("grid_loss_cny_per_kwh", "float", min=0, required=False,
           description="on-grid line-loss charge, part of the energy price [CNY/kWh]"),
    Column("td_energy_charge_cny_per_kwh", "float", min=0, required=False,
           description="T&D energy charge, 1-10(20) kV two-part [CNY/kWh]"),
    Column("government_funds_cny_per_kwh", "float", min=0, nan_ok=True, required=False,
           description="government funds and surcharges; empty where not itemised (Tibet) [CNY/kWh]"),
    Column("solar_installed_mw", "float", min=0, required=False, description="installed solar PV, 2024 [MW]"),
    Column("wind_installed_mw", "float", min=0, required=False, description="installed wind, 2024 [MW]"),
    Column("solar_curtailment_share", "float", min=0, max=1, required=False,
           description="share of solar output curtailed, 2024 [0..1]"),
    Column("wind_curtailment_share", "float", min=0, max=1, required=False,
           description="share of wind output curtailed, 2024 [0..1]"),
)

#: Schema of :func:`sites`.
SITE_COLUMNS: tuple[Column, ...] = (
    Column("name_zh", "str", required=False, nan_ok=True, description="Chinese name"),
    Column("province", "str", description="province (English name, as in provinces())"),
    Column("lat", "float", min=-90, max=90, description="latitude [deg N]"),
    Column("lon", "float", min=-180, max=180, description="longitude [deg E]"),
    Column("kind", "str", choices=KINDS, required=False,
           description="national cluster, provincial capital or the user's own (default custom)"),
    Column("hub", "str", nan_ok=True, required=False, description="national hub node, empty if none (default)"),
    Column("role", "str", choices=ROLES, required=False,
           description="east (demand-side) or west (resource-side); default by the province's hub or region"),
    Column("pue_max", "float", min=1, max=3, nan_ok=True, required=False,
           description="policy PUE cap, empty if none (default)"),
    Column("it_capacity_max_mw", "float", min=0, description="buildable IT capacity [MW]"),
)

#: Schema of :func:`parameters`.
PARAMETER_COLUMNS: tuple[Column, ...] = (
    Column("value", "float", description="the value, in ``unit``"),
    Column("unit", "str", description="unit of ``value``"),
    Column("year", "str", description="year the value refers to"),
    Column("status", "str", choices=("sourced", "derived", "estimate"), description="provenance"),
    Column("source", "str", description="where the value comes from"),
)

_HOURS = "hours [start, end) in local decimal hours, ';'-separated (e.g. '7-8;9-11.5'); empty if none"

#: Schema of :func:`siting.datasets.tou` (one row per province, grid, season and day type).
TOU_COLUMNS: tuple[Column, ...] = (
    Column("province", "str", description="province as in provinces(), or 'national' for the fallback row"),
    Column("province_zh", "str", required=False, nan_ok=True, description="Chinese name"),
    Column("grid", "str", required=False, nan_ok=True,
           description="grid inside the province (e.g. 蒙西, 冀北); empty = the whole province"),
    Column("province_default", "bool", required=False,
           description="whether the row's grid is the one used for the province as a whole (default true)"),
    Column("season", "str", required=False, nan_ok=True, description="season label"),
    Column("months", "str", description="months the row applies to, e.g. '7,8,9'"),
    Column("day_type", "str", description="'all', or a holiday / rest-day override (its hours only)"),
    *(Column(f"{p}_hours", "str", nan_ok=True, description=f"{p} {_HOURS}") for p in TOU_PERIODS),
    *(Column(f"{p}_mult", "float", min=0, nan_ok=True, required=p != "flat",
             description=f"{p} price / flat price [-]" + (" (default 1)" if p == "flat" else ""))
      for p in TOU_PERIODS),
    Column("multiplier_base", "str", choices=MULTIPLIER_BASES, description="what part of the price floats"),
    Column("policy_doc", "str", required=False, nan_ok=True, description="provincial notice"),
    Column("year", "int", min=2000, max=2100, description="year of the notice"),
    Column("status", "str", description="provenance (sourced / sourced (secondary) / derived / estimate)"),
)

#: Schema of :func:`siting.datasets.corridors`.
CORRIDOR_COLUMNS: tuple[Column, ...] = (
    Column("corridor_zh", "str", required=False, nan_ok=True, description="Chinese name"),
    Column("sending_province", "str", description="province at the sending end (as in provinces())"),
    Column("receiving_province", "str", description="province at the receiving end (as in provinces())"),
    Column("voltage_kv", "float", min=0, required=False, description="pole voltage, DC lines +-kV [kV]"),
    Column("capacity_mw", "float", min=0, description="rated transfer capacity [MW]"),
    Column("length_km", "float", min=0, nan_ok=True, required=False, description="line length [km]"),
    Column("loss_share", "float", min=0, max=1, description="approved line-loss rate [0..1]"),
    Column("tariff_cny_per_kwh", "float", min=0, description="transmission tariff [CNY/kWh]"),
    Column("tariff_includes_loss", "bool", description="whether the tariff already includes the line loss"),
    Column("commissioning_year", "float", min=1950, max=2100, nan_ok=True, required=False,
           description="year of commissioning; empty if unknown"),
    Column("usable_share", "float", min=0, max=1,
           description="share of the capacity usable by new wind/solar contracts [0..1]"),
)

#: Schema of :func:`siting.datasets.curtailment` (one row per province, year and technology).
CURTAILMENT_COLUMNS: tuple[Column, ...] = (
    Column("province", "str", description="province as in provinces(), or 'national'"),
    Column("year", "int", min=2000, max=2100, description="calendar year"),
    Column("technology", "str", choices=TECHNOLOGIES, description="solar or wind"),
    Column("installed_mw", "float", min=0, description="installed capacity at the end of the year [MW]"),
    Column("curtailment_share", "float", min=0, max=1, description="share of the output curtailed [0..1]"),
    Column("curtailment_status", "str", required=False, description="provenance of curtailment_share"),
)
