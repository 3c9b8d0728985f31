"""Result folders are written whole or not at all, and a mixed or tampered folder is refused."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time

import geopandas as gpd
import pandas as pd
import pytest

import siting
from siting.errors import InputError
from siting.result.io import MANIFEST, RESULT_FILES


@pytest.fixture(scope="module")
def two_results():
    """Two solutions of one small scenario that differ in every cost table."""
    scn = siting.Scenario.preset("east-data-west-computing", resolution="average")
    return siting.solve(scn), siting.solve(scn.replace(carbon_price_cny_per_t=300.0))


def test_existing_result_is_replaced_only_with_overwrite_and_nothing_stale_remains(tmp_path, two_results):
    old, new = two_results
    out = old.to_dir(tmp_path / "r", maps=False)
    (out / "map.png").write_bytes(b"an old map")
    with pytest.raises(InputError, match="already holds a result; pass overwrite=True"):
        new.to_dir(out, maps=False)
    assert siting.Result.from_dir(out).objective_cny == old.objective_cny
    new.to_dir(out, maps=False, overwrite=True)
    assert not (out / "map.png").exists()
    assert siting.Result.from_dir(out).objective_cny == new.objective_cny
    # no temporary folder is left beside it
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


def test_targets_that_are_not_result_folders_are_refused(tmp_path, two_results):
    old, _ = two_results
    file = tmp_path / "a_file"
    file.write_text("x")
    with pytest.raises(InputError, match="is a file"):
        old.to_dir(file, maps=False)
    other = tmp_path / "my_documents"
    other.mkdir()
    (other / "thesis.tex").write_text("x")
    with pytest.raises(InputError, match="not empty and does not hold a siting result"):
        old.to_dir(other, maps=False, overwrite=True)
    assert (other / "thesis.tex").read_text() == "x"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert siting.Result.from_dir(old.to_dir(empty, maps=False)).objective_cny == old.objective_cny


def test_round_trip_is_exact_bit_for_bit(tmp_path, two_results):
    old, _ = two_results
    again = siting.Result.from_dir(old.to_dir(tmp_path / "r", maps=False))
    pd.testing.assert_frame_equal(again.sites, old.sites, check_exact=True, check_dtype=False)
    pd.testing.assert_frame_equal(again.dispatch, old.dispatch, check_exact=True, check_dtype=False)
    pd.testing.assert_frame_equal(again.allocation, old.allocation, check_exact=True, check_dtype=False)
    pd.testing.assert_series_equal(again.summary, old.summary, check_exact=True, check_dtype=False)
    assert again.objective_cny == old.objective_cny


@pytest.mark.parametrize("name", RESULT_FILES)
def test_a_tampered_or_missing_file_is_refused(tmp_path, two_results, name):
    old, _ = two_results
    out = old.to_dir(tmp_path / "r", maps=False)
    with (out / name).open("a", encoding="utf-8") as fh:
        fh.write("\n")
    with pytest.raises(InputError, match=f"{name} was changed after the result was written"):
        siting.Result.from_dir(out)
    (out / name).unlink()
    with pytest.raises(InputError, match=f"{name} is missing"):
        siting.Result.from_dir(out)


def test_a_folder_without_manifest_is_refused(tmp_path, two_results):
    old, _ = two_results
    out = old.to_dir(tmp_path / "r", maps=False)
    (out / MANIFEST).unlink()
    with pytest.raises(InputError, match=f"no {MANIFEST}"):
        siting.Result.from_dir(out)


def _writers(monkeypatch, fail_at: int) -> list[str]:
    """Make the ``fail_at``-th file write of to_dir raise KeyboardInterrupt; return the calls seen."""
    calls: list[str] = []
    targets = [(pd.DataFrame, "to_csv"), (pd.Series, "to_csv"), (gpd.GeoDataFrame, "to_file"),
               (siting.Scenario, "to_yaml")]
    import pathlib

    targets.append((pathlib.Path, "write_text"))
    for owner, attr in targets:
        original = getattr(owner, attr)

        def wrapper(self, *args, _original=original, _name=f"{owner.__name__}.{attr}", **kwargs):
            calls.append(_name)
            if len(calls) == fail_at:
                raise KeyboardInterrupt
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(owner, attr, wrapper)
    return calls


def test_a_write_interrupted_at_each_file_leaves_the_old_result(tmp_path, two_results, monkeypatch):
    old, new = two_results
    out = old.to_dir(tmp_path / "r", maps=False)
    with monkeypatch.context() as m:
        calls = _writers(m, fail_at=0)
        new.to_dir(tmp_path / "probe", maps=False)
    n_writes = len(calls)
    assert n_writes >= len(RESULT_FILES)
    for k in range(1, n_writes + 1):
        with monkeypatch.context() as m:
            _writers(m, fail_at=k)
            with pytest.raises(KeyboardInterrupt):
                new.to_dir(out, maps=False, overwrite=True)
        back = siting.Result.from_dir(out)
        assert back.objective_cny == old.objective_cny, f"interrupted at write {k}"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["probe", "r"]


@pytest.mark.slow
def test_a_killed_writer_leaves_the_old_or_the_new_result(tmp_path, two_results):
    """SIGKILL a process in the middle of ``to_dir(overwrite=True)`` at many moments."""
    old, new = two_results
    out = old.to_dir(tmp_path / "r", maps=False)
    blob = tmp_path / "new.pickle"
    blob.write_bytes(pickle.dumps(new))
    child = (
        "import pickle, sys; import siting; res = pickle.loads(open(sys.argv[1], 'rb').read());"
        "print('ready', flush=True); res.to_dir(sys.argv[2], maps=False, overwrite=True)"
    )
    seen = set()
    for delay_s in (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5):
        proc = subprocess.Popen([sys.executable, "-c", child, str(blob), str(out)], stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(delay_s)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        back = siting.Result.from_dir(out)
        assert back.objective_cny in (old.objective_cny, new.objective_cny)
        seen.add(back.objective_cny)
        if back.objective_cny == new.objective_cny:
            old.to_dir(out, maps=False, overwrite=True)
    assert old.objective_cny in seen


def test_a_folder_that_cannot_be_created_is_an_input_error(tmp_path, two_results):
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    with pytest.raises(InputError, match=r"file/out: cannot create the result folder \(.*\); choose another folder"):
        two_results[0].to_dir(blocker / "out", maps=False)
