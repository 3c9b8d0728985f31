"""AI energy demand: workloads to MW, facility overhead, growth, and where.

- :mod:`siting.demand.workloads`: accelerator catalogue; inference, training
  and fleets to IT power [MW] and energy [MWh].
- :mod:`siting.demand.facility`: facility overhead, PUE from cooling and
  climate [-], water use [L/kWh, m3].
- :mod:`siting.demand.national`: national trajectories [TWh/yr], split over
  provinces and workload classes [MW], hourly class profiles.

Every public name is also available here, e.g. ``siting.demand.Fleet``.
"""

from __future__ import annotations

from siting.demand.facility import (
    ANNUAL_AMPLITUDE_C,
    COOLING_TECHNOLOGIES,
    cooling_share,
    cooling_technologies,
    facility_power,
    free_cooling_fraction,
    free_cooling_hours,
    pue_from_climate,
    pue_from_cooling_share,
    water_m3,
    wue,
    wue_from_climate,
)
from siting.demand.national import (
    CLASS_COLUMNS,
    NATIONAL_PUE,
    TRAJECTORY_COLUMNS,
    USERS_HOURLY_SHAPE,
    class_profiles,
    it_mw_from_twh,
    national_demand_twh,
    provincial_demand,
    spatial_split,
    trajectories,
    workload_classes,
)
from siting.demand.workloads import (
    ACCELERATOR_COLUMNS,
    US_HOUSEHOLD_KWH_PER_DAY,
    US_HOUSEHOLD_KWH_PER_YEAR,
    Fleet,
    Inference,
    Training,
    accelerator_power_w,
    accelerators,
)

__all__ = [
    "ACCELERATOR_COLUMNS",
    "TRAJECTORY_COLUMNS",
    "CLASS_COLUMNS",
    "COOLING_TECHNOLOGIES",
    "ANNUAL_AMPLITUDE_C",
    "US_HOUSEHOLD_KWH_PER_YEAR",
    "US_HOUSEHOLD_KWH_PER_DAY",
    "NATIONAL_PUE",
    "USERS_HOURLY_SHAPE",
    "accelerators",
    "accelerator_power_w",
    "Inference",
    "Training",
    "Fleet",
    "facility_power",
    "cooling_share",
    "pue_from_cooling_share",
    "free_cooling_hours",
    "free_cooling_fraction",
    "cooling_technologies",
    "pue_from_climate",
    "wue",
    "wue_from_climate",
    "water_m3",
    "trajectories",
    "national_demand_twh",
    "it_mw_from_twh",
    "workload_classes",
    "spatial_split",
    "class_profiles",
    "provincial_demand",
]
