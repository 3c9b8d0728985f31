"""Derive the electricity price a large data center pays, by province.

Build-time tool (the library never runs it): rewrites the columns
``electricity_price_cny_per_kwh`` and ``electricity_price_status`` of
``datasets/provinces.csv`` for every province whose components are known.

Method (per kWh, two-part industrial/commercial service at 1-10(20) kV, the
usual connection of a large data center)::

    price = coal benchmark                       (燃煤发电基准价, 发改价格规〔2019〕1658号;
                                                  column coal_benchmark_cny_per_kwh)
          + benchmark * rho / (1 - rho)          (上网环节线损, rho = provincial loss rate)
          + T&D energy charge, 1-10(20) kV       (发改价格〔2026〕1077号 附件1 省级电网输配电价表)
          + government funds and surcharges      (政府性基金及附加, provincial notices)

T&D charges, loss rates and funds are the 4th regulatory period (effective
2026-08-01) as transcribed in the public GitHub repository
ChenShi-Tech/interprovince-route-optimizer (docs/原始文件/省级电网输配电价_第四监管周期.json,
data/fixed-prices.json): secondary inputs. The price leaves out the monthly
capacity/demand charge and system-operation fees, so it is a floor on the
energy (电度) price, roughly 0.03-0.10 CNY/kWh below a full bill.

Tibet is not in 1077号 附件1: its T&D table is the Tibet DRC notice of
2026-07-31 (大工业 两部制 1-10(20) kV 0.3024 CNY/kWh, loss rate 10.81 %,
effective 2026-10-01), same transcription. Its government funds are not
itemised (the transcription gives null), so Tibet's price is derived the same
way *without* funds: a lower floor than the other provinces' by the funds
(0.004-0.064 CNY/kWh elsewhere). Its coal benchmark (0.4498) is unverified.

Sites in a tariff zone of their own also get a price (``sites.csv``,
``electricity_price_cny_per_kwh``; empty = the province's): the same formula
with the zone's T&D charge (and loss rate), see :data:`SITE_ZONES`.

Run: ``python datasets/scripts/make_electricity_prices.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: T&D energy charge [CNY/kWh] and grid entity, 1-10(20) kV two-part tariff.
TD = {
"Beijing":(0.2050,"北京电网"),"Tianjin":(0.1631,"天津电网"),"Hebei":(0.1476,"河北电网(南网)"),"Shanxi":(0.1040,"山西电网"),
"Inner Mongolia":(0.0787,"蒙西电网"),"Liaoning":(0.1053,"辽宁电网"),"Jilin":(0.1513,"吉林电网"),"Heilongjiang":(0.1385,"黑龙江电网"),
"Shanghai":(0.1623,"上海电网"),"Jiangsu":(0.1298,"江苏电网"),"Zhejiang":(0.1250,"浙江电网"),"Anhui":(0.1324,"安徽电网"),
"Fujian":(0.1219,"福建电网"),"Jiangxi":(0.1485,"江西电网"),"Shandong":(0.1400,"山东电网"),"Henan":(0.1655,"河南电网"),
"Hubei":(0.1263,"湖北电网"),"Hunan":(0.1694,"湖南电网"),"Guangdong":(0.0979,"广东电网(不含深圳,全省平均,未加价区交叉补贴)"),
"Guangxi":(0.1476,"广西电网"),"Hainan":(0.1348,"海南电网"),"Chongqing":(0.1515,"重庆电网"),"Sichuan":(0.1391,"四川电网"),
"Guizhou":(0.1238,"贵州电网"),"Yunnan":(0.1246,"云南电网"),"Tibet":(0.3024,"西藏电网 大工业两部制(藏发改 2026-07-31 通知)"),
"Shaanxi":(0.1271,"陕西电网(不含榆林)"),"Gansu":(0.1063,"甘肃电网"),"Qinghai":(0.0871,"青海电网"),"Ningxia":(0.0903,"宁夏电网"),"Xinjiang":(0.1202,"新疆电网")
}

#: Provincial grid loss rate in the on-grid segment [%] (1077号 附件1 注3).
LOSS = {"Beijing":3.11,"Tianjin":2.54,"Hebei":4.08,"Shanxi":3.52,"Inner Mongolia":2.81,"Liaoning":3.78,"Jilin":5.17,"Heilongjiang":6.46,"Shanghai":2.61,"Jiangsu":2.83,"Zhejiang":3.07,"Anhui":3.9,"Fujian":3.37,"Jiangxi":3.68,"Shandong":3.07,"Henan":4.82,"Hubei":4.55,"Hunan":4.95,"Guangdong":3.31,"Guangxi":4.67,"Hainan":5.37,"Chongqing":4.18,"Sichuan":5.64,"Guizhou":4.5,"Yunnan":4.24,"Tibet":10.81,"Shaanxi":4.24,"Gansu":2.31,"Qinghai":2.9,"Ningxia":2.58,"Xinjiang":3.45}

#: Government funds and surcharges [CNY/MWh] (provincial implementation notices).
FUND = {"Beijing":27.16875,"Tianjin":27.16875,"Hebei":24.06875,"Shanxi":43.36875,"Inner Mongolia":22.425,"Liaoning":26.825,"Jilin":45.025,"Heilongjiang":24.825,"Shanghai":29.115,"Jiangsu":29.4,"Zhejiang":29.23875,"Anhui":28.87,"Fujian":27.66875,"Jiangxi":26.7525,"Shandong":27.16875,"Henan":28.889375,"Hubei":45.2,"Hunan":46.25,"Guangdong":27.66875,"Guangxi":41.825,"Hainan":26.825,"Chongqing":47.69375,"Sichuan":47.16875,"Guizhou":25.325,"Yunnan":63.875,"Tibet":None,"Shaanxi":26.325,"Gansu":22.925,"Qinghai":21.525,"Ningxia":21.325,"Xinjiang":4.1}

NDRC = "发改价格〔2026〕1077号 附件1 省级电网输配电价表, https://www.ndrc.gov.cn/xwdt/tzgg/202607/t20260710_1406433.html"
REPO = "public GitHub transcription ChenShi-Tech/interprovince-route-optimizer (secondary)"
TIBET = (
    "西藏自治区发展和改革委员会 第四监管周期西藏电网输配电价通知, 2026-07-31, effective 2026-10-01, "
    "https://drc.xizang.gov.cn/fgdt/jggl/202607/t20260731_552206.html"
)
GD_ZONES = (
    "粤发改价格〔2026〕242号 (Guangdong's T&D tables by price zone; zone cross-subsidy added to the provincial "
    "average energy charge of 1077号, same at every voltage level)"
)

#: Sites in a tariff zone of their own: T&D charge [CNY/kWh] (and loss rate [%]) of the zone.
#: Guangdong: provincial average 0.0979 + zone adjustment; 冀北: its own table in 1077号 附件1.
SITE_ZONES = {
    "Shaoguan": dict(
        province="Guangdong", td=round(0.0979 - 0.0896, 4),
        td_text=(
            "T&D 1-10(20) kV two-part energy charge 0.0979 (广东电网 provincial average, " + NDRC + ") "
            "- 0.0896 粤北山区 zone (韶关/河源/梅州/清远/云浮) (" + GD_ZONES + ")"
        ),
    ),
    "Guangzhou": dict(
        province="Guangdong", td=round(0.0979 + 0.0237, 4),
        td_text=(
            "T&D 1-10(20) kV two-part energy charge 0.0979 (广东电网 provincial average, " + NDRC + ") "
            "+ 0.0237 珠三角 zone (" + GD_ZONES + ")"
        ),
    ),
    "Zhangjiakou": dict(
        province="Hebei", td=0.1365, loss_pct=2.87, entity="冀北电网 (唐山/秦皇岛/廊坊/承德/张家口)",
        note=(
            "coal benchmark: 河北南网's (the 冀北 benchmark was not retrieved); funds: Hebei's"
        ),
    ),
}


def derive(
    benchmark: float,
    province: str,
    td: float | None = None,
    loss_pct: float | None = None,
    entity: str | None = None,
    td_text: str | None = None,
) -> tuple[float, str]:
    """Price [CNY/kWh] and its provenance text.

    ``td``, ``loss_pct`` and ``entity`` override the province's T&D charge,
    loss rate and grid entity (a tariff zone inside the province);
    ``td_text`` replaces the description of the T&D component.
    """
    td0, entity0 = TD[province]
    td = td0 if td is None else td
    entity = entity0 if entity is None else entity
    loss_pct = LOSS[province] if loss_pct is None else loss_pct
    rho, fund = loss_pct / 100.0, FUND[province]
    loss_fee = benchmark * rho / (1.0 - rho)
    td_doc = TIBET if province == "Tibet" else NDRC
    td_part = td_text or f"T&D 1-10(20) kV two-part energy charge {td:.4f} [{entity}] ({td_doc})"
    if fund is None:
        price = round(benchmark + loss_fee + td, 4)
        fund_part = (
            "government funds NOT included (not itemised in the provincial notice; 0.004-0.064 CNY/kWh "
            "in the other provinces), so this floor is lower than the others by the funds"
        )
        what = "T&D and loss"
    else:
        price = round(benchmark + loss_fee + td + fund / 1000.0, 4)
        fund_part = f"government funds {fund / 1000.0:.5f}"
        what = "T&D, loss and funds"
    text = (
        f"derived: coal benchmark {benchmark:.4f} + grid loss {loss_fee:.4f} (rho {loss_pct:.2f} %) "
        f"+ {td_part} + {fund_part}; {what} from {REPO}; a floor: excludes capacity/demand charge "
        "and system-operation fees"
    )
    return price, text


def main() -> None:
    data = Path(__file__).resolve().parents[1]
    path = data / "provinces.csv"
    df = pd.read_csv(path)
    for i, row in df.iterrows():
        out = derive(float(row["coal_benchmark_cny_per_kwh"]), row["province"])
        df.loc[i, "electricity_price_cny_per_kwh"], df.loc[i, "electricity_price_status"] = out
    df.to_csv(path, index=False, lineterminator="\n")
    print(df[["province", "coal_benchmark_cny_per_kwh", "electricity_price_cny_per_kwh"]].to_string(index=False))

    # sites in a tariff zone of their own; the others keep NaN (= their province's price)
    bench = df.set_index("province")["coal_benchmark_cny_per_kwh"]
    spath = data / "sites.csv"
    sites = pd.read_csv(spath)
    price = pd.Series(float("nan"), index=sites.index)
    source = pd.Series("", index=sites.index, dtype=object)
    for site, zone in SITE_ZONES.items():
        (i,) = sites.index[sites["site"] == site]
        assert sites.at[i, "province"] == zone["province"], site
        p, text = derive(
            float(bench[zone["province"]]), zone["province"], td=zone.get("td"), loss_pct=zone.get("loss_pct"),
            entity=zone.get("entity"), td_text=zone.get("td_text"),
        )
        price[i] = p
        source[i] = text + (f"; {zone['note']}" if "note" in zone else "")
    if "electricity_price_cny_per_kwh" not in sites.columns:
        sites.insert(sites.columns.get_loc("it_capacity_max_mw") + 1, "electricity_price_cny_per_kwh", price)
    else:
        sites["electricity_price_cny_per_kwh"] = price
    sites["electricity_price_source"] = source.where(source != "", None)
    sites.to_csv(spath, index=False, lineterminator="\n")
    zoned = sites.loc[price.notna(), ["site", "province", "electricity_price_cny_per_kwh"]]
    zoned["province_price"] = df.set_index("province").loc[zoned["province"], "electricity_price_cny_per_kwh"].to_numpy()
    print(zoned.to_string(index=False))


if __name__ == "__main__":
    main()
