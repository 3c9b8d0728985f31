"""The Result value: plain DataFrames and a summary, picklable, no solver objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from siting.result.io import read_dir, write_dir
from siting.scenario import Scenario
from siting.timeseries import resolution_label

__all__ = ["Result", "CORRIDOR_RESULT_COLUMNS"]

#: Columns of :attr:`Result.corridors`.
CORRIDOR_RESULT_COLUMNS = ("sending_province", "receiving_province", "capacity_mw", "mw", "peak_flow_mw", "sent_mwh",
                           "delivered_mwh", "loss_mwh", "cost_cny")


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
        Index ``site``; the site's ``province``, ``lat``, ``lon`` [deg],
        ``role``, ``kind``, ``hub``, ``local_only``, then:

        - ``it_capacity_mw`` built, ``it_capacity_max_mw`` its limit [MW],
          ``capacity_binds`` (True where the limit is reached);
        - ``it_load_mw`` average IT load [MW], ``it_energy_mwh`` and
          ``energy_mwh`` (facility, with PUE) [MWh/yr];
        - ``grid_mwh`` bought from the grid, ``renewable_mwh`` of contracted
          renewables used, ``curtailed_mwh`` contracted but unused [MWh/yr];
        - ``solar_mw``, ``wind_mw`` contracted [MW];
        - costs ``capex_cny`` (facility), ``solar_cny``, ``wind_cny``,
          ``energy_cny`` (grid), ``carbon_cny``, ``network_cny``,
          ``fixed_cny`` (MILP open-site cost), ``total_cny`` [CNY/yr];
        - ``emissions_t`` [tCO2/yr], ``water_m3`` [m3/yr], ``green_share``
          (renewables used plus the grid's renewable part, of facility
          energy) [0..1], ``pue`` [-]; in MILP mode ``open`` (0/1).
    dispatch : pandas.DataFrame
        Per site and time slice: ``site``, ``slice``, ``weight_h`` (hours
        the slice stands for) [h], ``it_mw``, ``grid_mw``, ``renewable_mw``
        (used), ``renewable_available_mw``, ``flex_mw`` (time-shifted load)
        [MW].
    summary : siting.result.table.Summary
        A :class:`pandas.Series` of floats (``summary["cost_total_cny"]``
        is a float, arithmetic gives plain Series) that prints as a small
        table in readable units with thousands separators (``153.8 bn
        CNY/yr``, ``237,682,147 MWh/yr (237.7 TWh/yr)``, ``65.0 Mt
        CO2/yr``, ``67.2 %``) under a header with the time resolution
        (``summary.attrs["resolution"]``) and, when known, the method
        (``attrs["method"]``). Totals: ``cost_<component>_cny`` and
        ``cost_total_cny`` [CNY/yr], ``demand_it_mw``, ``it_capacity_mw``, ``solar_mw``, ``wind_mw``
        [MW], ``it_energy_mwh``, ``energy_mwh``, ``grid_mwh``,
        ``renewable_mwh``, ``curtailed_mwh`` [MWh/yr], ``emissions_t``
        [tCO2/yr], ``water_m3`` [m3/yr], ``green_share``,
        ``contracted_renewable_share``, ``west_share`` (of capacity),
        ``west_load_share`` [0..1], ``mean_pue`` [-],
        ``cost_cny_per_mwh_it`` [CNY/MWh], and per class ``w``
        ``rtt_mean_ms_<w>``, ``rtt_max_ms_<w>`` (demand-weighted) [ms] and
        ``west_share_<w>`` [0..1].
    duals : pandas.DataFrame
        Columns ``kind``, ``key``, ``value``, ``unit``: ``kind="demand"``,
        key ``origin/workload``: the marginal cost of serving one more MW
        there [CNY per MW-yr]; ``kind="policy"``: shadow prices of the policy
        rows (green shares [CNY per percentage point, or per MWh of green
        energy at a site], western share [CNY per percentage point], water
        [CNY per m3], emissions cap [CNY per tCO2]); ``kind="capacity"``,
        key ``site``: the value of one more MW of buildable IT capacity at
        the site [CNY per MW-yr] (non-zero where ``capacity_binds``).
        Empty in MILP mode.
    solver : str
        ``"highs"`` or ``"cbc"``.
    timings : dict
        ``build_s`` and ``solve_s`` [s]; with Benders also ``benders_iterations`` and ``benders_gap``.
    method : str
        ``"direct"`` (the whole LP in the solver) or ``"benders"``
        (:mod:`siting.model.benders`); see also :attr:`resolution`.
    corridors : pandas.DataFrame
        Per UHV corridor used (``corridors=True``; empty otherwise), index
        ``corridor``: ``sending_province``, ``receiving_province``,
        ``capacity_mw`` (usable for new contracts) [MW], ``mw`` (solar and
        wind contracted over it) [MW], ``peak_flow_mw`` (largest flow in
        any slice) [MW], ``sent_mwh``, ``delivered_mwh``, ``loss_mwh``
        [MWh/yr], ``cost_cny`` (capex of the contracted plants and the
        transmission tariff) [CNY/yr].
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
    method: str = "direct"
    corridors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CORRIDOR_RESULT_COLUMNS))

    @property
    def resolution(self) -> str:
        """The time resolution and weather the result was computed with, in words.

        For example ``"12 representative days, weather year 0"``, or
        ``"8760 hours, user profiles"`` when the profiles came from a table.
        """
        scn = self.scenario
        weather = "user profiles" if scn.weather_year is None else f"weather year {scn.weather_year}"
        return f"{resolution_label(scn.resolution, scn.representative_days)}, {weather}"

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"Result({self.scenario.name!r}, status={self.status!r}, cost={s['cost_total_cny'] / 1e9:,.2f} bn CNY/yr, "
            f"emissions={s['emissions_t'] / 1e6:,.2f} Mt/yr, green_share={s['green_share']:.1%}, "
            f"west_share={s['west_share']:.1%}; {self.resolution}, {self.method})"
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
