"""The Result value: plain DataFrames and a summary, picklable, no solver objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from siting.result.io import read_dir, write_dir
from siting.scenario import Scenario

__all__ = ["Result"]


@dataclass(frozen=True, eq=False)
class Result:
    """Solution of one scenario.

    Attributes
    ----------
    scenario : Scenario
        The inputs that were solved.
    status : str
        ``"optimal"`` or ``"time_limit"`` (feasible, not proven optimal).
    objective_cny : float
        Total annual cost [CNY/yr].
    allocation : pandas.DataFrame
        One row per served (origin, site, workload): ``it_mw`` [MW],
        ``rtt_ms`` [ms], ``distance_km`` [km], ``it_energy_mwh`` and
        ``energy_mwh`` (facility, with PUE) [MWh/yr].
    sites : pandas.DataFrame
        Per site: ``it_capacity_mw``, ``it_load_mw`` [MW], ``energy_mwh``
        (facility), ``grid_mwh``, ``renewable_mwh`` (contracted renewables
        used), ``curtailed_mwh`` [MWh/yr], ``solar_mw``, ``wind_mw`` [MW],
        cost components ``capex_cny``, ``solar_cny``, ``wind_cny``,
        ``energy_cny``, ``carbon_cny``, ``network_cny``, ``total_cny``
        [CNY/yr], ``emissions_t`` [tCO2/yr], ``water_m3`` [m3/yr],
        ``green_share`` [0..1], ``pue`` [-].
    dispatch : pandas.DataFrame
        Per site and time slice: ``weight_h`` [h], ``it_mw``, ``grid_mw``,
        ``renewable_mw``, ``renewable_available_mw``, ``flex_mw`` [MW].
    summary : pandas.Series
        Totals: cost by component [CNY/yr], energy [MWh/yr], emissions
        [tCO2/yr], water [m3/yr], green and western shares [0..1], and
        demand-weighted mean and max RTT per class [ms].
    duals : pandas.DataFrame
        Marginal costs: ``marginal_cny_per_mw_year`` of serving one more MW
        per (origin, workload), and shadow prices of binding policy rows
        (``kind == "policy"``) in the units named in ``unit``.
    timings : dict
        ``build_s`` and ``solve_s`` [s]; with Benders also ``benders_iterations`` and ``benders_gap``.
    """

    scenario: Scenario
    status: str
    objective_cny: float
    allocation: pd.DataFrame
    sites: pd.DataFrame
    dispatch: pd.DataFrame
    summary: pd.Series
    duals: pd.DataFrame
    solver: str = "highs"
    timings: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"Result({self.scenario.name!r}, status={self.status!r}, cost={s['cost_total_cny'] / 1e9:,.2f} bn CNY/yr, "
            f"emissions={s['emissions_t'] / 1e6:,.2f} Mt/yr, green_share={s['green_share']:.1%}, "
            f"west_share={s['west_share']:.1%})"
        )

    @property
    def ok(self) -> bool:
        """True when the result is proven optimal."""
        return self.status == "optimal"

    # ------------------------------------------------------------ output
    def to_geodataframes(self):
        """Sites as points and served flows as lines, for GIS tools.

        Returns
        -------
        sites, flows : geopandas.GeoDataFrame
            EPSG:4326. ``sites`` is :attr:`sites` with point geometries;
            ``flows`` is :attr:`allocation` with a line from the origin
            (its provincial capital) to the site.
        """
        import geopandas as gpd
        from shapely import LineString

        from siting import datasets

        scn = self.scenario
        sites = gpd.GeoDataFrame(
            self.sites, geometry=gpd.points_from_xy(self.sites["lon"], self.sites["lat"]), crs=4326
        )
        prov = datasets.provinces()
        origin_xy = prov.reindex(self.allocation["origin"])[["lon", "lat"]].to_numpy()
        site_xy = scn.sites.reindex(self.allocation["site"])[["lon", "lat"]].to_numpy()
        lines = [LineString([tuple(a), tuple(b)]) for a, b in zip(origin_xy, site_xy)]
        flows = gpd.GeoDataFrame(self.allocation, geometry=lines, crs=4326)
        return sites, flows

    def to_dir(self, path: str | Path, maps: bool = True, overwrite: bool = False) -> Path:
        """Write the result to a folder, whole or not at all.

        Writes ``allocation.csv``, ``sites.csv``, ``dispatch.csv``,
        ``duals.csv``, ``summary.csv``, ``result.yaml`` (status, solver,
        objective, timings), ``result.gpkg`` (layers ``sites`` and
        ``flows`` for GIS tools), the scenario (``scenario.yaml`` and its
        tables) and, with ``maps=True``, ``map.png`` and, when
        folium is installed (``siting[interactive]``), ``map.html``
        (:mod:`siting.maps`); without folium a warning says the HTML map
        was skipped. Last comes ``manifest.json``, the SHA-256 of every
        file, which :meth:`from_dir` checks.

        The files are written into a temporary sibling folder that is
        renamed into place when complete, so an interrupted or failed write
        leaves the previous folder as it was.

        Parameters
        ----------
        path : str or Path
            Output folder (created if needed).
        maps : bool
            Also draw the static and interactive maps.
        overwrite : bool
            Replace a result already in ``path`` (no file of it remains).

        Returns
        -------
        pathlib.Path
            The folder.

        Raises
        ------
        InputError
            If ``path`` is a file, a non-empty folder that does not hold a
            siting result, or holds a result and ``overwrite`` is False; or
            if the folder cannot be created or written (then nothing is).
        """
        return write_dir(self, Path(path), maps=maps, overwrite=overwrite)

    @classmethod
    def from_dir(cls, path: str | Path) -> Result:
        """Read a result folder written by :meth:`to_dir`, exactly as solved.

        Nothing is re-solved: the scenario comes from ``scenario.yaml``,
        the solution from the CSV tables and ``result.yaml``.

        Parameters
        ----------
        path : str or Path
            The folder.

        Returns
        -------
        Result

        Raises
        ------
        InputError
            If the folder or one of its files is missing, or a file differs
            from the checksum ``manifest.json`` recorded when it was written
            (a mixed, truncated or edited folder).
        """
        return cls(**read_dir(Path(path)))
