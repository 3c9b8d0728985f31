"""Build ``datasets/weather_solar_clearness.csv`` from MERRA-2 daily-irradiance PDFs.

Build-time tool; the library only reads the CSV it writes::

    pip install gsee-climate-data==1.0.0
    /work/venv/bin/python datasets/scripts/make_weather_solar_clearness.py

Input: the PyPI package ``gsee-climate-data`` 1.0.0 (code BSD-3-Clause; data
derived from NASA MERRA-2, US-Government work, no restriction on use or
redistribution, citation requested). Its file
``merra2_rad3x3_2011-2015_pdfs_land_prox.npz`` holds, for every 3 x 3 degree
land or near-land cell and calendar month, a 128-bin probability density of
the *daily mean* global horizontal irradiance (GHI) over 2011-2015
(``xk`` bin centres [W/m2], ``pk`` un-normalised probabilities). The PDFs are
kernel-smoothed, so up to ~1 % of the mass sits at negative GHI; it is
clipped to 0 here.

Output, one row per (cell, month) for the cells whose centre lies within
2.5 degrees of mainland China (``datasets/boundaries.geojson``):

- ``lat``, ``lon`` [deg]: cell centre; ``month`` 1..12;
- ``ghi_mean_w_m2`` [W/m2]: mean daily-mean GHI of the PDF;
- ``ghi_cv`` [-]: coefficient of variation of daily GHI (std / mean);
- ``q005`` ... ``q995`` [-]: quantiles of daily GHI divided by
  ``ghi_mean_w_m2``; the digits are the probability in per mille
  (0.005, 0.02, 0.05, 0.1, 0.2, ..., 0.9, 0.95, 0.98, 0.995).

With linear interpolation between these 15 quantiles, a sampled daily series
reproduces the PDF's mean to < 0.5 % and its CV to within -2 %/+4 %
(checked over all cells of the output).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import gsee_climate_data
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

DATA = Path(__file__).resolve().parents[1]
OUT = DATA / "weather_solar_clearness.csv"
PROBS = (0.005, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.995)
MARGIN_DEG = 2.5

HEADER = """\
# weather_solar_clearness.csv: monthly distributions of daily mean global horizontal irradiance (GHI)
# on MERRA-2's 3x3 degree grid, 2011-2015, for the cells within 2.5 degrees of mainland China.
# Source: PyPI package gsee-climate-data 1.0.0, file merra2_rad3x3_2011-2015_pdfs_land_prox.npz
#   (https://github.com/renewables-ninja/gsee). Package code: BSD-3-Clause (c) Stefan Pfenninger.
#   Data: derived from NASA MERRA-2 (GMAO, distributed by GES DISC), a US-Government work under NASA's
#   full and open data policy: no restriction on use or redistribution; citation requested:
#   Gelaro et al. (2017) J. Climate 30, 5419-5454, https://doi.org/10.1175/JCLI-D-16-0758.1 ;
#   Pfenninger & Staffell (2016) Energy 114, 1251-1265, https://doi.org/10.1016/j.energy.2016.08.060 .
# Built by datasets/scripts/make_weather_solar_clearness.py. Columns: lat, lon [deg] cell centre;
# month 1..12; ghi_mean_w_m2 [W/m2]; ghi_cv [-] std/mean of daily GHI; qNNN [-] quantile of daily GHI
# at probability NNN per mille, divided by ghi_mean_w_m2.
"""


def china_outline() -> shapely.Geometry:
    """Union of the mainland provinces in ``datasets/boundaries.geojson``."""
    features = json.loads((DATA / "boundaries.geojson").read_text())["features"]
    return shapely.union_all([shape(f["geometry"]) for f in features])


def build() -> pd.DataFrame:
    """One row per (cell, month); see the module docstring for the columns."""
    npz = gsee_climate_data.load()
    lat, lon = npz["lat"], npz["lon"]
    xk = np.clip(npz["xk"].astype(float), 0.0, None)
    pk = npz["pk"].astype(float)
    outline = china_outline()
    rows = []
    for i, la in enumerate(lat):
        for j, lo in enumerate(lon):
            if shapely.distance(outline, shapely.Point(lo, la)) > MARGIN_DEG:
                continue
            p = pk[i, j]
            if not np.isfinite(p).all() or (p.sum(axis=-1) <= 0).any():
                continue
            p = p / p.sum(axis=-1, keepdims=True)
            x = xk[i, j]
            mean = (p * x).sum(axis=-1)
            cv = np.sqrt((p * (x - mean[:, None]) ** 2).sum(axis=-1)) / mean
            cdf = np.cumsum(p, axis=-1) - p / 2
            for m in range(12):
                q = np.interp(PROBS, cdf[m], x[m]) / mean[m]
                rows.append([la, lo, m + 1, mean[m], cv[m], *q])
    cols = ["lat", "lon", "month", "ghi_mean_w_m2", "ghi_cv"] + [f"q{round(p * 1000):03d}" for p in PROBS]
    return pd.DataFrame(rows, columns=cols)


def main() -> int:
    df = build()
    body = df.to_csv(index=False, float_format="%.4g")
    OUT.write_text(HEADER + body)
    print(f"wrote {OUT}: {len(df)} rows, {df[['lat', 'lon']].drop_duplicates().shape[0]} cells, "
          f"{OUT.stat().st_size / 1024:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
