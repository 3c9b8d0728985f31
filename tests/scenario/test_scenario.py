"""The scenario value: derived quantities and the time slicing it asks for."""

from __future__ import annotations

import pytest


def test_pue_caps_apply(edwc_avg):
    pue = edwc_avg.site_pue
    capped = edwc_avg.sites["pue_max"].notna()
    assert (pue[capped] <= edwc_avg.sites.loc[capped, "pue_max"] + 1e-12).all()
    assert (edwc_avg.replace(pue_caps=False).site_pue >= pue - 1e-12).all()


def test_representative_days_keep_annual_means(edwc_avg):
    from siting.model.build import time_slices

    days = edwc_avg.replace(resolution="days", representative_days=6)
    slices = time_slices(days)
    assert slices.weight_h.sum() == 8760
    assert len(slices) == 6 * 24
    re = days.re_profiles
    for site in ("Horinger", "Shanghai"):
        for tech in ("solar", "wind"):
            weighted = (slices.values[f"{site}|{tech}"] * slices.weight_h).sum() / 8760
            assert weighted == pytest.approx(re[(site, tech)].mean(), rel=1e-9)
            assert slices.values[f"{site}|{tech}"].max() <= 1.0
