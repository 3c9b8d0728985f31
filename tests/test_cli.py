"""The `siting` command line, end to end in a subprocess, good and bad input."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

import siting
from siting.cli import main

ROOT = Path(__file__).resolve().parents[1]
EDWC_YAML = ROOT / "examples" / "scenarios" / "east-data-west-computing.yaml"


def cli(*args: str, cwd: Path | None = None, module: str = "siting.cli") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(siting.__file__).parents[1]), "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True,
                          timeout=300, env=env, cwd=cwd)


def error_line(proc: subprocess.CompletedProcess) -> str:
    """The one stderr line of a refused command (no traceback)."""
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("siting: error:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> Path:
    """A preset solved by `siting run` into a folder (one slice: fast)."""
    out = tmp_path_factory.mktemp("cli") / "edwc"
    proc = cli("run", "--preset", "east-data-west-computing", "--resolution", "average", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "total cost" in proc.stdout
    return out


# ---------------------------------------------------------------- help
@pytest.mark.parametrize(
    "command",
    [[], ["run"], ["map"], ["demand"], ["demand", "fleet"], ["demand", "inference"], ["demand", "training"],
     ["demand", "national"], ["demand", "accelerators"], ["datasets"], ["presets"]],
    ids=lambda c: " ".join(c) or "siting",
)
def test_help(command):
    proc = cli(*command, "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: siting")


def test_python_dash_m_siting_and_version():
    proc = cli("--version", module="siting")
    assert proc.returncode == 0 and proc.stdout.strip() == f"siting {siting.__version__}"


# ---------------------------------------------------------------- run and map
def test_run_writes_tables_and_maps(solved):
    for name in ("allocation.csv", "sites.csv", "dispatch.csv", "duals.csv", "summary.csv", "scenario.yaml", "map.png"):
        assert (solved / name).is_file(), name
    summary = pd.read_csv(solved / "summary.csv", index_col="metric")["value"]
    assert summary["demand_it_mw"] == pytest.approx(siting.demand.provincial_demand(2030)["it_mw"].sum())
    assert (solved / "map.html").is_file() == _has_folium()


def _has_folium() -> bool:
    try:
        import folium  # noqa: F401
    except ImportError:
        return False
    return True


def test_map_redraws_from_the_folder_without_solving(solved, tmp_path):
    target = tmp_path / "emissions.svg"
    proc = cli("map", str(solved), "--column", "emissions_t", "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    assert target.read_text().lstrip().startswith("<?xml")


@pytest.mark.slow
def test_run_yaml_scenario_as_shipped(tmp_path):
    proc = cli("run", str(EDWC_YAML), "-o", str(tmp_path / "out"), "--no-maps", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "total cost" not in proc.stdout  # --quiet
    scn = siting.Scenario.from_yaml(tmp_path / "out" / "scenario.yaml")
    assert scn.name == "east-data-west-computing" and scn.representative_days == 12  # as the preset


def test_run_with_set_and_days(tmp_path):
    proc = cli("run", "--preset", "all-sites", "--days", "2", "--set", "carbon_price_cny_per_t=300",
               "--no-maps", "-o", str(tmp_path / "o"))
    assert proc.returncode == 0, proc.stderr
    scn = siting.Scenario.from_yaml(tmp_path / "o" / "scenario.yaml")
    assert scn.carbon_price_cny_per_t == 300 and scn.representative_days == 2
    # the time reported is build + solve [s], not the Benders iteration count added on
    timings = yaml.safe_load((tmp_path / "o" / "result.yaml").read_text())["timings"]
    assert timings.get("benders_iterations", 0) >= 2  # the days mode ran Benders
    reported = float(re.search(r"solved in ([\d.]+) s", proc.stdout).group(1))
    assert reported == pytest.approx(timings["build_s"] + timings["solve_s"], abs=0.051)


# ---------------------------------------------------------------- bad input
def test_missing_file(tmp_path):
    proc = cli("run", str(tmp_path / "nowhere.yaml"))
    assert proc.returncode == 2
    assert "nowhere.yaml" in error_line(proc) and "not found" in error_line(proc)


def test_malformed_yaml(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("preset: [east-only\nparameters: {\n")
    proc = cli("run", str(bad))
    assert proc.returncode == 2
    assert "bad.yaml: malformed YAML" in error_line(proc)


def test_unknown_preset():
    proc = cli("run", "--preset", "west-only")
    assert proc.returncode == 2
    assert "unknown preset 'west-only'" in error_line(proc)


def test_unknown_parameter(tmp_path):
    proc = cli("run", "--preset", "east-only", "--set", "carbon_prize=3", "-o", str(tmp_path))
    assert proc.returncode == 2
    assert "carbon_prize" in error_line(proc)


def test_unknown_column_in_user_csv(tmp_path):
    sites = pd.read_csv(ROOT / "examples" / "data" / "my_sites.csv").rename(columns={"lat": "latitude"})
    sites.to_csv(tmp_path / "sites.csv", index=False)
    (tmp_path / "scn.yaml").write_text("sites: {file: sites.csv}\n")
    proc = cli("run", str(tmp_path / "scn.yaml"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    line = error_line(proc)
    assert "sites.csv" in line and "'lat'" in line


def test_unknown_map_column(solved):
    proc = cli("map", str(solved), "--column", "happiness")
    assert proc.returncode == 2
    assert "'happiness'" in error_line(proc)


def test_map_of_a_folder_that_is_not_a_result(tmp_path):
    proc = cli("map", str(tmp_path))
    assert proc.returncode == 2
    assert "not a result folder" in error_line(proc)


def test_infeasible_scenario_exits_1_with_a_diagnosis(tmp_path):
    proc = cli("run", "--preset", "east-only", "--resolution", "average", "--set", "west_share_min=0.9",
               "-o", str(tmp_path))
    assert proc.returncode == 1
    assert "west_share_min" in proc.stderr and "Traceback" not in proc.stderr


def test_argparse_errors_exit_2():
    proc = cli("run", "--days", "zero")
    assert proc.returncode == 2 and "--days" in proc.stderr


# ---------------------------------------------------------------- demand, datasets, presets
def test_demand_fleet():
    proc = cli("demand", "fleet", "--accelerator", "H100", "--count", "10000", "--utilization", "0.6", "--pue", "1.3")
    assert proc.returncode == 0, proc.stderr
    # 10,000 x 700 W x 0.6 = 4.2 MW of IT, 5.46 MW at PUE 1.3
    assert "4.20" in proc.stdout and "5.46" in proc.stdout


def test_demand_inference():
    proc = cli("demand", "inference", "--queries-per-day", "2e8", "--wh-per-query", "0.3")
    assert proc.returncode == 0, proc.stderr
    assert "2.50" in proc.stdout  # 2e8 x 0.3 Wh / 24 h = 2.5 MW


def test_demand_national_writes_a_demand_table(tmp_path):
    out = tmp_path / "demand.csv"
    proc = cli("demand", "national", "--year", "2030", "--trajectory", "iea-2025-base", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Guangdong" in proc.stdout and "China" in proc.stdout
    table = pd.read_csv(out)
    assert table["it_mw"].sum() == pytest.approx(siting.demand.provincial_demand(2030)["it_mw"].sum())


def test_demand_bad_input():
    proc = cli("demand", "fleet", "--accelerator", "H999", "--count", "3")
    assert proc.returncode == 2 and "H999" in error_line(proc)
    proc = cli("demand", "national", "--year", "2045")
    assert proc.returncode == 2 and "2045" in error_line(proc)


def test_datasets():
    proc = cli("datasets")
    assert proc.returncode == 0 and "sites.csv" in proc.stdout
    proc = cli("datasets", "boundaries.geojson")
    assert proc.returncode == 0 and "Natural Earth" in proc.stdout
    proc = cli("datasets", "nothing.csv")
    assert proc.returncode == 2 and "nothing.csv" in error_line(proc)


def test_presets():
    proc = cli("presets")
    assert proc.returncode == 0
    for name in siting.presets():
        assert name in proc.stdout


def test_quiet_prints_nothing():
    proc = cli("-q", "demand", "inference", "--queries-per-day", "1e6", "--wh-per-query", "1")
    assert proc.returncode == 0 and proc.stdout == ""


def test_main_in_process(capsys):
    assert main(["demand", "training", "--accelerator", "V100", "--count", "10000", "--days", "14.8",
                 "--power-w", "330", "--pue", "1.1"]) == 0
    assert "1,289" in capsys.readouterr().out  # Patterson et al. 2021: 1,287 MWh


def test_unwritable_output_is_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = cli("run", "--preset", "east-only", "--resolution", "average", "-o", str(blocker / "out"), "-q")
    assert proc.returncode == 2
    assert "file" in error_line(proc)


# ---------------------------------------------------------------- exit codes and one line
@pytest.mark.parametrize(
    ("error", "code"),
    [
        (siting.InputError("bad input"), 2),
        (siting.InfeasibleError("cannot be served:\n  - a cause"), 1),
        (siting.SolverNotAvailableError("no solver"), 3),
        (siting.SitingError("stopped at its time limit"), 3),
        (KeyboardInterrupt(), 130),
        (RuntimeError("a bug"), 3),
    ],
    ids=["input", "infeasible", "solver", "other", "interrupted", "internal"],
)
def test_each_kind_of_error_has_its_exit_code_and_one_line(monkeypatch, capsys, error, code):
    def fail(args):
        raise error

    monkeypatch.setattr("siting.cli._cmd_presets", fail)
    assert main(["presets"]) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 130:
        assert err == "siting: interrupted\n"
        return
    assert len([line for line in err.splitlines() if line.startswith("siting: error:")]) == 1
    if type(error) is RuntimeError:
        assert "internal error (RuntimeError: a bug); please report it, and rerun with --debug" in err
    assert main(["--debug", "presets"]) == code
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_debug_is_accepted_after_the_command_too(capsys):
    assert main(["datasets", "nothing.csv", "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.rstrip().splitlines()[-1].startswith("siting: error: unknown dataset")


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("demand_scale=abc", "demand_scale: 'abc' is not a finite number >= 0"),
        ("rtt_max_ms_interactive=abc", "rtt_max_ms_interactive: 'abc' is not a number of ms >= 0"),
        ("carbon_price_cny_per_t=[", "--set 'carbon_price_cny_per_t=[': '[' is not a value"),
        ("local_only=Wuhu", "'local_only' cannot be changed, the preset sets it"),
    ],
)
def test_a_set_value_of_the_wrong_kind_is_bad_input(tmp_path, capsys, setting, message):
    # --set demand_scale=abc used to end in a traceback and exit code 1
    argv = ["run", "--preset", "east-only", "--resolution", "average", "--set", setting, "-o", str(tmp_path / "o")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and message in err


def test_a_time_limit_must_be_positive(capsys):
    # --time-limit -1 used to be accepted and gave a result 12 % off the optimum
    assert main(["run", "--preset", "east-only", "--time-limit", "-1"]) == 2
    assert "argument --time-limit: -1 is not a finite number > 0" in capsys.readouterr().err


def test_output_pointing_at_a_file_is_one_line(tmp_path):
    # used to be "[Errno 17] File exists"
    target = tmp_path / "result.txt"
    target.write_text("a file")
    proc = cli("run", "--preset", "east-only", "--resolution", "average", "--no-maps", "-q", "-o", str(target))
    assert proc.returncode == 2
    assert f"{target}: is a file; Result.to_dir needs a folder path" in error_line(proc)


def test_map_of_a_truncated_result_is_one_line(solved, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(solved, folder)
    sites = folder / "sites.csv"
    sites.write_bytes(sites.read_bytes()[:100])
    proc = cli("map", str(folder))
    assert proc.returncode == 2
    assert "sites.csv was changed after the result was written" in error_line(proc)


def test_a_preset_run_may_be_renamed(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["-q", "run", "--preset", "east-only", "--resolution", "average", "--set", "name=mine",
                 "--no-maps", "-o", str(out)]) == 0
    assert siting.Scenario.from_yaml(out / "scenario.yaml").name == "mine"


# ---------------------------------------------------------------- demand training: totals of the run (issue 15)
def _quantities(text: str) -> dict[str, tuple[float, str]]:
    """The 'quantity value unit' table of `siting demand ...` as {quantity: (value, unit)}."""
    out = {}
    for line in text.splitlines()[1:]:
        m = re.match(r"^(.*?)\s{2,}(-?[\d,]+\.\d+)\s+(\S+)\s*$", line)
        assert m, line
        out[m.group(1).strip()] = (float(m.group(2).replace(",", "")), m.group(3))
    return out


def test_training_prints_totals_of_the_run(capsys):
    # 1,000 H200 at the catalogue's 700 W for 30 days:
    # 1000 x 700 W = 0.7 MW; 0.7 MW x 30 d x 24 h = 504 MWh; at PUE 1.2: 0.84 MW and 604.8 MWh
    assert main(["demand", "training", "--accelerator", "H200", "--count", "1000", "--days", "30", "--pue", "1.2"]) == 0
    out = capsys.readouterr().out
    assert "per year" not in out and "MWh/yr" not in out and "per day" not in out
    q = _quantities(out)
    assert q["duration of the run"] == (30.0, "days")
    assert q["average power per accelerator"] == (700.0, "W")
    assert q["average IT power during the run"] == (0.70, "MW")
    assert q["IT energy of the run"] == (504.0, "MWh")
    assert q["average facility power at PUE 1.2"] == (0.84, "MW")
    assert q["facility energy of the run at PUE 1.2"] == (604.8, "MWh")


def test_training_totals_with_power_and_utilization(capsys):
    # GPT-3 (Patterson et al. 2021): 10,000 x 330 W x 14.8 d x 24 h = 1,172.16 MWh; x 1.1 = 1,289.376 MWh
    assert main(["demand", "training", "--accelerator", "V100", "--count", "10000", "--days", "14.8",
                 "--power-w", "330", "--pue", "1.1"]) == 0
    q = _quantities(capsys.readouterr().out)
    assert q["IT energy of the run"] == (1172.16, "MWh")
    assert q["facility energy of the run at PUE 1.1"] == (1289.38, "MWh")
    assert q["duration of the run"] == (14.8, "days")
    # 2,048 Ascend 910B at 400 W and 50 % for 10 days: 2048 x 200 W x 240 h = 98.304 MWh; no PUE, no facility rows
    assert main(["demand", "training", "--accelerator", "Ascend 910B", "--count", "2048", "--days", "10",
                 "--power-w", "400", "--utilization", "0.5"]) == 0
    q = _quantities(capsys.readouterr().out)
    assert q["average power per accelerator"] == (200.0, "W")
    assert q["average IT power during the run"] == (0.41, "MW")  # 0.4096
    assert q["IT energy of the run"] == (98.30, "MWh")
    assert not any(k.startswith("facility") or "PUE" in k for k in q)


# ---------------------------------------------------------------- siting map: a file per column, --cmap, --labels, --lang
def _has_cjk_font() -> bool:
    from siting.errors import SitingError
    from siting.maps import style

    try:
        style.cjk_font()
    except SitingError:
        return False
    return True


def test_map_writes_a_file_per_column_and_the_folder_still_reads(solved, tmp_path):
    folder = tmp_path / "edwc"
    shutil.copytree(solved, folder)
    run_map = (folder / "map.png").read_bytes()
    assert main(["-q", "map", str(folder), "--column", "emissions_t"]) == 0
    assert main(["-q", "map", str(folder)]) == 0
    emissions, capacity = folder / "map_emissions_t.png", folder / "map_it_capacity_mw.png"
    assert emissions.stat().st_size > 10_000 and capacity.stat().st_size > 10_000
    assert emissions.read_bytes() != capacity.read_bytes()  # neither overwrote the other
    assert (folder / "map.png").read_bytes() == run_map  # nor the map `siting run` wrote
    assert (folder / "map_emissions_t.html").is_file() == _has_folium()
    # maps beside the manifest do not spoil the folder
    assert siting.Result.from_dir(folder).summary.equals(siting.Result.from_dir(solved).summary)


def test_map_passes_cmap_labels_and_lang(solved, tmp_path, monkeypatch):
    calls = []
    save = siting.maps.save

    def spy(result, path, **kwargs):
        calls.append(kwargs)
        return save(result, path, **kwargs)

    monkeypatch.setattr(siting.maps, "save", spy)
    lang = "zh" if _has_cjk_font() else "en"
    target = tmp_path / "edwc.svg"
    argv = ["-q", "map", str(solved), "--column", "emissions_t", "--cmap", "Greys", "--labels", "--lang", lang,
            "-o", str(target)]
    assert main(argv) == 0
    assert calls == [{"column": "emissions_t", "cmap": "Greys", "labels": True, "lang": lang}]
    svg = target.read_text(encoding="utf-8")
    assert ("和林格尔" if lang == "zh" else ">Horinger<") in svg  # a site label, kept as text


def test_map_with_an_unknown_cmap_or_lang_is_bad_input(solved, capsys):
    assert main(["map", str(solved), "--cmap", "Redz"]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("siting: error:")]
    assert len(lines) == 1 and "Traceback" not in err
    assert "unknown colour map 'Redz'; use a matplotlib colour map name such as 'Reds'" in lines[0]
    assert main(["map", str(solved), "--lang", "fr"]) == 2
    assert "argument --lang: invalid choice: 'fr'" in capsys.readouterr().err


def test_map_help_names_the_file_of_each_column(capsys):
    assert main(["map", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "DIR/map_COLUMN.png" in out and "map_it_capacity_mw.png" in out
    assert "--cmap NAME" in out and "--labels" in out and "--lang {en,zh}" in out


def test_demand_output_folder_is_created(tmp_path):
    from siting.cli import main

    target = tmp_path / "output" / "demand.csv"
    assert main(["-q", "demand", "national", "--year", "2030", "-o", str(target)]) == 0
    table = pd.read_csv(target)
    assert table["it_mw"].sum() == pytest.approx(22268.3, abs=0.1)
