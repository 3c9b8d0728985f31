"""Style shared by the static and the interactive maps: colours, scales, labels, fonts.

- colours of sites (:data:`ROLE_COLORS`) and flows (:data:`WORKLOAD_COLORS`,
  :func:`workload_colors`), of batteries (:data:`BATTERY_COLOR`) and UHV
  corridors (:data:`CORRIDOR_COLOR`), of provinces without data and of
  unused sites;
- the colour map of each quantity (:data:`COLORMAPS`, :func:`colormap_of`),
  the colour scale of a choropleth (:func:`color_norm`) and the size scale
  of markers, battery squares, flow and corridor lines (:class:`SizeScale`);
- display labels with units of result and input columns (:func:`label`),
  the other texts of a map (:func:`text`, :func:`workload_label`) and
  number formatting (:func:`fmt`);
- languages, English or Chinese (:data:`LANGUAGES`), and the CJK font
  Chinese texts need (:func:`label_font`).

:class:`ResultLike` lists what the maps read of a result; a
:class:`siting.Result` is one.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

from siting.errors import InputError, SitingError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.colors import Colormap, Normalize


class ScenarioLike(Protocol):
    """What the maps read of a scenario (:class:`siting.Scenario` is one)."""

    @property
    def name(self) -> str:
        """Shown in map titles."""

    @property
    def demand(self) -> pd.DataFrame:
        """Rows ``origin``, ``workload``, ``it_mw`` [MW]."""

    @property
    def workloads(self) -> pd.DataFrame:
        """Workload classes, indexed by name."""

    @property
    def sites(self) -> pd.DataFrame:
        """Candidate sites, indexed by name; an optional ``name_zh`` column labels them in Chinese."""


class ResultLike(Protocol):
    """What the maps read of a result (:class:`siting.Result` is one)."""

    @property
    def scenario(self) -> ScenarioLike:
        """The scenario solved."""

    @property
    def sites(self) -> pd.DataFrame:
        """Per candidate site, indexed by name: ``province``, ``role``, ``lat``,
        ``lon`` [deg], ``it_capacity_mw`` [MW] and further result columns.

        Optional columns the maps draw when present: ``battery_mw`` [MW] and
        ``battery_mwh`` [MWh] (storage; zeros when it is off) and
        ``curtailment_absorbed_mwh`` [MWh/yr] (curtailed wind and solar the
        site absorbs)."""

    @property
    def allocation(self) -> pd.DataFrame:
        """Per flow: ``origin``, ``site``, ``workload``, ``it_mw`` [MW],
        ``rtt_ms`` [ms], ``distance_km`` [km]."""

    # Optional, read with ``getattr(result, "corridors", None)`` (results of
    # older versions lack it): ``corridors``, a DataFrame indexed by corridor
    # name with ``sending_province``, ``receiving_province``, ``capacity_mw``
    # (usable capacity) [MW], ``mw`` (renewable capacity contracted over the
    # line) [MW], ``peak_flow_mw`` (largest flow in any slice) [MW],
    # ``delivered_mwh`` [MWh/yr], ``loss_mwh`` [MWh/yr] and ``cost_cny``
    # [CNY/yr]; empty when corridors are off. Not a member of the Protocol,
    # so that such older results still are result-like.


# ---------------------------------------------------------------- colours
#: Marker colour of east (demand-side) and west (resource-side) sites.
ROLE_COLORS: dict[str, str] = {"east": "#c0392b", "west": "#1f5fa6"}

#: Flow colour of the bundled workload classes: magenta, gold and charcoal,
#: hues far apart that stay apart where lines cross (flows are drawn opaque);
#: other classes get colours from matplotlib's ``Dark2`` palette.
WORKLOAD_COLORS: dict[str, str] = {"interactive": "#e7298a", "near_realtime": "#e6ab02", "batch": "#333333"}

#: Fill of battery squares (static map) and rings (interactive map): teal,
#: apart from the site roles, the flow classes and the corridors.
BATTERY_COLOR = "#0f9b8e"

#: Edge of the battery squares: white, like the site markers', to stand out on dark provinces.
BATTERY_EDGE = "white"

#: Line colour of a used UHV corridor: dark orange, apart from the flow
#: classes (magenta, gold, charcoal) and the site roles.
CORRIDOR_COLOR = "#a6470a"

#: Line colour of an unused corridor (drawn thin and dashed).
CORRIDOR_UNUSED_COLOR = "#8c8c8c"

#: Colour map of each quantity, by column-name pattern (:func:`fnmatch.fnmatchcase`):
#: the first pattern matching a column's name gives its matplotlib colour
#: map, :data:`DEFAULT_COLORMAP` when none does; an explicit ``cmap=`` wins.
#: All are sequential, the dark end the larger value: emissions and emission
#: factors red (never green: the dirtiest province must not look the
#: greenest), green and renewable shares and absorbed curtailment green,
#: curtailment orange, prices
#: and costs the neutral ``cividis``, water blue, PUE purple, capacity and
#: energy ``YlGn``.
COLORMAPS: dict[str, str] = {
    "emissions*": "Reds",
    "*_t_co2_per_*": "Reds",
    "*green_share": "Greens",
    "curtailment_absorbed*": "Greens",
    "*renewable*": "Greens",
    "curtailed_*": "Oranges",
    "*price*": "cividis",
    "*_cny_per_*": "cividis",
    "*_cny": "cividis",
    "water*": "Blues",
    "*_m3": "Blues",
    "pue": "Purples",
    "*_mw": "YlGn",
    "*_mwh": "YlGn",
    "*_gw": "YlGn",
}

#: Colour map of a quantity no pattern of :data:`COLORMAPS` matches.
DEFAULT_COLORMAP = "viridis"

#: Fill of a province without a value.
NO_DATA_COLOR = "#e6e6e6"

#: Edge of a candidate site left empty.
UNUSED_COLOR = "#7f7f7f"

#: Hatching and its colour over provinces whose input value is an estimate.
ESTIMATE_HATCH = ("///", "#444444")


def workload_colors(workloads: list[str]) -> dict[str, str]:
    """Flow colour of each workload class, in the order given."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    palette = colormaps["Dark2"].colors
    extra = iter(to_hex(c) for c in palette if to_hex(c) not in WORKLOAD_COLORS.values())
    return {w: WORKLOAD_COLORS.get(w) or next(extra) for w in workloads}


