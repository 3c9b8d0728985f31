"""Tests of siting.maps.interactive: the interactive map's HTML, and the HTML
opened in headless Chromium with no network."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import matplotlib
import pytest

from siting import maps

from .helpers import PROVINCES, assert_not_blank

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


# ------------------------------------------------------------------ explore()
def test_explore_is_standalone_html(edwc, tmp_path):
    import folium

    fmap = maps.explore(edwc)
    assert isinstance(fmap, folium.Map)
    path = tmp_path / "map.html"
    fmap.save(str(path))
    text = path.read_text(encoding="utf-8")
    assert "<script src=" not in text and "<link " not in text  # nothing fetched
    assert "Leaflet 1.9.4" in text
    assert text.count('"className": "siting-province"') >= 1
    for province in ("Inner Mongolia", "Guangdong"):
        assert province in text
    assert "内蒙古" in text or json.dumps("内蒙古") in text  # Chinese name in the tooltip
    assert "Demand [MW]" in text and "RTT:" in text  # province and flow tooltips


def test_explore_tiles_are_optional(edwc):
    text = maps.explore(edwc, tiles="OpenStreetMap").get_root().render()
    assert "tile.openstreetmap.org" in text


def test_explore_without_folium_says_how_to_install(edwc, monkeypatch):
    monkeypatch.setitem(sys.modules, "folium", None)
    with pytest.raises(ImportError, match=r'pip install "siting\[interactive\]"'):
        maps.explore(edwc)


# ------------------------------------------------------------------ browser
@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian chromium + chromium-driver (/usr/bin/chromium); .ci/run installs them"
)
def test_explore_renders_in_headless_chromium(edwc, tmp_path):
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    path = tmp_path / "map.html"
    maps.explore(edwc).save(str(path))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"):
        options.add_argument(arg)
    options.add_argument("--window-size=1200,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.get(path.as_uri())
        try:
            WebDriverWait(driver, 20).until(
                lambda d: d.execute_script(
                    "return document.querySelectorAll('path.siting-province').length > 0"
                    " && document.querySelector('.leaflet-zoom-anim') === null"
                )
            )
        except TimeoutException:
            pytest.fail(f"the map did not render in 20 s; browser console: {driver.get_log('browser')}")
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        # one SVG path per province, each bound to its own province's feature
        names = driver.execute_script(
            """
            const map = window[document.querySelector('.folium-map').id];
            const names = [];
            map.eachLayer(l => {
                if (l.feature && l._path && l._path.isConnected
                    && l._path.classList.contains('siting-province')) names.push(l.feature.properties.province);
            });
            return names;
            """
        )
        assert len(driver.find_elements("css selector", ".leaflet-overlay-pane svg path.siting-province")) == 31
        assert sorted(names) == sorted(PROVINCES)
        n_sites = len(driver.find_elements("css selector", "path.siting-site"))
        assert n_sites == len(edwc.sites)
        png = driver.get_screenshot_as_png()
    finally:
        driver.quit()
    (tmp_path / "screenshot.png").write_bytes(png)
    rgb = matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3]
    assert_not_blank(rgb, min_colours=30)
