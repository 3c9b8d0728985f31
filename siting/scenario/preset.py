"""Named scenarios built from the bundled data (:meth:`Scenario.preset`, :func:`presets`).

``all-sites``
    Every candidate site (10 national clusters and 31 capitals) may serve any
    province.
``east-data-west-computing``
    The 10 national clusters serve the nation under their hub rules (PUE
    caps); each provincial capital stays available as a *local edge* site
    that serves only its own province.
``east-only``
    The clusters of the eastern (demand-side) hubs and the capitals of the
    NBS eastern provinces serve the nation; the other capitals are local
    edge sites only. The counterfactual of building the new capacity where
    the users are.

Keeping a local edge in every province is what keeps the latency-critical
class feasible everywhere: no cluster is within a 20 ms round trip of
Urumqi or Lhasa.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from siting import datasets
from siting.errors import InputError

__all__ = ["presets", "preset"]

#: A site selection: (bundled sites, provinces) -> (sites kept, those of them that are local edge only).
Selection = Callable[[pd.DataFrame, pd.DataFrame], tuple[pd.Index, list[str]]]


def _select_all(sites: pd.DataFrame, provinces: pd.DataFrame) -> tuple[pd.Index, list[str]]:
    """Every site, none local only."""
    return sites.index, []


def _select_edwc(sites: pd.DataFrame, provinces: pd.DataFrame) -> tuple[pd.Index, list[str]]:
    """Every site; the capitals are local edge sites."""
    capitals = sites.index[sites["kind"] == "capital"]
    return sites.index, list(capitals)


def _select_east(sites: pd.DataFrame, provinces: pd.DataFrame) -> tuple[pd.Index, list[str]]:
    """Eastern clusters and eastern capitals serve the nation; other capitals are local edge sites."""
    region = provinces.loc[sites["province"], "region"].to_numpy()
    national = ((sites["kind"] == "cluster") & (sites["role"] == "east")) | (
        (sites["kind"] == "capital") & (region == "east")
    )
    local = (sites["kind"] == "capital") & ~national
    return sites.index[national | local], list(sites.index[local])


#: Each preset's site selection and the parameters it sets.
_PRESETS: dict[str, tuple[Selection, dict[str, Any]]] = {
    "all-sites": (_select_all, {"pue_caps": False}),
    "east-data-west-computing": (_select_edwc, {"pue_caps": True}),
    "east-only": (_select_east, {"pue_caps": True}),
}


def presets() -> list[str]:
    """Names of the bundled scenario presets."""
    return sorted(_PRESETS)


def preset(cls: type[Scenario], name: str, **changes: Any) -> Scenario:
    """A named scenario built from the bundled data.

    Parameters
    ----------
    name : {"all-sites", "east-data-west-computing", "east-only"}
        See :mod:`siting.scenario.preset`.
    **changes
        Passed to :meth:`from_data` (fields, shortcuts and the demand
        options ``year``, ``trajectory``, ``key``); not ``name``,
        ``sites``, ``provinces`` or ``local_only``, which the preset sets.

    Returns
    -------
    Scenario

    Raises
    ------
    InputError
        On an unknown preset or a change the preset does not take.
    """
    if not isinstance(name, str) or name not in _PRESETS:
        raise InputError(f"unknown preset {name!r}; presets are {sorted(_PRESETS)}")
    fixed = sorted(set(changes) & {"name", "sites", "provinces", "local_only"})
    if fixed:
        raise InputError(
            f"preset {name!r}: {fixed[0]!r} cannot be changed, the preset sets it; build your own scenario "
            "with Scenario.from_data, or rename one with .replace(name=...)"
        )
    select, parameters = _PRESETS[name]
    all_sites = datasets.sites()
    keep, local = select(all_sites, datasets.provinces())
    return cls.from_data(name, sites=all_sites.loc[keep], local_only=local, **{**parameters, **changes})