def colormap_of(column: str) -> str:
    """Name of the colour map of a quantity: the first match in :data:`COLORMAPS`.

    For example ``colormap_of("emissions_t")`` is ``"Reds"``.
    """
    return next((cmap for pattern, cmap in COLORMAPS.items() if fnmatchcase(column, pattern)), DEFAULT_COLORMAP)


def as_colormap(cmap: str | Colormap | None, column: str) -> Colormap:
    """A colour map given by its matplotlib name or as itself; ``None``: the one of ``column``.

    Raises
    ------
    InputError
        On a name matplotlib does not know.
    """
    from matplotlib import colormaps

    if cmap is None:
        cmap = colormap_of(column)
    if not isinstance(cmap, str):
        return cmap
    try:
        return colormaps[cmap]
    except KeyError:
        raise InputError(
            f"unknown colour map {cmap!r}; use a matplotlib colour map name such as 'Reds', 'Greens', "
            "'Blues', 'cividis' or 'viridis' (see matplotlib.colormaps)"
        ) from None


def color_norm(values: pd.Series, vmin: float | None, vmax: float | None, extensive: bool) -> Normalize:
    """Colour scale from 0 (``extensive`` columns) or the smallest value to the largest.

    ``vmin`` and ``vmax``, in the unit of ``values``, replace either end.
    """
    from matplotlib.colors import Normalize

    finite = values[np.isfinite(values)]
    data_lo, data_hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    lo = vmin if vmin is not None else (min(0.0, data_lo) if extensive else data_lo)
    hi = vmax if vmax is not None else data_hi
    return Normalize(lo, hi if hi > lo else lo + 1.0)


# ---------------------------------------------------------------- sizes
_MARKER_AREA_PT2 = 420.0  # marker area of the largest site [pt^2]
_FLOW_WIDTH_PT = (0.4, 5.0)  # line width of the smallest and largest flow [pt]
_BATTERY_AREA_PT2 = (9.0, 120.0)  # area of the smallest and the largest battery square [pt^2]
_CORRIDOR_WIDTH_PT = (1.5, 8.0)  # line width of the least and the most used corridor [pt]


