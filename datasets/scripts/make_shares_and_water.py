"""Measured renewable share of generation and derived water stress, by province.

Build-time tool (the library never runs it). Rewrites, in
``datasets/provinces.csv``:

- ``renewable_share``: measured non-fossil share of in-province generation,
  (hydro + nuclear + wind + solar) / (those + thermal), NBS monthly
  provincial generation of enterprises above designated size (规上),
  Jan-Nov 2022, as transcribed in github energyandcleanair/china_co2
  (secondary); generation-based, not consumption-based.
- ``grid_renewable_share``: the consumption-based non-fossil share implied
  by the MEE/NBS 2022 grid emission factor, ``1 - EF / 0.8325`` (0.8325
  tCO2/MWh = the national fossil-only factor 2022); derived. The model
  counts this share of a site's grid power as green, because the emission
  factor (and so this share) includes imported electricity.
- ``water_stress``: withdrawal / local renewable water resources mapped to
  WRI Aqueduct's baseline-water-stress bands (linear within <10/20/40/80/160 %),
  from NBS yearbook tables (2008-2009) and the Ningxia 2018 water bulletin;
  provinces without retrieved withdrawals keep their proxy estimate.

Run: ``python datasets/scripts/make_shares_and_water.py``.
"""

import csv
import tempfile
from pathlib import Path

import pandas as pd

PROVINCES = Path(__file__).resolve().parents[1] / "provinces.csv"
OUT = Path(tempfile.mkdtemp())
EF_FOSSIL_2022 = 0.8325  # tCO2/MWh, MEE & NBS national fossil-only factor 2022 (parameters.csv)

P=["Beijing","Tianjin","Hebei","Shanxi","Inner Mongolia","Liaoning","Jilin","Heilongjiang","Shanghai","Jiangsu","Zhejiang","Anhui","Fujian","Jiangxi","Shandong","Henan","Hubei","Hunan","Guangdong","Guangxi","Hainan","Chongqing","Sichuan","Guizhou","Yunnan","Tibet","Shaanxi","Gansu","Qinghai","Ningxia","Xinjiang"]
def nums(s): return [float(x.replace(',','')) for x in s.split()]
# 2022-11 YTD row (Jan-Nov 2022), units 10^4 kWh, energyandcleanair/china_co2 inst/csv/power_generation_by_province_and_source.csv (NBS via Wind)
thermal=nums("3,865,000 6,418,000 24,510,000 32,200,000 47,522,000 12,561,000 6,094,000 7,846,000 7,906,000 43,310,000 27,889,000 26,144,000 14,652,000 11,759,000 45,792,000 24,622,000 14,237,000 9,111,000 40,653,000 9,658,000 2,266,000 6,671,000 7,002,000 12,319,000 4,087,000 27,000 21,510,000 9,350,000 1,398,000 15,418,000 32,732,000")
hydroP=[p for p in P if p!="Shanghai"]
hydro=nums("69,000 0 194,000 287,000 334,000 347,000 890,000 295,000 280,000 1,590,000 481,000 2,287,000 778,000 237,000 1,084,000 11,138,000 4,403,000 1,634,000 5,228,000 127,000 1,667,000 34,279,000 5,590,000 28,474,000 974,000 734,000 2,707,000 3,702,000 172,000 2,839,000")
windP=[p for p in P if p!="Tibet"]
wind=nums("40,676.18 227,374.35 5,157,143.73 3,982,939.12 9,418,144.00 2,301,376.00 1,743,914.59 1,975,804.82 218,833.34 4,635,631.03 828,254.83 1,078,821.07 1,995,052.52 1,163,987.64 3,769,175.05 3,478,564.71 1,521,599.58 1,682,016.73 2,316,333.73 1,746,739.19 41,684.46 326,121.35 1,185,684.72 1,040,108.98 1,909,200.75 1,831,626.95 3,203,219.86 1,427,765.78 2,481,688.08 5,548,821.90")
nucP=["Liaoning","Jiangsu","Zhejiang","Fujian","Guangdong","Guangxi","Hainan"]
nuc=nums("4,044,000 4,779,000 6,696,000 7,512,000 10,309,000 1,613,000 965,000")
solP=["Beijing","Hebei","Shanxi","Inner Mongolia","Liaoning","Jilin","Shanghai","Jiangsu","Zhejiang","Anhui","Fujian","Jiangxi","Shandong","Henan","Hubei","Hunan","Guangdong","Guangxi","Sichuan","Guizhou","Yunnan","Tibet","Shaanxi","Gansu","Qinghai","Ningxia","Xinjiang"]
sol=nums("16,506 1,634,963 1,399,159 1,515,335 280,763 363,205 33,599 885,124 636,205 910,135 32,510 541,010 957,990 676,644 710,379 235,365 591,075 281,748 241,084 908,620 347,002 72,289 977,291 1,314,878 1,691,990 1,702,576 1,544,610")
assert len(thermal)==31 and len(hydro)==30 and len(wind)==30 and len(nuc)==7 and len(sol)==27
g={p:dict(th=t) for p,t in zip(P,thermal)}
for lst,keys,vals in [("hy",hydroP,hydro),("wi",windP,wind),("nu",nucP,nuc),("so",solP,sol)]:
    for p in P: g[p].setdefault(lst,0.0)
    for p,v in zip(keys,vals): g[p][lst]=v
