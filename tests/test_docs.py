"""The documentation site: `mkdocs build --strict` succeeds (a broken link or
cross-reference fails it), the gallery covers every example with small
figures, and the built pages work in headless Chromium."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GALLERY = DOCS / "gallery"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MAX_PNG_BYTES = 300_000


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site built once, with `mkdocs build --strict`, into a temporary folder."""
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip('mkdocs is not installed: pip install -e ".[docs]"')
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed (exit {proc.returncode}):\n{proc.stderr[-5000:]}"
    return out


def test_site_builds_strict(site):
    for page in ("index.html", "gallery/index.html", "api/solve.html", "cli.html", "data/sources.html", "changelog.html"):
        assert (site / page).is_file(), page
    # the CLI page is generated from the parser, the sources and changelog are included
    assert "siting run --help" in (site / "cli.html").read_text(encoding="utf-8")
    assert "sourced" in (site / "data/sources.html").read_text(encoding="utf-8")
    assert "Changelog" in (site / "changelog.html").read_text(encoding="utf-8")


def test_gallery_covers_every_example_with_small_figures():
    page = (GALLERY / "index.md").read_text(encoding="utf-8")
    for script in sorted((ROOT / "examples").glob("*.py")):
        assert f"examples/{script.name}" in page, f"no gallery section runs examples/{script.name}"
    pngs = sorted(GALLERY.glob("*.png"))
    assert pngs, "no figures in docs/gallery: run python docs/gallery/build.py"
    for png in pngs:
        assert png.stat().st_size < MAX_PNG_BYTES, f"{png.name}: {png.stat().st_size} bytes"
        assert f"({png.name})" in page, f"{png.name} is not shown on the gallery page"


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("needs Debian chromium + chromium-driver (/usr/bin/chromium); .ci/run installs them")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"):
        options.add_argument(arg)
    options.add_argument("--window-size=1200,900")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _open(driver, path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


@pytest.mark.browser
def test_gallery_images_load_in_chromium(site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, site / "gallery" / "index.html")
    images = "Array.from(document.querySelectorAll('article img'))"
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(f"return {images}.every(i => i.complete)"))
    loaded = browser.execute_script(f"return {images}.map(i => [i.getAttribute('src'), i.naturalWidth])")
    assert len(loaded) == len(list(GALLERY.glob("*.png"))), loaded
    broken = [src for src, width in loaded if not width]
    assert not broken, f"images that did not load: {broken}"


@pytest.mark.browser
def test_api_page_of_solve_in_chromium(site, browser):
    _open(browser, site / "api" / "solve.html")
    found = browser.execute_script(
        """
        const h = document.getElementById('siting.solve');
        if (!h) return null;
        const body = h.nextElementSibling && h.parentElement.querySelector('.doc-contents');
        const titles = Array.from(h.parentElement.querySelectorAll('.doc-section-title')).map(e => e.textContent);
        return {tag: h.tagName, heading: h.textContent, titles: titles, body: body ? body.textContent : ''};
        """
    )
    assert found is not None, "no element with id 'siting.solve' on api/solve.html"
    assert found["tag"].lower() in {"h1", "h2", "h3"}
    assert "siting.solve" in found["heading"]
    assert any(t.strip().startswith("Parameters") for t in found["titles"]), found["titles"]
    assert "scenario" in found["body"]