class SizeScale:
    """Marker-area and line-width scales shared by the maps of one figure.

    Parameters
    ----------
    capacity_max_mw : float
        IT capacity of the largest site [MW], drawn at 420 pt².
    flow_max_mw : float
        Largest flow [MW], drawn 5 pt wide.
    min_flow_mw : float
        Flows smaller than this are hidden [MW].
    battery_max_mwh : float
        Energy of the largest battery [MWh], a square of 120 pt²; 0: none.
    corridor_max_mw : float
        Largest peak flow over a corridor [MW], drawn 8 pt wide; 0: none.
    """

    def __init__(
        self,
        capacity_max_mw: float,
        flow_max_mw: float,
        min_flow_mw: float,
        battery_max_mwh: float = 0.0,
        corridor_max_mw: float = 0.0,
    ) -> None:
        self.capacity_max_mw = max(capacity_max_mw, 1e-9)
        self.flow_max_mw = max(flow_max_mw, 1e-9)
        self.min_flow_mw = min_flow_mw
        self.battery_max_mwh = max(battery_max_mwh, 0.0)
        self.corridor_max_mw = max(corridor_max_mw, 0.0)

    @classmethod
    def of(cls, results: Sequence[ResultLike], min_flow_mw: float) -> SizeScale:
        """The scale fitting the largest site, flow, battery and corridor flow of all ``results``."""

        def top(table: pd.DataFrame | None, column: str) -> float:
            if table is None or column not in table.columns or not len(table):
                return 0.0
            return float(np.nan_to_num(table[column].max()))

        cap = max(float(r.sites["it_capacity_mw"].max()) for r in results)
        flow = max(top(r.allocation, "it_mw") for r in results)
        battery = max(top(r.sites, "battery_mwh") for r in results)
        corridor = max(top(getattr(r, "corridors", None), "peak_flow_mw") for r in results)
        return cls(cap, flow, min_flow_mw, battery, corridor)

    def area(self, mw: float | np.ndarray) -> np.ndarray:
        """Marker area [pt²] ∝ IT capacity [MW]."""
        return _MARKER_AREA_PT2 * np.asarray(mw, dtype=float) / self.capacity_max_mw

    def width(self, mw: float | np.ndarray) -> np.ndarray:
        """Line width [pt] ∝ MW served, from the thinnest visible width up."""
        lo, hi = _FLOW_WIDTH_PT
        return lo + (hi - lo) * np.asarray(mw, dtype=float) / self.flow_max_mw

    def battery_side(self, mwh: float | np.ndarray) -> np.ndarray:
        """Side [pt] of a battery's square, its area from 9 pt² up ∝ the battery's energy [MWh]."""
        lo, hi = _BATTERY_AREA_PT2
        return np.sqrt(lo + (hi - lo) * np.asarray(mwh, dtype=float) / max(self.battery_max_mwh, 1e-9))

    def corridor_width(self, mw: float | np.ndarray) -> np.ndarray:
        """Line width [pt] of a corridor ∝ its peak flow [MW], from 1.5 pt up."""
        lo, hi = _CORRIDOR_WIDTH_PT
        return lo + (hi - lo) * np.asarray(mw, dtype=float) / max(self.corridor_max_mw, 1e-9)


# ---------------------------------------------------------------- labels
#: Languages of the texts of a map: English, or Chinese (province names from ``name_zh``).
LANGUAGES = ("en", "zh")