cur={r['province']:r for r in csv.DictReader(open(PROVINCES, encoding='utf-8'))}
SRC="NBS monthly provincial generation of industrial enterprises above designated size (规上), Jan-Nov 2022 YTD, thermal/hydro/nuclear/wind/solar; transcription via Wind in github energyandcleanair/china_co2 inst/csv/power_generation_by_province_and_source.csv (row 2022-11)"
with open(OUT / 'renewable_share.csv', 'w', newline='', encoding='utf-8') as f:
    w=csv.writer(f); w.writerow(["province","renewable_share","status","year","source","thermal_gwh","hydro_gwh","nuclear_gwh","wind_gwh","solar_gwh","total_gwh","caveat"])
    for p in P:
        d=g[p]; nf=d['hy']+d['wi']+d['nu']+d['so']; tot=nf+d['th']
        cav=[]
        if p=="Shandong": cav.append("nuclear (Haiyang/Shidaowan) not in source series -> share understated by ~3-4 pp")
        if p in ("Tianjin","Heilongjiang","Chongqing","Hainan"): cav.append("no solar series in source (small)")
        if p=="Tibet": cav.append("no wind series; thermal tiny; 规上 coverage of small hydro/PV incomplete")
        if p=="Shanghai": cav.append("no hydro series (none expected)")
        cav.append("规上 only: excludes distributed PV/small plants; biomass counted in thermal")
        w.writerow([p,round(nf/tot,4),"sourced (secondary): measured generation shares, NBS 规上",'2022 (Jan-Nov)',SRC]+[round(x/100,1) for x in (d['th'],d['hy'],d['nu'],d['wi'],d['so'],tot)]+["; ".join(cav)])
# ---------- water
# NBS China Statistical Yearbook 2009, table 11-17 Water Resources (2008), 100 million m3
res08=nums("34.2 18.3 161.0 87.4 412.1 266.0 332.0 462.0 37.0 378.0 855.2 699.3 1036.9 1356.2 328.7 371.3 1033.9 1600.0 2206.8 2282.5 419.1 576.9 2489.9 1140.7 2314.5 4560.2 304.0 187.5 658.1 9.2 815.6")
R=dict(zip(P,res08))
# NBS CSY 2009 table 11-18 Water Supply and Water Use, 2008 (first 11 provinces retrieved)
use08=dict(zip(P[:11],nums("35.1 22.3 195.0 56.9 175.8 142.8 104.1 297.0 119.8 558.3 216.6")))
# NBS CSY 2010 table 12-18 供水用水情况, 2009 (rows Anhui..Hainan retrieved)
use09=dict(zip(P[11:21],nums("291.9 201.4 241.3 220.0 233.7 281.4 322.3 463.4 303.4 44.5")))
def score(r):
    bands=[(0,0.1,0,1),(0.1,0.2,1,2),(0.2,0.4,2,3),(0.4,0.8,3,4),(0.8,1.6,4,5)]
    for lo,hi,a,b in bands:
        if r<hi: return a+(b-a)*(r-lo)/(hi-lo)
    return 5.0
