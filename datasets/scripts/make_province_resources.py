"""Build ``datasets/province_resources.csv`` (build-time tool; the library never runs it).

Every input number is typed in below with the document it was read from, so
the table can be re-derived and audited::

    /work/venv/bin/python datasets/scripts/make_province_resources.py

Wind (``wind_cf``): provincial average wind utilization hours (平均利用小时数)
for 2019 from the NEA release "2019年风电并网运行情况" (statistics from the
China Electricity Council), ``wind_cf = hours / 8760``. The stored copy of the
release carries the table for 20 provinces and names the hours of Sichuan and
Yunnan in its text. The other nine rows are filled as follows:

* Gansu and Xinjiang (``derived``): the same release gives their 2019
  curtailment rate and curtailed energy, so generation = curtailed x (1 - r) / r;
  divided by the capacity at end-March 2020 (NEA "2020年一季度风电并网运行情况"),
  which understates the 2019 average capacity a little, so the hours are a
  slight underestimate.
* Hainan, Chongqing, Guizhou, Tibet, Shaanxi, Qinghai, Ningxia (``estimate``):
  Jan-Sep 2017 hours (NEA/CEC table reprinted by chinapower.com.cn) scaled by
  the national ratio 2019 full year / 2017 Jan-Sep = 2082 / 1386.

Solar (``solar_cf``): capacity factor of centralized (utility) PV by province
from the GCAM-China data system (JGCRI/gcamdata,
inst/extdata/gcam-china/solar_csp_pv_capacityfactor.csv), which cites the
Energy Foundation China supply-curve methodology (2011). No provincial PV
utilization hours were found in the stored sources (NEA does not publish them
in its provincial tables). These CFs are resource-based and higher than the
fleet-average hours NEA reports nationally (~1,090-1,170 h, CF ~0.13, which
include distributed PV and curtailment).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

HOURS = 8760

SRC_2019 = (
    "NEA 2019年风电并网运行情况 (CEC statistics), table 2019年风电并网运行统计数据, "
    "reprint http://mm.chinapower.com.cn/sj/ndsj/20200302/9016.html"
)
SRC_2019_TEXT = (
    "NEA 2019年风电并网运行情况, text (top-5 provinces), "
    "http://mm.chinapower.com.cn/sj/ndsj/20200302/9016.html; also http://hhygw.cn/flfd/sjbg/20200310/10352.html"
)
SRC_2017 = (
    "NEA/CEC 2017年前三季度风电利用及弃风率统计表, reprint "
    "http://chinapower.com.cn/bigdataElse/20171115/96956.html"
)
SRC_2020Q1 = (
    "NEA 2020年一季度风电并网运行情况 (CEC), reprint "
    "https://www.nengapp.com/news/485edbe054073eab4e8910c562c06b96"
)
SRC_SOLAR = (
    "GCAM-China data system, JGCRI/gcamdata inst/extdata/gcam-china/"
    "solar_csp_pv_capacityfactor.csv (Centralized.PV), citing Energy Foundation China, "
    "Methodology for Supply Curve Development (2011)"
)

#: 2019 full-year wind utilization hours, table rows (sourced)
WIND_2019_TABLE = {
    "Beijing": 1816, "Tianjin": 1965, "Hebei": 2144, "Shanxi": 1918, "Inner Mongolia": 2305,
    "Liaoning": 2300, "Jilin": 2216, "Heilongjiang": 2323, "Shanghai": 2065, "Jiangsu": 1973,
    "Zhejiang": 2090, "Anhui": 1809, "Fujian": 2639, "Jiangxi": 2028, "Shandong": 1863,
    "Henan": 1480, "Hubei": 1960, "Hunan": 1960, "Guangdong": 1612, "Guangxi": 2385,
}
#: 2019 full-year hours named in the release text (sourced)
WIND_2019_TEXT = {"Sichuan": 2553, "Yunnan": 2808}
WIND_2019_NATIONAL = 2082
#: 2019 curtailment: (curtailed energy [100 GWh], curtailment rate) (sourced, same release)
CURTAIL_2019 = {"Gansu": (18.8, 0.076), "Xinjiang": (66.1, 0.140)}
#: Jan-Sep 2017 wind hours (sourced) for provinces missing above
WIND_2017Q3 = {
    "Hainan": 1189, "Chongqing": 1755, "Guizhou": 1385, "Tibet": 1165,
    "Shaanxi": 1459, "Qinghai": 1453, "Ningxia": 1210,
}
WIND_2017Q3_NATIONAL = 1386
#: grid-connected wind capacity at end of March 2020 [10 MW = 万千瓦] (sourced)
WIND_CAP_2020Q1 = {
    "Beijing": 19, "Tianjin": 60, "Hebei": 1653, "Shanxi": 1289, "Inner Mongolia": 3014,
    "Liaoning": 841, "Jilin": 557, "Heilongjiang": 611, "Shanghai": 81, "Jiangsu": 1044,
    "Zhejiang": 163, "Anhui": 274, "Fujian": 395, "Jiangxi": 286, "Shandong": 1354,
    "Henan": 801, "Hubei": 409, "Hunan": 442, "Guangdong": 453, "Guangxi": 337,
    "Hainan": 29, "Chongqing": 64, "Sichuan": 327, "Guizhou": 458, "Yunnan": 871,
    "Tibet": 1, "Shaanxi": 532, "Gansu": 1297, "Qinghai": 487, "Ningxia": 1126,
    "Xinjiang": 1976,
}
#: centralized PV capacity factor (sourced, GCAM-China)
SOLAR_CF = {
    "Beijing": 0.16, "Tianjin": 0.16, "Hebei": 0.16, "Shanxi": 0.17, "Inner Mongolia": 0.18,
    "Liaoning": 0.16, "Jilin": 0.16, "Heilongjiang": 0.16, "Shanghai": 0.16, "Jiangsu": 0.17,
    "Zhejiang": 0.17, "Anhui": 0.16, "Fujian": 0.17, "Jiangxi": 0.16, "Shandong": 0.16,
    "Henan": 0.16, "Hubei": 0.16, "Hunan": 0.16, "Guangdong": 0.17, "Guangxi": 0.17,
    "Hainan": 0.18, "Chongqing": 0.16, "Sichuan": 0.16, "Guizhou": 0.16, "Yunnan": 0.18,
    "Tibet": 0.19, "Shaanxi": 0.17, "Gansu": 0.18, "Qinghai": 0.19, "Ningxia": 0.18,
    "Xinjiang": 0.19,
}
PROVINCES = list(WIND_CAP_2020Q1)


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
    areas = land_area_km2()
    rows = []
    for p in PROVINCES:
        if p in WIND_2019_TABLE:
            hours, status, src = WIND_2019_TABLE[p], "sourced", SRC_2019
        elif p in WIND_2019_TEXT:
            hours, status, src = WIND_2019_TEXT[p], "sourced", SRC_2019_TEXT
        elif p in CURTAIL_2019:
            curtailed, rate = CURTAIL_2019[p]
            gen = curtailed * (1 - rate) / rate  # 100 GWh
            hours = round(gen * 1e8 / (WIND_CAP_2020Q1[p] * 1e4))
            status = "derived"
            src = (
                f"derived: 2019 curtailed energy {curtailed} x100 GWh at rate {rate:.1%} -> "
                f"generation {gen:.0f} x100 GWh, / capacity {WIND_CAP_2020Q1[p]} x10 MW (end-Mar 2020); "
                f"{SRC_2019_TEXT}; {SRC_2020Q1}"
            )
        else:
            h17 = WIND_2017Q3[p]
            hours = round(h17 * WIND_2019_NATIONAL / WIND_2017Q3_NATIONAL)
            status = "estimate"
            src = (
                f"estimate: Jan-Sep 2017 hours {h17} x national ratio {WIND_2019_NATIONAL}/"
                f"{WIND_2017Q3_NATIONAL} (2019 full year / 2017 Jan-Sep); {SRC_2017}"
            )
        rows.append(
            {
                "province": p,
                "solar_cf": SOLAR_CF[p],
                "wind_cf": round(hours / HOURS, 4),
                "solar_full_load_hours": round(SOLAR_CF[p] * HOURS),
                "wind_utilization_hours": hours,
                "wind_installed_gw": WIND_CAP_2020Q1[p] / 100,
                "land_area_km2": areas[p],
                "solar_cf_status": "sourced",
                "solar_cf_source": SRC_SOLAR,
                "wind_cf_year": 2019 if status != "estimate" else "2017-2019",
                "wind_cf_status": status,
                "wind_cf_source": src,
                "wind_installed_date": "2020-03-31",
                "wind_installed_source": SRC_2020Q1,
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
    print(df[["province", "solar_cf", "wind_cf", "wind_utilization_hours", "wind_cf_status"]].to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