# display name of a column (or of its stem without the unit), English and Chinese
_LABELS: dict[str, tuple[str, str]] = {
    "it_capacity_mw": ("IT capacity", "IT容量"),
    "it_capacity_max_mw": ("Buildable IT capacity", "可建IT容量"),
    "it_load_mw": ("IT load", "IT负荷"),
    "it_energy_mwh": ("IT energy", "IT用电量"),
    "energy_mwh": ("Facility energy", "设施用电量"),
    "grid_mwh": ("Grid energy", "电网购电量"),
    "renewable_mwh": ("Contracted renewable energy", "签约可再生电量"),
    "curtailed_mwh": ("Curtailed renewable energy", "弃风弃光电量"),
    "curtailment_absorbed_mwh": ("Absorbed curtailed energy", "消纳弃风弃光电量"),
    "battery_mw": ("Battery power", "储能功率"),
    "battery_mwh": ("Battery energy", "储能容量"),
    "battery_cny": ("Battery cost", "储能成本"),
    "charge_mwh": ("Battery charging", "储能充电量"),
    "discharge_mwh": ("Battery discharging", "储能放电量"),
    "certificate_mwh": ("Green certificates", "绿证电量"),
    "certificate_cny": ("Green certificate cost", "绿证成本"),
    "corridor_mw": ("Renewables contracted over corridors", "跨区通道签约新能源"),
    "corridor_cny": ("Corridor cost", "跨区通道成本"),
    "curtailment_cny": ("Absorbed curtailment cost", "消纳弃电成本"),
    "solar_mw": ("Contracted solar", "签约光伏"),
    "wind_mw": ("Contracted wind", "签约风电"),
    "total_cny": ("Total cost", "总成本"),
    "capex_cny": ("Data-center capital cost", "数据中心资本成本"),
    "solar_cny": ("Solar contract cost", "光伏签约成本"),
    "wind_cny": ("Wind contract cost", "风电签约成本"),
    "energy_cny": ("Grid energy cost", "电网电费"),
    "carbon_cny": ("Carbon cost", "碳成本"),
    "network_cny": ("Network cost", "网络成本"),
    "fixed_cny": ("Fixed cost", "固定成本"),
    "emissions_t": ("Emissions", "排放"),
    "water_m3": ("Water use", "用水量"),
    "green_share": ("Green share", "绿电占比"),
    "pue": ("PUE", "PUE"),
    "demand": ("Demand", "需求"),
    "electricity_price_cny_per_kwh": ("Electricity price", "电价"),
    "grid_ef_t_co2_per_mwh": ("Grid emission factor", "电网排放因子"),
    "renewable_share": ("Renewable share of generation", "发电量中可再生能源占比"),
    "grid_renewable_share": ("Non-fossil share of grid power", "电网电力非化石占比"),
    "solar_cf": ("Solar capacity factor", "光伏容量因子"),
    "wind_cf": ("Wind capacity factor", "风电容量因子"),
    "mean_temp_c": ("Mean air temperature", "年平均气温"),
    "water_stress": ("Water stress", "水资源压力"),
    "population_million": ("Population", "人口"),
    "gdp_billion_cny": ("Gross regional product", "地区生产总值"),
}
# column suffix (or name part), displayed unit in English and Chinese, factor from the column's unit to it
_UNITS: tuple[tuple[str, str, str, float], ...] = (
    ("_cny_per_kwh", "CNY/kWh", "元/kWh", 1.0),
    ("_t_co2_per_mwh", "tCO2/MWh", "吨CO2/MWh", 1.0),
    ("_billion_cny", "bn CNY", "十亿元", 1.0),
    ("_million", "million", "百万", 1.0),
    ("battery_mwh", "MWh", "MWh", 1.0),  # a stored energy, not an energy per year
    ("_mwh", "TWh/yr", "TWh/年", 1e-6),
    ("_mw", "MW", "MW", 1.0),
    ("_gw", "GW", "GW", 1.0),
    ("_cny", "bn CNY/yr", "十亿元/年", 1e-9),
    ("_m3", "million m³/yr", "百万立方米/年", 1e-6),
    ("_t", "Mt CO2/yr", "百万吨CO2/年", 1e-6),
    ("_c", "°C", "°C", 1.0),
    ("_ms", "ms", "ms", 1.0),
    ("_km", "km", "km", 1.0),
    ("_pct", "%", "%", 1.0),
    ("_cf", "%", "%", 100.0),
    ("share", "%", "%", 100.0),
    ("water_stress", "score 0-5", "评分 0-5", 1.0),
    ("pue", "-", "-", 1.0),
)
# the other texts of a map, English and Chinese
_TEXTS: dict[str, tuple[str, str]] = {
    "sites": ("Sites (area ∝ IT capacity)", "站点（面积 ∝ IT容量）"),
    "site:east": ("East site", "东部站点"),
    "site:west": ("West site", "西部站点"),
    "site:unused": ("Candidate, not built", "候选站点，未建"),
    "flows": ("Flows origin → site", "流向：需求地 → 站点"),
    "battery": ("Battery", "储能"),
    "corridors": ("UHV corridors (width ∝ peak flow)", "特高压通道（线宽 ∝ 峰值输送功率）"),
    "corridor:unused": ("unused corridor", "未使用通道"),
    "estimate": ("estimate", "估计值"),
    "vs": ("vs.", "对比"),
    "workload:interactive": ("interactive", "交互式"),
    "workload:near_realtime": ("near realtime", "准实时"),
    "workload:batch": ("batch", "批处理"),
}