U1="https://www.stats.gov.cn/sj/ndsj/2009/html/L1118e.htm"
U0="http://www.stats.gov.cn/tjsj/ndsj/2009/html/L1117e.htm"
U2="https://www.stats.gov.cn/sj/ndsj/2010/html/L1218c.htm"
with open(OUT / 'water_stress.csv', 'w', newline='', encoding='utf-8') as f:
    w=csv.writer(f); w.writerow(["province","water_stress","status","year","source","withdrawal_bn_m3","resources_bn_m3","ratio","caveat"])
    for p in P:
        cav=""
        if p in use08:
            wd=use08[p]; rs=R[p]; yr="2008"; st="derived: withdrawal/renewable ratio -> Aqueduct band thresholds (both inputs NBS 2008)"
            src=f"withdrawal: NBS China Statistical Yearbook 2009 table 11-18 ({U1}); resources: same yearbook table 11-17 ({U0})"
        elif p in use09:
            wd=use09[p]; rs=R[p]; yr="2009 withdrawal / 2008 resources"; st="derived (mixed years): withdrawal 2009 / resources 2008 -> Aqueduct band thresholds"
            src=f"withdrawal: NBS China Statistical Yearbook 2010 table 12-18 ({U2}); resources: NBS CSY 2009 table 11-17 ({U0})"
        elif p=="Ningxia":
            wd=66.167; rs=14.669; yr="2018"; st="derived: withdrawal/renewable ratio -> Aqueduct band thresholds (both inputs 2018 Ningxia Water Resources Bulletin)"
            src="2018年宁夏回族自治区水资源公报 (reprint https://gcs66.com/document_detail/81641.html): 总用水量 66.167亿m3, 水资源总量 14.669亿m3"
            cav="2018 was a wet year (+25.9% surface water vs normal) so stress is if anything understated; Yellow River transit water not counted"
        else:
            c=cur[p]; w.writerow([p,c['water_stress'],'estimate (unchanged proxy; no withdrawal data retrieved)','2016 data',c['water_stress_source'],'','','','kept current proxy estimate']); continue
        r=wd/rs
        if p in ("Shanghai","Jiangsu","Anhui","Hubei","Hunan","Jiangxi","Guangdong","Guangxi","Inner Mongolia","Henan","Shandong") :
            cav=(cav+"; " if cav else "")+"local resources exclude transit inflow (Yangtze/Yellow/Pearl); downstream/riparian provinces look more stressed than Aqueduct (which routes upstream flow)"
        if p in ("Shanghai","Jiangsu","Zhejiang","Guangdong","Anhui","Hubei","Hunan","Fujian"):
            cav=(cav+"; " if cav else "")+"withdrawal includes once-through thermal/nuclear cooling water"
        w.writerow([p,round(score(r),2),st,yr,src,round(wd/10,2),round(rs/10,2),round(r,3),cav])


def merge() -> None:
    """Write the three columns into provinces.csv."""
    prov = pd.read_csv(PROVINCES)
    rs = pd.read_csv(OUT / "renewable_share.csv").set_index("province")
    ws = pd.read_csv(OUT / "water_stress.csv", dtype={"caveat": str}).set_index("province")
    key = prov["province"]
    prov["renewable_share"] = rs.loc[key, "renewable_share"].to_numpy()
    prov["renewable_share_status"] = [
        f"{r.status}, {r.year}: {r.source}" + (f"; caveat: {r.caveat}" if isinstance(r.caveat, str) else "")
        for r in rs.loc[key].itertuples()
    ]
    grid = (1.0 - prov["grid_ef_t_co2_per_mwh"] / EF_FOSSIL_2022).round(4)
    status = "derived: 1 - grid_ef_t_co2_per_mwh / 0.8325 (MEE & NBS 2022 fossil-only factor); consumption-based, includes imports"
    if "grid_renewable_share" in prov.columns:
        prov["grid_renewable_share"] = grid
        prov["grid_renewable_share_status"] = status
    else:
        at = prov.columns.get_loc("renewable_share_status") + 1
        prov.insert(at, "grid_renewable_share", grid)
        prov.insert(at + 1, "grid_renewable_share_status", status)
    derived = ws.loc[key, "status"].str.startswith("derived").to_numpy()  # the others keep their proxy
    rows = ws.loc[key[derived]]
    prov.loc[derived, "water_stress"] = rows["water_stress"].to_numpy()
    prov.loc[derived, "water_stress_source"] = [
        f"{r.status}; {r.year}; {r.source}" + (f"; caveat: {r.caveat}" if isinstance(r.caveat, str) and r.caveat else "")
        for r in rows.itertuples()
    ]
    prov.to_csv(PROVINCES, index=False, lineterminator="\n")
    print(prov[["province", "renewable_share", "grid_renewable_share", "water_stress"]].to_string(index=False))


merge()
