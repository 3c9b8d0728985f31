"""Workloads to IT power: the accelerator catalogue and the first-principles
energy of inference, training and deployed fleets.

:class:`Inference` (queries x Wh per query, or tokens x J per token),
:class:`Training` (accelerators x power x days, or FLOPs / achieved
throughput) and :class:`Fleet` (accelerators x power x utilization) each give
``it_power_mw`` [MW], ``energy_mwh_per_day`` and ``energy_mwh_per_year``
[MWh], IT only, before facility overhead (:mod:`siting.demand.facility`).
Power ratings come from the catalogue :func:`accelerators`;
:data:`US_HOUSEHOLD_KWH_PER_DAY` is a yardstick for the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from siting.datasets import bundle
from siting.datasets.validation import Column, check_table
from siting.errors import InputError

__all__ = [
    "ACCELERATOR_COLUMNS",
    "US_HOUSEHOLD_KWH_PER_YEAR",
    "US_HOUSEHOLD_KWH_PER_DAY",
    "accelerators",
    "accelerator_power_w",
    "Inference",
    "Training",
    "Fleet",
]

HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365.0
HOURS_PER_YEAR = 8760.0
SECONDS_PER_DAY = 86_400.0

#: Average annual electricity use of a U.S. residential utility customer
#: [kWh/yr]: 10,715 kWh in 2020 (U.S. EIA, FAQ "How much electricity does an
#: American home use?", https://www.eia.gov/tools/faqs/faq.php?id=97,
#: updated 2021-10-07).
US_HOUSEHOLD_KWH_PER_YEAR = 10_715.0
#: The same per day [kWh/day], 29.4; the New Yorker (Kolbert, 2024-03) used
#: "29 kWh a day" for its "ChatGPT = 17,000 households" comparison.
US_HOUSEHOLD_KWH_PER_DAY = US_HOUSEHOLD_KWH_PER_YEAR / DAYS_PER_YEAR

#: Schema of :func:`accelerators`.
ACCELERATOR_COLUMNS: tuple[Column, ...] = (
    Column("kind", "str", choices=("accelerator", "server", "pc"), description="chip, whole server or PC"),
    Column("vendor", "str", description="manufacturer"),
    Column("power_w", "float", min=0, description="rated (maximum) power [W]"),
    Column(
        "peak_tflops_16bit",
        "float",
        min=0,
        nan_ok=True,
        description="peak dense FP16/BF16 throughput [TFLOPS]",
    ),
    Column("year", "int", min=1990, max=2100, description="year of release"),
    Column("status", "str", choices=("sourced", "derived", "estimate"), description="provenance"),
    Column("source", "str", description="where the figures come from"),
)

# --------------------------------------------------------------------------
# catalogue


def accelerators(data: str | Path | pd.DataFrame | None = None, *, encoding: str | None = None) -> pd.DataFrame:
    """Catalogue of AI accelerators, servers and PCs with their power.

    Parameters
    ----------
    data : path or DataFrame, optional
        The user's own catalogue with a ``name`` column (or index) and the
        columns of :data:`ACCELERATOR_COLUMNS`. Default: the bundled
        ``accelerators.csv``.
    encoding : str, optional
        Text encoding of the user's file (e.g. ``"gbk"``); default UTF-8.

    Returns
    -------
    pandas.DataFrame
        Index ``name`` (e.g. ``"H100"``, ``"HGX A100"``); columns ``kind``
        (accelerator / server / pc), ``vendor``, ``power_w`` [W] (rated
        maximum), ``peak_tflops_16bit`` [TFLOPS] (dense FP16/BF16, NaN if
        unknown), ``year``, ``status`` and ``source``.

    Raises
    ------
    InputError
        On a missing column or value, a negative power or a duplicated name.
    """
    df, table = bundle.table_arg(data, "accelerators.csv", encoding)
    out = check_table(df, ACCELERATOR_COLUMNS, table, index="name")
    out.index.name = "name"
    return out


def _norm(name: str) -> str:
    return "".join(ch for ch in str(name).lower() if ch.isalnum())


def _lookup(name: str, catalogue: pd.DataFrame | None = None) -> pd.Series:
    """Row of the catalogue for ``name`` (case, spaces and dashes ignored)."""
    cat = accelerators() if catalogue is None else catalogue
    matches = [n for n in cat.index if _norm(n) == _norm(name)]
    if not matches:
        raise InputError(f"unknown accelerator {name!r}; valid names: {list(cat.index)}")
    return cat.loc[matches[0]]


def accelerator_power_w(name: str) -> float:
    """Rated power of a catalogue entry.

    Parameters
    ----------
    name : str
        A name of :func:`accelerators` (case, spaces and dashes are ignored:
        ``"hgx-a100"`` finds ``"HGX A100"``).

    Returns
    -------
    float
        Rated maximum power [W].

    Raises
    ------
    InputError
        If the name is unknown; the message lists the valid names.
    """
    return float(_lookup(name)["power_w"])


# --------------------------------------------------------------------------
# workloads


def _check_number(value: float, what: str, *, positive: bool = False) -> float:
    """Return ``value`` as a finite float >= 0 (> 0 if ``positive``)."""
    try:
        x = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what}: {value!r} is not a number") from exc
    if not np.isfinite(x):
        raise InputError(f"{what}: {value!r} is not a finite number")
    if x < 0:
        raise InputError(f"{what}: {x:g} is negative; expected a number {'>' if positive else '>='} 0")
    if positive and x == 0:
        raise InputError(f"{what}: 0 is not allowed; expected a number > 0")
    return x


def _check_utilization(value: float, what: str) -> float:
    x = _check_number(value, what)
    if not 0 < x <= 1:
        raise InputError(f"{what}: {x:g} is outside (0, 1]; utilization is average / rated power")
    return x


def _set(obj: object, name: str, value: float) -> None:
    """Store a validated (coerced) value on a frozen dataclass."""
    object.__setattr__(obj, name, value)


class _Workload:
    """Energy accessors shared by the workloads (from ``it_power_mw``)."""

    it_power_mw: float

    @property
    def energy_mwh_per_day(self) -> float:
        """IT energy per day of operation [MWh/day]."""
        return self.it_power_mw * HOURS_PER_DAY

    @property
    def energy_mwh_per_year(self) -> float:
        """IT energy per year of continuous operation [MWh/yr]."""
        return self.it_power_mw * HOURS_PER_YEAR


@dataclass(frozen=True)
class Inference(_Workload):
    """A served inference load: queries per day x energy per query.

    Parameters
    ----------
    queries_per_day : float
        Requests served per day [1/day], >= 0.
    wh_per_query : float
        IT energy per request [Wh], >= 0.

    Notes
    -----
    ``energy_mwh_per_day = queries_per_day * wh_per_query / 1e6`` and
    ``it_power_mw = energy_mwh_per_day / 24``. De Vries (2023, Joule 7(10))
    used 13 M daily users x 15 requests = 195 M requests at 2.9 Wh (about
    564 MWh/day); newer per-query estimates are 0.3 Wh (Epoch AI 2025,
    GPT-4o), 0.34 Wh (OpenAI 2025) and 0.24 Wh (Google 2025, Gemini median).

    Examples
    --------
    >>> round(Inference(queries_per_day=195e6, wh_per_query=2.9).energy_mwh_per_day, 1)
    565.5
    """

    queries_per_day: float
    wh_per_query: float

    def __post_init__(self) -> None:
        _set(self, "queries_per_day", _check_number(self.queries_per_day, "Inference: queries_per_day"))
        _set(self, "wh_per_query", _check_number(self.wh_per_query, "Inference: wh_per_query"))

    @classmethod
    def from_tokens(cls, queries_per_day: float, tokens_per_query: float, j_per_token: float) -> Inference:
        """Inference load from tokens generated and energy per token.

        Parameters
        ----------
        queries_per_day : float
            Requests per day [1/day].
        tokens_per_query : float
            Tokens processed per request [-].
        j_per_token : float
            IT energy per token [J].

        Returns
        -------
        Inference
            With ``wh_per_query = tokens_per_query * j_per_token / 3600``.
        """
        tokens = _check_number(tokens_per_query, "Inference: tokens_per_query")
        joules = _check_number(j_per_token, "Inference: j_per_token")
        return cls(queries_per_day=queries_per_day, wh_per_query=tokens * joules / 3600.0)

    @property
    def it_power_mw(self) -> float:
        """Average IT power [MW]."""
        return self.queries_per_day * self.wh_per_query / 1e6 / HOURS_PER_DAY


def _power_w(accelerator: str | None, power_w: float | None, what: str) -> float:
    if power_w is not None:
        if accelerator is not None:
            _lookup(accelerator)
        return _check_number(power_w, f"{what}: power_w", positive=True)
    if accelerator is None:
        raise InputError(f"{what}: give an accelerator name of accelerators() or power_w")
    return float(_lookup(accelerator)["power_w"])


@dataclass(frozen=True)
class Fleet(_Workload):
    """A deployed fleet of accelerators (or servers, or PCs).

    Parameters
    ----------
    accelerator : str or None
        A name of :func:`accelerators` (its rated ``power_w`` is used unless
        ``power_w`` is given); None requires ``power_w``.
    count : float
        Number of units, >= 0.
    utilization : float
        Average power as a fraction of rated power, in (0, 1].
    power_w : float, optional
        Power per unit [W], overriding the catalogue.

    Notes
    -----
    ``it_power_mw = count * power_w * utilization / 1e6``.

    Examples
    --------
    An H100 SXM (700 W) at 61 % average utilization, Churnock (Microsoft,
    2023): about 3,740 kWh a year.

    >>> round(Fleet("H100", count=1, utilization=0.61).energy_mwh_per_year, 3)
    3.741
    """

    accelerator: str | None
    count: float
    utilization: float = 1.0
    power_w: float | None = None

    def __post_init__(self) -> None:
        _set(self, "count", _check_number(self.count, "Fleet: count"))
        _set(self, "utilization", _check_utilization(self.utilization, "Fleet: utilization"))
        power = _power_w(self.accelerator, self.power_w, "Fleet")
        if self.power_w is not None:
            _set(self, "power_w", power)

    @property
    def unit_power_w(self) -> float:
        """Rated power per unit [W]."""
        return _power_w(self.accelerator, self.power_w, "Fleet")

    @property
    def it_power_mw(self) -> float:
        """Average IT power [MW]."""
        return self.count * self.unit_power_w * self.utilization / 1e6


@dataclass(frozen=True)
class Training(_Workload):
    """A training run: accelerators x power x duration.

    Parameters
    ----------
    accelerator : str or None
        A name of :func:`accelerators`; None requires ``power_w``.
    count : float
        Number of accelerators, >= 0.
    days : float
        Duration of the run [days], > 0.
    power_w : float, optional
        Average power per accelerator [W], e.g. measured system power per
        accelerator including host, memory and network (Patterson et al.
        2021 report 330 W per V100 for GPT-3). Default: the catalogue's rated
        power.
    utilization : float
        Average power as a fraction of ``power_w``, in (0, 1].

    Notes
    -----
    ``it_power_mw = count * power_w * utilization / 1e6`` while the run
    lasts; ``energy_mwh = it_power_mw * 24 * days``. ``energy_mwh_per_year``
    is that power over a full year (a cluster kept busy by successive runs).
    Facility energy is ``facility_power(energy_mwh, pue)``.

    Examples
    --------
    GPT-3 (Patterson et al. 2021, Table 4): 10,000 V100 at 330 W for 14.8
    days, PUE 1.10, 1,287 MWh:

    >>> run = Training("V100", count=10_000, days=14.8, power_w=330)
    >>> round(run.energy_mwh * 1.10)
    1289
    """

    accelerator: str | None
    count: float
    days: float
    power_w: float | None = None
    utilization: float = 1.0

    def __post_init__(self) -> None:
        _set(self, "count", _check_number(self.count, "Training: count"))
        _set(self, "days", _check_number(self.days, "Training: days", positive=True))
        _set(self, "utilization", _check_utilization(self.utilization, "Training: utilization"))
        power = _power_w(self.accelerator, self.power_w, "Training")
        if self.power_w is not None:
            _set(self, "power_w", power)

    @classmethod
    def from_flops(
        cls,
        flops: float,
        accelerator: str | None,
        count: float,
        hardware_efficiency: float,
        power_w: float | None = None,
        utilization: float = 1.0,
        peak_tflops: float | None = None,
    ) -> Training:
        """Training run whose duration follows from its compute.

        Parameters
        ----------
        flops : float
            Total training compute [FLOP].
        accelerator : str or None
            A name of :func:`accelerators` (for ``peak_tflops_16bit`` and
            ``power_w``); None requires ``peak_tflops`` and ``power_w``.
        count : float
            Number of accelerators, > 0.
        hardware_efficiency : float
            Achieved / peak throughput, in (0, 1] (model FLOPs utilization);
            GPT-3 on V100: 24.6 / 125 TFLOPS = 0.197 (Patterson et al. 2021).
        power_w : float, optional
            Average power per accelerator [W]; default the rated power.
        utilization : float
            Average power as a fraction of ``power_w``, in (0, 1].
        peak_tflops : float, optional
            Peak throughput per accelerator [TFLOPS], overriding the
            catalogue.

        Returns
        -------
        Training
            With ``days = flops / (count * peak * efficiency) / 86400``.
        """
        total = _check_number(flops, "Training: flops", positive=True)
        n = _check_number(count, "Training: count", positive=True)
        eff = _check_utilization(hardware_efficiency, "Training: hardware_efficiency")
        if peak_tflops is None:
            if accelerator is None:
                raise InputError("Training.from_flops: give an accelerator name or peak_tflops")
            peak_tflops = float(_lookup(accelerator)["peak_tflops_16bit"])
            if np.isnan(peak_tflops):
                raise InputError(
                    f"Training.from_flops: accelerator {accelerator!r} has no peak_tflops_16bit in "
                    "the catalogue; pass peak_tflops"
                )
        peak = _check_number(peak_tflops, "Training: peak_tflops", positive=True)
        days = total / (n * peak * 1e12 * eff) / SECONDS_PER_DAY
        return cls(accelerator, count, days, power_w=power_w, utilization=utilization)

    @property
    def it_power_mw(self) -> float:
        """IT power while the run lasts [MW]."""
        return self.count * _power_w(self.accelerator, self.power_w, "Training") * self.utilization / 1e6

    @property
    def energy_mwh(self) -> float:
        """IT energy of the whole run [MWh]."""
        return self.it_power_mw * HOURS_PER_DAY * self.days
