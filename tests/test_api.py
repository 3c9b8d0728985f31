"""The public surface: names exist, `import siting` stays light, star-import works."""

from __future__ import annotations

import subprocess
import sys

import siting


def test_all_names_exist():
    for name in siting.__all__:
        assert getattr(siting, name) is not None, name


def test_star_import():
    namespace: dict = {}
    exec("from siting import *", namespace)
    assert {"Scenario", "solve", "Result", "InputError"} <= set(namespace)


def test_import_is_light():
    code = (
        "import sys, siting; heavy = [m for m in ('matplotlib', 'folium', 'dask', 'distributed', 'geopandas', 'selenium')"
        " if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_errors_are_value_errors():
    assert issubclass(siting.InputError, ValueError)
    assert issubclass(siting.InfeasibleError, siting.SitingError)
