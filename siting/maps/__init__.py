"""Regional maps of results and inputs: static figures and an interactive map.

- :mod:`siting.maps.static`: matplotlib maps of a result, of two side by side and of inputs; files.
- :mod:`siting.maps.interactive`: the interactive folium map of a result, standalone HTML.
- :mod:`siting.maps.values`: province values of a result or input column, and flow end points.
- :mod:`siting.maps.overlays`: batteries (squares beside their sites) and UHV corridors (lines) on the static maps.
- :mod:`siting.maps.legends`: the colour bar and the legends of the static maps.
- :mod:`siting.maps.labels`: site labels placed beside their markers, and province names.
- :mod:`siting.maps.projection`: the Albers equal-area projection :data:`CRS` of the static maps.
- :mod:`siting.maps.style`: colours, the colour map of each quantity (:data:`COLORMAPS`), size and
  colour scales, labels with units, the texts in English and Chinese, fonts.
"""

from __future__ import annotations

from siting.maps.interactive import explore
from siting.maps.projection import CRS
from siting.maps.static import compare, plot, plot_provinces, save
from siting.maps.style import COLORMAPS, ROLE_COLORS, WORKLOAD_COLORS

__all__ = [
    "CRS",
    "COLORMAPS",
    "ROLE_COLORS",
    "WORKLOAD_COLORS",
    "plot",
    "plot_provinces",
    "compare",
    "save",
    "explore",
]
