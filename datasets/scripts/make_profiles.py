"""Build ``datasets/profiles.csv.gz``: MODELLED hourly solar and wind capacity factors.

Build-time tool (needs pvlib); the library never runs it::

    /work/venv/bin/python datasets/scripts/make_profiles.py

Inputs: ``datasets/sites.csv`` (site, province, lat, lon) and
``datasets/province_resources.csv`` (solar_cf, wind_cf per province).
Output: 8760 hourly rows for calendar year 2023 in China Standard Time
(UTC+8, no DST), index written as ``2023-01-01 00:00:00`` (hour-beginning,
no offset), columns a 2-level header ``(location, technology)`` with one
location per site and technology ``solar`` / ``wind``; values rounded to 4
decimals. Each column's annual mean equals its province's CF (to < 1e-6).

Solar (physics shape, then scaled):
  pvlib solar position (NREL SPA) at the middle of each hour; Ineichen/Perez
  clear-sky GHI/DNI/DHI with pvlib's bundled monthly Linke turbidity
  climatology and the site altitude from pvlib's bundled altitude lookup;
  plane-of-array irradiance (isotropic sky, albedo 0.2) on a fixed,
  south-facing plane tilted at the site latitude. The hour is zero whenever
  the sun is at or below the horizon at the start or the middle of the hour
  (so "sun below horizon" => exactly 0). Clear-sky only: no clouds, so the
  day-to-day variability is understated; the annual energy is set by the
  scaling below, not by the clear-sky physics.

Wind (documented shape, ESTIMATE, then scaled):
  shape = seasonal(doy) x diurnal(hour) x synoptic(t)
  * seasonal: 1 + A cos(2 pi (doy - peak) / 365) with a regime per province
    (north/northwest/northeast/east: spring peak, day 95, A = 0.25;
    southwest dry-season regime (Yunnan, Guizhou, Sichuan, Chongqing, Tibet,
    Guangxi): peak day 60, A = 0.45; south-east coast NE-monsoon regime
    (Fujian, Guangdong, Hainan, Zhejiang, Shanghai): peak day 350, A = 0.25).
    Consistent with NEA quarterly statistics showing high Q1/H1 hours in
    Yunnan and Sichuan and the spring-high, summer-low pattern of the north.
  * diurnal: 1 + 0.15 cos(2 pi (h - h_peak) / 24), h_peak = 1 (night maximum
    at hub height in the north) or 15 (afternoon maximum, southwest regime).
  * synoptic: exp(0.45 z - 0.45^2/2), z an AR(1) process with a 2-day
    decorrelation time and unit variance, from numpy's default_rng seeded
    with 2023 + crc32(province) (sites in one province share the weather).
  Deterministic: same inputs => identical file.

Scaling: for each column find k with mean(min(k * shape, 1)) = CF
(bisection), round to 4 decimals, then move single 1e-4 steps on the
largest unclipped (solar: daylight) hours until the rounded mean matches
the CF as closely as the 4-decimal grid allows.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

YEAR = 2023
TZ = "Asia/Shanghai"
DATA = Path(__file__).resolve().parents[1]

SOUTHWEST = {"Yunnan", "Guizhou", "Sichuan", "Chongqing", "Tibet", "Guangxi"}
SE_COAST = {"Fujian", "Guangdong", "Hainan", "Zhejiang", "Shanghai"}


def hours() -> pd.DatetimeIndex:
    return pd.date_range(f"{YEAR}-01-01 00:00", f"{YEAR}-12-31 23:00", freq="h", tz=TZ)


def solar_shape(lat: float, lon: float, idx: pd.DatetimeIndex) -> np.ndarray:
    """Clear-sky plane-of-array irradiance [W/m2] for hour-beginning index ``idx``."""
    alt = float(pvlib.location.lookup_altitude(lat, lon))
    loc = pvlib.location.Location(lat, lon, tz=TZ, altitude=alt)
    mid = idx + pd.Timedelta(minutes=30)
    sp_mid = loc.get_solarposition(mid)
    sp_start = loc.get_solarposition(idx)
    cs = loc.get_clearsky(mid, model="ineichen", solar_position=sp_mid)
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=abs(lat),
        surface_azimuth=180.0,
        solar_zenith=sp_mid["apparent_zenith"],
        solar_azimuth=sp_mid["azimuth"],
        dni=cs["dni"],
        ghi=cs["ghi"],
        dhi=cs["dhi"],
        albedo=0.2,
        model="isotropic",
    )["poa_global"].to_numpy()
    poa = np.nan_to_num(poa, nan=0.0).clip(min=0.0)
    up = (sp_mid["apparent_elevation"].to_numpy() > 0) & (sp_start["apparent_elevation"].to_numpy() > 0)
    return np.where(up, poa, 0.0)


def wind_shape(province: str, idx: pd.DatetimeIndex) -> np.ndarray:
    doy = idx.day_of_year.to_numpy()
    hr = idx.hour.to_numpy()
    if province in SOUTHWEST:
        peak, amp, h_peak = 60, 0.45, 15
    elif province in SE_COAST:
        peak, amp, h_peak = 350, 0.25, 1
    else:
        peak, amp, h_peak = 95, 0.25, 1
    season = 1 + amp * np.cos(2 * np.pi * (doy - peak) / 365)
    diurnal = 1 + 0.15 * np.cos(2 * np.pi * (hr - h_peak) / 24)
    rng = np.random.default_rng(YEAR + zlib.crc32(province.encode()))
    phi = np.exp(-1 / 48)  # 2-day decorrelation, hourly steps
    eps = rng.standard_normal(len(idx) + 500)
    z = np.empty_like(eps)
    z[0] = eps[0]
    for i in range(1, len(eps)):
        z[i] = phi * z[i - 1] + np.sqrt(1 - phi**2) * eps[i]
    z = z[500:]  # spin-up
    sigma = 0.45
    synoptic = np.exp(sigma * z - sigma**2 / 2)
    return season * diurnal * synoptic


def scale_to_mean(shape: np.ndarray, cf: float, decimals: int = 4) -> np.ndarray:
    """Scale ``shape`` so that mean(clip(k*shape, 0, 1)) == cf, on a 10**-decimals grid."""
    if cf <= 0:
        return np.zeros_like(shape)
    if shape.max() <= 0:
        raise ValueError("shape is all zero")
    if (shape > 0).mean() < cf:
        raise ValueError(f"CF {cf} not reachable: only {(shape > 0).mean():.3f} of hours are non-zero")
    lo, hi = 0.0, 1.0 / shape[shape > 0].min() * 2
    for _ in range(200):
        k = (lo + hi) / 2
        m = np.minimum(k * shape, 1.0).mean()
        if m < cf:
            lo = k
        else:
            hi = k
    out = np.round(np.minimum(hi * shape, 1.0), decimals)
    step = 10.0**-decimals
    # integer number of grid steps the rounded column is off by
    n = int(round((cf * len(out) - out.sum()) / step))
    if n:
        free = (out > 0) & (out < 1 - step) if n > 0 else (out > step)
        order = np.argsort(-np.where(free, out, -np.inf))[: abs(n)]
        out[order] += np.sign(n) * step
        out = np.round(out, decimals)
    assert out.min() >= 0 and out.max() <= 1
    return out


def build(sites_csv: Path, resources_csv: Path) -> pd.DataFrame:
    sites = pd.read_csv(sites_csv, comment="#")
    res = pd.read_csv(resources_csv, comment="#").set_index("province")
    idx = hours()
    cols, data = [], []
    wind_cache: dict[str, np.ndarray] = {}
    for _, s in sites.iterrows():
        p = s["province"]
        if p not in res.index:
            raise SystemExit(f"site {s['site']!r}: province {p!r} not in {resources_csv.name}")
        sol = scale_to_mean(solar_shape(float(s["lat"]), float(s["lon"]), idx), float(res.at[p, "solar_cf"]))
        if p not in wind_cache:
            wind_cache[p] = wind_shape(p, idx)
        win = scale_to_mean(wind_cache[p], float(res.at[p, "wind_cf"]))
        cols += [(s["site"], "solar"), (s["site"], "wind")]
        data += [sol, win]
    df = pd.DataFrame(
        np.column_stack(data),
        index=pd.Index(idx.tz_localize(None).strftime("%Y-%m-%d %H:%M:%S"), name="time"),
        columns=pd.MultiIndex.from_tuples(cols, names=["location", "technology"]),
    )
    return df


def main(argv: list[str] | None = None) -> int:
    out = DATA / "profiles.csv.gz"
    df = build(DATA / "sites.csv", DATA / "province_resources.csv")
    df.to_csv(out, float_format="%.4f", compression={"method": "gzip", "compresslevel": 9, "mtime": 0})
    print(f"wrote {out}: {df.shape}, {out.stat().st_size / 1024:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
