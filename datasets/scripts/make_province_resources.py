"""Build ``datasets/province_resources.csv`` (build-time tool; the library never runs it).

Every input number is typed in below with the document it was read from, so
the table can be re-derived and audited::

    /work/venv/bin/python datasets/scripts/make_province_resources.py

Source of the capacity factors: the China Electricity Council's (中电联, CEC)
monthly power-industry statistics of plants of 6 MW and above, provincial
"average utilization hours of power generation equipment" (发电设备平均利用
小时, year-to-date), as exported from the Wind Economic Database into the public
GitHub repository energyandcleanair/china_co2 (CREA),
``inst/csv/wind_solar_utilization_capacity_by_province.csv`` (file version
f0a314a of 2025-01-25, read at repository commit 4043449). The export is a
transcription (secondary); it reproduces the published figures wherever they
could be compared (checks below and in ``SOURCES.md``). ``CF = hours / 8760``.

Wind (``wind_cf``): full-year 2023 hours (the Dec-2023 YTD value) for all 31
provinces, ``sourced (secondary)``. Check: weighting the provincial hours by
the mean of the Dec-2022 and Dec-2023 capacities gives 2223 h against the
national 2225 h of the same statistics (asserted in :func:`build`).

Solar (``solar_cf``): the export has no December values for 2021-2023, so the
newest full-year provincial solar hours in it are those of 2020. 2023 is
derived instead: the Jan-Nov 2023 provincial hours (sourced, secondary) times
the national ratio full year / Jan-Nov of 2023 (1286 / 1218, same statistics),
i.e. each province is assumed to have the national December share. Back-test
on the two years with full-year provincial values (2019, 2020): mean absolute
error 1.6 % / 1.3 %, largest 4.7 % (Inner Mongolia 2019) / 5.4 % (Guizhou 2020).

Both are *fleet* hours: net of curtailment, of the whole fleet in service
(generation / average capacity of the year), plants >= 6 MW only. No
correction for curtailment is applied (see ``SOURCES.md``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

HOURS = 8760

SRC_EXPORT = (
    "CEC monthly statistics of plants >= 6 MW (中电联 电力工业统计), Wind Economic Database series "
    "'China: <province>: Average Utilization Hours of Power Generation Equipment: Wind Power: YTD' / "
    "'... Average Utilization Hours: Solar Power Generation: YTD' / 'Power Generating Capacity of 6000 kilowatts "
    "and Above Power Plants: Wind Power', as exported in GitHub energyandcleanair/china_co2 "
    "inst/csv/wind_solar_utilization_capacity_by_province.csv (version f0a314a, 2025-01-25)"
)
SRC_NATIONAL = (
    "national series 'China: Power Equipment Average Utilization of Solar Energy: YTD' (2023: Jan-Nov 1218 h, "
    "full year 1286 h) and '... Wind Power: YTD' (2023: 2225 h), GitHub energyandcleanair/china_co2 "
    "inst/csv/generation-consumption-utilization-capacity.csv (Wind export of the same CEC statistics)"
)

#: full-year 2023 wind utilization hours (Dec-2023 YTD), plants >= 6 MW (sourced, secondary)
WIND_2023 = {
    "Beijing": 1464, "Tianjin": 2089, "Hebei": 2243, "Shanxi": 2270, "Inner Mongolia": 2277,
    "Liaoning": 2512, "Jilin": 2364, "Heilongjiang": 2538, "Shanghai": 2249, "Jiangsu": 2364,
    "Zhejiang": 2331, "Anhui": 2139, "Fujian": 2880, "Jiangxi": 2237, "Shandong": 2188,
    "Henan": 2040, "Hubei": 2074, "Hunan": 2271, "Guangdong": 2184, "Guangxi": 2337, "Hainan": 1653,
    "Chongqing": 2109, "Sichuan": 2564, "Guizhou": 2069, "Yunnan": 2352, "Tibet": 3472,
    "Shaanxi": 1858, "Gansu": 2023, "Qinghai": 1619, "Ningxia": 2015, "Xinjiang": 2197,
}
WIND_2023_NATIONAL = 2225
#: wind capacity of plants >= 6 MW [10 MW = 万千瓦] at Dec 2022 and Dec 2023 (sourced, secondary)
WIND_CAP_2022_12 = {
    "Beijing": 24, "Tianjin": 145, "Hebei": 2797, "Shanxi": 2318, "Inner Mongolia": 4548,
    "Liaoning": 1173, "Jilin": 1143, "Heilongjiang": 943, "Shanghai": 107, "Jiangsu": 2254,
    "Zhejiang": 423, "Anhui": 590, "Fujian": 742, "Jiangxi": 555, "Shandong": 2302, "Henan": 1903,
    "Hubei": 778, "Hunan": 900, "Guangdong": 1357, "Guangxi": 946, "Hainan": 29, "Chongqing": 182,
    "Sichuan": 598, "Guizhou": 592, "Yunnan": 912, "Tibet": 3, "Shaanxi": 1164, "Gansu": 2073,
    "Qinghai": 972, "Ningxia": 1457, "Xinjiang": 2614,
}
WIND_CAP_2023_12 = {
    "Beijing": 24, "Tianjin": 171, "Hebei": 3141, "Shanxi": 2500, "Inner Mongolia": 6961,
    "Liaoning": 1429, "Jilin": 1268, "Heilongjiang": 1127, "Shanghai": 107, "Jiangsu": 2286,
    "Zhejiang": 584, "Anhui": 722, "Fujian": 762, "Jiangxi": 573, "Shandong": 2591, "Henan": 2178,
    "Hubei": 836, "Hunan": 972, "Guangdong": 1657, "Guangxi": 1267, "Hainan": 31, "Chongqing": 206,
    "Sichuan": 770, "Guizhou": 616, "Yunnan": 1531, "Tibet": 18, "Shaanxi": 1285, "Gansu": 2614,
    "Qinghai": 1185, "Ningxia": 1464, "Xinjiang": 3258,
}
#: Jan-Nov 2023 solar utilization hours (Nov-2023 YTD) (sourced, secondary)
SOLAR_2023_JAN_NOV = {
    "Beijing": 1199, "Tianjin": 1254, "Hebei": 1291, "Shanxi": 1318, "Inner Mongolia": 1428,
    "Liaoning": 1446, "Jilin": 1484, "Heilongjiang": 1516, "Shanghai": 1068, "Jiangsu": 1154,
    "Zhejiang": 1075, "Anhui": 1090, "Fujian": 942, "Jiangxi": 991, "Shandong": 1237, "Henan": 896,
    "Hubei": 1154, "Hunan": 1053, "Guangdong": 913, "Guangxi": 1090, "Hainan": 1180,
    "Chongqing": 750, "Sichuan": 1489, "Guizhou": 1053, "Yunnan": 1165, "Tibet": 1136,
    "Shaanxi": 1118, "Gansu": 1360, "Qinghai": 1337, "Ningxia": 1385, "Xinjiang": 1175,
}
#: national solar hours 2023, Jan-Nov and full year (sourced, secondary)
SOLAR_2023_NATIONAL_JAN_NOV = 1218
SOLAR_2023_NATIONAL = 1286
#: caveats printed in the source cell of a row
CAVEAT = {
    "Tibet": (
        "CAUTION: very small fleet (30 MW at Dec 2022, 80 MW at Nov 2023, 180 MW at Dec 2023), hours volatile "
        "(2021 1545 h, 2022 3044 h, Jan-Nov 2024 1558 h); treat as uncertain"
    ),
    "Beijing": "small fleet (240 MW)",
    "Hainan": "small fleet (~300 MW)",
}
PROVINCES = list(WIND_2023)


def land_area_km2() -> dict[str, float]:
    """Province land area from the bundled boundaries, in an equal-area projection.

    Albers equal-area conic for China (standard parallels 25 N and 47 N,
    central meridian 105 E) on ``boundaries.geojson`` (Natural Earth).
    """
    import geopandas as gpd

    gdf = gpd.read_file(Path(__file__).resolve().parents[1] / "boundaries.geojson")
    area = gdf.to_crs("+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +datum=WGS84").area / 1e6
    return dict(zip(gdf["province"], area.round(0)))


def build() -> pd.DataFrame:
    # the provincial wind hours reproduce the national figure of the same statistics
    weight = {p: (WIND_CAP_2022_12[p] + WIND_CAP_2023_12[p]) / 2 for p in PROVINCES}
    national = sum(WIND_2023[p] * weight[p] for p in PROVINCES) / sum(weight.values())
    assert abs(national / WIND_2023_NATIONAL - 1) < 0.005, national

    areas = land_area_km2()
    ratio = SOLAR_2023_NATIONAL / SOLAR_2023_NATIONAL_JAN_NOV
    rows = []
    for p in PROVINCES:
        caveat = f"; {CAVEAT[p]}" if p in CAVEAT else ""
        wind_h = WIND_2023[p]
        solar_h = round(SOLAR_2023_JAN_NOV[p] * ratio)
        rows.append(
            {
                "province": p,
                "solar_cf": round(solar_h / HOURS, 4),
                "wind_cf": round(wind_h / HOURS, 4),
                "solar_utilization_hours": solar_h,
                "wind_utilization_hours": wind_h,
                "wind_installed_gw": WIND_CAP_2023_12[p] / 100,
                "land_area_km2": areas[p],
                "solar_cf_year": 2023,
                "solar_cf_status": "derived",
                "solar_cf_source": (
                    f"derived: Jan-Nov 2023 fleet hours {SOLAR_2023_JAN_NOV[p]} x national ratio full year / "
                    f"Jan-Nov 2023 ({SOLAR_2023_NATIONAL}/{SOLAR_2023_NATIONAL_JAN_NOV}) = {solar_h} h "
                    f"(assumes the national December share; back-test 2019/2020 error <= 5.4 %); "
                    f"{SRC_EXPORT}; {SRC_NATIONAL}; net of curtailment, not corrected"
                ),
                "wind_cf_year": 2023,
                "wind_cf_status": "sourced (secondary)",
                "wind_cf_source": (
                    f"full-year 2023 fleet hours (Dec-2023 YTD) {wind_h} h; {SRC_EXPORT}; net of curtailment, "
                    f"not corrected{caveat}"
                ),
                "wind_installed_date": "2023-12-31",
                "wind_installed_source": f"capacity of plants >= 6 MW, Dec 2023; {SRC_EXPORT}",
            }
        )
    df = pd.DataFrame(rows)
    assert len(df) == 31 and df["province"].is_unique
    assert df["solar_cf"].between(0, 1).all() and df["wind_cf"].between(0, 1).all()
    return df


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "province_resources.csv"
    df = build()
    df.to_csv(out, index=False, lineterminator="\n")
    print(f"wrote {out}: {len(df)} rows")
    print(df[["province", "solar_cf", "wind_cf", "solar_utilization_hours", "wind_utilization_hours"]].to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
