"""Schemas of the bundled tables: one :class:`Column` per column, with its unit."""

from __future__ import annotations

from siting.datasets.validation import Column

__all__ = ["PROVINCE_COLUMNS", "SITE_COLUMNS", "PARAMETER_COLUMNS", "REGIONS", "ROLES", "KINDS", "TECHNOLOGIES"]

REGIONS = ("east", "central", "west", "northeast")
ROLES = ("east", "west")
KINDS = ("cluster", "capital", "custom")
TECHNOLOGIES = ("solar", "wind")

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
