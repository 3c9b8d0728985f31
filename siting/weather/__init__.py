"""Synthetic weather: hourly solar and wind capacity factors for any location in mainland China.

The series are **synthetic weather, not measurements**. They are generated
from physics and published statistics, then scaled so that each location's
annual mean equals its (sourced) capacity factor:

- solar (:mod:`siting.weather.solar`): pvlib clear-sky irradiance times a
  stochastic daily clearness whose distribution per location and month is
  MERRA-2's (2011-2015, from ``datasets/weather_solar_clearness.csv``),
  persistent across days, spatially correlated, with intra-day variability;
  PV output of a fixed-tilt reference system through pvlib;
- wind (:mod:`siting.weather.wind`): a latent spatio-temporal Gaussian field
  (synoptic + mesoscale), seasonal and diurnal cycles, Weibull marginals and
  the GE 2.5-120 power curve;
- the fields (:mod:`siting.weather.field`) are random-Fourier-feature
  Gaussian fields, so a location's series depends only on its coordinates
  and the (seed, weather year), never on the other locations;
- calibration targets, their sources and the achieved statistics:
  :mod:`siting.weather.calibration`.

Public API: :func:`profiles`, :data:`WEATHER_YEARS`; also :func:`irradiance`
(the GHI behind the solar series, a diagnostic), :func:`hours` (the index)
and :data:`DEFAULT_SEED`.
"""

from siting.weather.generator import DEFAULT_SEED, WEATHER_YEARS, hours, irradiance, profiles

__all__ = ["DEFAULT_SEED", "WEATHER_YEARS", "hours", "irradiance", "profiles"]
