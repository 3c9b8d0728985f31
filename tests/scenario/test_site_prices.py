"""A site's own grid price (its tariff zone) overrides its province's; missing values fall back to it."""

from __future__ import annotations

import pytest

import siting


def test_site_price_overrides_province(edwc_avg):
    prov = siting.datasets.provinces()["electricity_price_cny_per_kwh"]
    price = edwc_avg.sites["electricity_price_cny_per_kwh"]
    # Shaoguan lies in Guangdong's 粤北山区 zone: -0.0896 CNY/kWh on the provincial T&D charge
    assert price["Shaoguan"] - prov["Guangdong"] == pytest.approx(-0.0896, abs=1e-4)
    assert price["Guangzhou"] - prov["Guangdong"] == pytest.approx(0.0237, abs=1e-4)
    # sites without a zone price take their province's
    assert price["Shijiazhuang"] == pytest.approx(prov["Hebei"])
    assert price["Horinger"] == pytest.approx(prov["Inner Mongolia"])
    assert price["Zhangjiakou"] < prov["Hebei"]