def _unit(column: str) -> tuple[str, tuple[str, str], float]:
    """The column without its unit suffix, the unit in English and Chinese, and the factor to it."""
    for suffix, en, zh, factor in _UNITS:
        if column.endswith(suffix):
            return (column.removesuffix(suffix) if suffix.startswith("_") else column), (en, zh), factor
    return column, ("", ""), 1.0


def unit_stem(column: str) -> str:
    """The column's name without its unit suffix: ``"grid_ef"`` of ``"grid_ef_t_co2_per_mwh"``."""
    return _unit(column)[0]


def label(column: str, lang: str = "en") -> tuple[str, float]:
    """Display label of a column with its unit, and the factor from the column's unit to it.

    For example ``label("emissions_t")`` is ``("Emissions [Mt CO2/yr]", 1e-6)``
    and ``label("emissions_t", "zh")`` is ``("排放 [百万吨CO2/年]", 1e-6)``.
    A column without a display name is named after its stem, in English.
    """
    stem, units, factor = _unit(column)
    i = LANGUAGES.index(lang)
    names = _LABELS.get(column) or _LABELS.get(stem)
    name = names[i] if names else stem.replace("_", " ").capitalize()
    return (f"{name} [{units[i]}]" if units[i] else name), factor


def text(key: str, lang: str) -> str:
    """A text of the map legends in language ``lang``: ``text("estimate", "zh")`` is ``"估计值"``."""
    return _TEXTS[key][LANGUAGES.index(lang)]


def workload_label(workload: str, lang: str) -> str:
    """Display name of a workload class; a class without a translation keeps its name, ``_`` as spaces."""
    names = _TEXTS.get(f"workload:{workload}")
    return names[LANGUAGES.index(lang)] if names else workload.replace("_", " ")


def fmt(x: float) -> str:
    """A number for a tooltip or legend: 3 significant digits below 100, else whole; ``–`` if not finite."""
    if not np.isfinite(x):
        return "–"
    return f"{x:,.3g}" if abs(x) < 100 else f"{x:,.0f}"


# ---------------------------------------------------------------- fonts
_CJK_FONTS = (
    "Noto Sans CJK",
    "Noto Serif CJK",
    "Source Han",
    "WenQuanYi",
    "SimHei",
    "SimSun",
    "Microsoft YaHei",
    "PingFang",
    "Heiti",
    "AR PL",
    "Droid Sans Fallback",
)
_CJK_FILES = ("cjk", "wqy", "sourcehan", "simhei", "simsun", "msyh", "droidsansfallback")


def label_font(lang: str) -> str | None:
    """Font family the texts of language ``lang`` need: a CJK font for ``"zh"``, none for ``"en"``.

    Raises
    ------
    InputError
        On a language other than ``"en"`` and ``"zh"``.
    SitingError
        With ``"zh"`` when no CJK font is installed.
    """
    if lang not in LANGUAGES:
        raise InputError(f"unknown label language {lang!r}; use 'en' or 'zh'")
    return cjk_font() if lang == "zh" else None


def cjk_font() -> str:
    """Family name of an installed font with Chinese glyphs.

    Raises
    ------
    SitingError
        When there is none; the message says how to install one.
    """
    from matplotlib import font_manager

    def find() -> str | None:
        names = sorted({f.name for f in font_manager.fontManager.ttflist})
        return next((n for n in names if any(n.startswith(c) for c in _CJK_FONTS)), None)

    name = find()
    if name is None:  # fonts installed after matplotlib built its font cache
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name.lower() for k in _CJK_FILES):
                font_manager.fontManager.addfont(path)
        name = find()
    if name is None:
        raise SitingError(
            "lang='zh' needs a font with Chinese glyphs and none is installed; install one "
            "(Debian/Ubuntu: `apt-get install fonts-wqy-microhei` or `fonts-noto-cjk`) or use lang='en'"
        )
    return name
