"""Style shared by the static and the interactive maps: colours, scales, labels, fonts.

- colours of sites (:data:`ROLE_COLORS`) and flows (:data:`WORKLOAD_COLORS`,
  :func:`workload_colors`), of provinces without data and of unused sites;
- the colour scale of a choropleth (:func:`color_norm`) and the size scale
  of markers and flow lines (:class:`SizeScale`);
- display labels with units of result and input columns (:func:`label`)
  and number formatting (:func:`fmt`);
- label languages, English or Chinese, and the CJK font Chinese labels need
  (:func:`label_font`).

:class:`ResultLike` lists what the maps read of a result; a
:class:`siting.Result` is one.
"""

from __future__ import annotations

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


class ResultLike(Protocol):
    """What the maps read of a result (:class:`siting.Result` is one)."""

    @property
    def scenario(self) -> ScenarioLike:
        """The scenario solved."""

    @property
    def sites(self) -> pd.DataFrame:
        """Per candidate site, indexed by name: ``province``, ``role``, ``lat``,
        ``lon`` [deg], ``it_capacity_mw`` [MW] and further result columns."""

    @property
    def allocation(self) -> pd.DataFrame:
        """Per flow: ``origin``, ``site``, ``workload``, ``it_mw`` [MW],
        ``rtt_ms`` [ms], ``distance_km`` [km]."""


# ---------------------------------------------------------------- colours
#: Marker colour of east (demand-side) and west (resource-side) sites.
ROLE_COLORS: dict[str, str] = {"east": "#c0392b", "west": "#1f5fa6"}

#: Flow colour of the bundled workload classes; other classes get colours
#: from matplotlib's ``Dark2`` palette.
WORKLOAD_COLORS: dict[str, str] = {"interactive": "#e7298a", "near_realtime": "#7570b3", "batch": "#d95f02"}

#: Fill of a province without a value.
NO_DATA_COLOR = "#e6e6e6"

#: Edge of a candidate site left empty.
UNUSED_COLOR = "#7f7f7f"


def workload_colors(workloads: list[str]) -> dict[str, str]:
    """Flow colour of each workload class, in the order given."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    palette = colormaps["Dark2"].colors
    extra = iter(to_hex(c) for c in palette if to_hex(c) not in WORKLOAD_COLORS.values())
    return {w: WORKLOAD_COLORS.get(w) or next(extra) for w in workloads}


def as_colormap(cmap: str | Colormap) -> Colormap:
    """A colour map given by its matplotlib name or as itself."""
    from matplotlib import colormaps

    return colormaps[cmap] if isinstance(cmap, str) else cmap


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
    """

    def __init__(self, capacity_max_mw: float, flow_max_mw: float, min_flow_mw: float) -> None:
        self.capacity_max_mw = max(capacity_max_mw, 1e-9)
        self.flow_max_mw = max(flow_max_mw, 1e-9)
        self.min_flow_mw = min_flow_mw

    @classmethod
    def of(cls, results: Sequence[ResultLike], min_flow_mw: float) -> SizeScale:
        """The scale fitting the largest site and flow of all ``results``."""
        cap = max(float(r.sites["it_capacity_mw"].max()) for r in results)
        flow = max(float(r.allocation["it_mw"].max()) if len(r.allocation) else 0.0 for r in results)
        return cls(cap, flow, min_flow_mw)

    def area(self, mw: float | np.ndarray) -> np.ndarray:
        """Marker area [pt²] ∝ IT capacity [MW]."""
        return _MARKER_AREA_PT2 * np.asarray(mw, dtype=float) / self.capacity_max_mw

    def width(self, mw: float | np.ndarray) -> np.ndarray:
        """Line width [pt] ∝ MW served, from the thinnest visible width up."""
        lo, hi = _FLOW_WIDTH_PT
        return lo + (hi - lo) * np.asarray(mw, dtype=float) / self.flow_max_mw


# ---------------------------------------------------------------- labels
_LABELS: dict[str, str] = {
    "it_capacity_mw": "IT capacity",
    "it_load_mw": "IT load",
    "it_energy_mwh": "IT energy",
    "energy_mwh": "Facility energy",
    "grid_mwh": "Grid energy",
    "renewable_mwh": "Contracted renewable energy",
    "curtailed_mwh": "Curtailed renewable energy",
    "solar_mw": "Contracted solar",
    "wind_mw": "Contracted wind",
    "total_cny": "Total cost",
    "capex_cny": "Data-center capital cost",
    "energy_cny": "Grid energy cost",
    "carbon_cny": "Carbon cost",
    "network_cny": "Network cost",
    "emissions_t": "Emissions",
    "water_m3": "Water use",
    "green_share": "Green share",
    "pue": "PUE",
    "electricity_price_cny_per_kwh": "Electricity price",
    "grid_ef_t_co2_per_mwh": "Grid emission factor",
    "renewable_share": "Renewable share of generation",
    "solar_cf": "Solar capacity factor",
    "wind_cf": "Wind capacity factor",
    "mean_temp_c": "Mean air temperature",
    "water_stress": "Water stress",
    "population_million": "Population",
    "gdp_billion_cny": "Gross regional product",
}
# column suffix (or name part), displayed unit and factor from the column's unit to it
_UNITS: tuple[tuple[str, str, float], ...] = (
    ("_cny_per_kwh", "CNY/kWh", 1.0),
    ("_t_co2_per_mwh", "tCO2/MWh", 1.0),
    ("_billion_cny", "bn CNY", 1.0),
    ("_million", "million", 1.0),
    ("_mwh", "TWh/yr", 1e-6),
    ("_mw", "MW", 1.0),
    ("_gw", "GW", 1.0),
    ("_cny", "bn CNY/yr", 1e-9),
    ("_m3", "million m³/yr", 1e-6),
    ("_t", "Mt CO2/yr", 1e-6),
    ("_temp_c", "°C", 1.0),
    ("_c", "°C", 1.0),
    ("_ms", "ms", 1.0),
    ("_km", "km", 1.0),
    ("_pct", "%", 1.0),
    ("_cf", "%", 100.0),
    ("share", "%", 100.0),
    ("water_stress", "score 0-5", 1.0),
    ("pue", "-", 1.0),
)


def label(column: str) -> tuple[str, float]:
    """Display label of a column with its unit, and the factor from the column's unit to it.

    For example ``label("emissions_t")`` is ``("Emissions [Mt CO2/yr]", 1e-6)``.
    """
    unit, factor, stem = "", 1.0, column
    for suffix, u, f in _UNITS:
        if column.endswith(suffix):
            unit, factor = u, f
            stem = column.removesuffix(suffix) if suffix.startswith("_") else column
            break
    name = _LABELS.get(column, stem.replace("_", " ").capitalize())
    return (f"{name} [{unit}]" if unit else name), factor


def fmt(x: float) -> str:
    """A number for a tooltip or legend: 3 significant digits below 100, else whole; ``–`` if not finite."""
    if not np.isfinite(x):
        return "–"
    return f"{x:,.3g}" if abs(x) < 100 else f"{x:,.0f}"


# ---------------------------------------------------------------- languages and fonts
#: Languages of province labels: English names or Chinese (``name_zh``).
LANGUAGES = ("en", "zh")

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
    """Font family the labels of language ``lang`` need: a CJK font for ``"zh"``, none for ``"en"``.

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
