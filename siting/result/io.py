"""A result folder: write every table, the scenario and the maps; read them back exactly."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from siting.errors import InputError
from siting.result.table import Summary, describe_resolution
from siting.scenario import Scenario

__all__ = ["RESULT_FILES", "MANIFEST", "write_dir", "read_dir"]

#: The manifest: every file of the folder with its SHA-256, written last.
MANIFEST = "manifest.json"
#: Files :meth:`Result.to_dir` always writes and :meth:`Result.from_dir` reads.
RESULT_FILES = ("allocation.csv", "sites.csv", "dispatch.csv", "duals.csv", "corridors.csv", "summary.csv", "result.yaml",
                "scenario.yaml")


def write_dir(result: Any, target: Path, maps: bool = True, overwrite: bool = False) -> Path:
    """Write ``result`` (a :class:`~siting.result.Result`) to folder ``target``, whole or not at all.

    Everything is written into a temporary sibling folder, a manifest with
    the SHA-256 of every file last; the folder is then renamed into place.
    An interruption leaves the old folder (or none) and a hidden temporary
    one, never a mix. See :meth:`Result.to_dir`.
    """
    _check_target(target, overwrite)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.writing-", dir=target.parent))
    except OSError as exc:  # a parent is a file, no permission, ...
        raise InputError(f"{target}: cannot create the result folder ({exc}); choose another folder") from exc
    try:
        _write_files(result, tmp, maps)
        _write_manifest(tmp)
        _replace(tmp, target)
    except OSError as exc:  # disk full, permission denied: nothing was replaced
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(f"{target}: cannot write the result ({exc}); nothing was written") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _check_target(target: Path, overwrite: bool) -> None:
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: is a file; Result.to_dir needs a folder path")
    if not target.is_dir() or not any(target.iterdir()):
        return
    if not (target / MANIFEST).is_file() and not (target / "result.yaml").is_file():
        raise InputError(
            f"{target}: folder is not empty and does not hold a siting result; "
            "write the result into a new or empty folder"
        )
    if not overwrite:
        raise InputError(
            f"{target}: already holds a result; pass overwrite=True (CLI: --overwrite) to replace it"
        )


def _replace(tmp: Path, target: Path) -> None:
    """Move the finished folder ``tmp`` to ``target``, removing an old result there."""
    if not target.exists():
        tmp.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _write_files(result: Any, out: Path, maps: bool) -> None:
    result.allocation.to_csv(out / "allocation.csv", index=False)
    result.sites.to_csv(out / "sites.csv")
    result.dispatch.to_csv(out / "dispatch.csv", index=False)
    result.duals.to_csv(out / "duals.csv", index=False)
    result.corridors.to_csv(out / "corridors.csv", index_label="corridor")
    result.summary.rename("value").to_csv(out / "summary.csv", index_label="metric")
    meta = {"status": result.status, "solver": result.solver, "method": result.method,
            "resolution": result.resolution, "objective_cny": float(result.objective_cny),
            "timings": {k: float(v) for k, v in result.timings.items()}}
    (out / "result.yaml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    sites, flows = result.to_geodataframes()
    gpkg = out / "result.gpkg"
    gpkg.unlink(missing_ok=True)
    sites.reset_index().to_file(gpkg, layer="sites", driver="GPKG")
    if len(flows):
        flows.to_file(gpkg, layer="flows", driver="GPKG")
    result.scenario.to_yaml(out / "scenario.yaml")
    if maps:
        from siting import maps as _maps

        _maps.save(result, out / "map.png")
        if importlib.util.find_spec("folium") is None:
            warnings.warn(
                "map.html not written: the interactive map needs folium "
                '(pip install "siting[interactive]")',
                RuntimeWarning,
                stacklevel=2,
            )
        else:
            _maps.explore(result).save(str(out / "map.html"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_manifest(folder: Path) -> None:
    files = {p.name: _sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}
    doc = {"format": "siting result", "version": 1, "files": files}
    (folder / MANIFEST).write_text(json.dumps(doc, indent=1), encoding="utf-8")


def _check_manifest(folder: Path) -> None:
    """Refuse a folder whose files are not the ones its manifest lists."""
    path = folder / MANIFEST
    if not path.is_file():
        raise InputError(f"{folder}: not a result folder written by Result.to_dir (no {MANIFEST})")
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{folder}: {MANIFEST} is damaged ({exc}); write the result again") from exc
    for name in RESULT_FILES:
        if name not in files:
            raise InputError(f"{folder}: not a result folder written by Result.to_dir ({MANIFEST} lists no {name})")
    for name, digest in files.items():
        file = folder / name
        if not file.is_file():
            raise InputError(f"{folder}: {name} is missing; the folder is incomplete, write the result again")
        if _sha256(file) != digest:
            raise InputError(
                f"{folder}: {name} was changed after the result was written (checksum differs from "
                f"{MANIFEST}); the folder mixes results, write the result again"
            )


def read_dir(folder: Path) -> dict[str, Any]:
    """The fields of the :class:`~siting.result.Result` stored in ``folder``; see :meth:`Result.from_dir`."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder (expected a folder written by Result.to_dir)")
    try:
        return _read_fields(folder)
    except OSError as exc:  # no permission to read, a file that vanished
        raise InputError(f"{folder}: cannot read the result ({exc})") from exc


def _read_fields(folder: Path) -> dict[str, Any]:
    """The fields of the result in ``folder``, after its manifest is checked."""
    _check_manifest(folder)
    meta = yaml.safe_load((folder / "result.yaml").read_text(encoding="utf-8")) or {}
    summary = pd.read_csv(folder / "summary.csv", index_col="metric")["value"].astype(float)
    summary.index.name = None
    scn = Scenario.from_yaml(folder / "scenario.yaml")
    return dict(
        scenario=scn,
        status=str(meta.get("status", "unknown")),
        objective_cny=float(meta.get("objective_cny", summary["cost_total_cny"])),
        allocation=pd.read_csv(folder / "allocation.csv"),
        sites=pd.read_csv(folder / "sites.csv", index_col="site"),
        dispatch=pd.read_csv(folder / "dispatch.csv"),
        summary=Summary(summary.rename(scn.name), resolution=meta.get("resolution") or describe_resolution(scn),
                        method=meta.get("method")),
        duals=pd.read_csv(folder / "duals.csv"),
        corridors=pd.read_csv(folder / "corridors.csv", index_col="corridor"),
        solver=str(meta.get("solver", "highs")),
        timings=dict(meta.get("timings", {})),
        method=str(meta.get("method", "direct")),
    )
