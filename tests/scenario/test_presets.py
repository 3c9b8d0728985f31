"""Presets: the site selections of the named scenarios."""

from __future__ import annotations

import pytest

import siting
from siting.errors import InputError
from siting.scenario import Scenario


def test_presets_select_sites():
    assert siting.presets() == ["all-sites", "east-data-west-computing", "east-only"]
    edwc = Scenario.preset("east-data-west-computing", resolution="average")
    national = edwc.sites[~edwc.sites["local_only"]]
    assert len(national) == 10 and (national["kind"] == "cluster").all()
    assert edwc.sites["local_only"].sum() == 31
    east = Scenario.preset("east-only", resolution="average")
    national = east.sites[~east.sites["local_only"]]
    assert (national["role"] == "east").all()
    assert "Horinger" not in east.sites.index and "Hohhot" in east.sites.index
    assert east.sites.loc["Hohhot", "local_only"]
    allsites = Scenario.preset("all-sites", resolution="average")
    assert len(allsites.sites) == 41 and not allsites.sites["local_only"].any()
    # the same national demand in every preset
    assert east.total_demand_mw == pytest.approx(edwc.total_demand_mw)
    with pytest.raises(InputError, match="unknown preset 'west-only'; presets are"):
        Scenario.preset("west-only")
