"""YAML files: round trip of the complete form, recipes and malformed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import siting
from siting.errors import InputError
from siting.scenario import Scenario
from siting.scenario.validation import TABLES

ROOT = Path(__file__).resolve().parents[2]


def test_yaml_round_trip(tmp_path, edwc_avg):
    scn = edwc_avg.replace(carbon_price_cny_per_t=123.0, green_share_min=0.5, rtt_max_ms_interactive=15)
    path = scn.to_yaml(tmp_path / "s.yaml")
    again = Scenario.from_yaml(path)
    assert again.equals(scn)
    assert again.parameters == scn.parameters


def test_yaml_recipe_and_errors(tmp_path):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "name: test\npreset: east-only\ndemand: {year: 2028}\nrtt_max_ms: {interactive: 12}\n"
        "parameters: {resolution: average, carbon_price_cny_per_t: 50}\n"
    )
    scn = Scenario.from_yaml(recipe)
    assert scn.name == "test"
    assert scn.workloads.at["interactive", "rtt_max_ms"] == 12
    assert scn.carbon_price_cny_per_t == 50
    assert scn.total_demand_mw < Scenario.preset("east-only", resolution="average").total_demand_mw
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(InputError, match="bad.yaml: malformed YAML"):
        Scenario.from_yaml(bad)
    bad.write_text("preset: east-only\ncolour: blue\n")
    with pytest.raises(InputError, match="unknown key 'colour'"):
        Scenario.from_yaml(bad)
    with pytest.raises(InputError, match="file not found"):
        Scenario.from_yaml(tmp_path / "missing.yaml")


# ---------------------------------------------------------------- exact round trips
def test_user_profiles_from_csv_round_trip_bit_for_bit(tmp_path):
    # profiles read from a CSV crashed to_yaml ('Index' object has no attribute 'strftime') and were
    # written with %.6g (the objective moved by 345 CNY)
    sites = siting.datasets.sites().loc[["Horinger", "Zhongwei", "Beijing"]]
    bundled = siting.datasets.profiles()
    prof = bundled.loc[:, bundled.columns.get_level_values(0).isin(sites.index)]
    prof = prof * np.random.default_rng(7).uniform(0.5, 1.0, size=prof.shape)  # every digit counts
    prof.index = prof.index.tz_localize(None)  # times as a spreadsheet has them
    prof.to_csv(tmp_path / "mine.csv")
    scn = Scenario.from_data("mine", sites=sites, re_profiles=tmp_path / "mine.csv", resolution="days",
                             representative_days=2, rtt_max_ms_interactive=None, rtt_max_ms_near_realtime=None,
                             demand_scale=0.01)
    again = Scenario.from_yaml(scn.to_yaml(tmp_path / "s.yaml"))
    for table in TABLES:
        if getattr(scn, table) is None:
            assert getattr(again, table) is None
            continue
        pd.testing.assert_frame_equal(getattr(again, table), getattr(scn, table), check_exact=True)
    assert again.parameters == scn.parameters
    res = siting.solve(scn)
    back = siting.Result.from_dir(res.to_dir(tmp_path / "out", maps=False))
    assert back.objective_cny == res.objective_cny
    assert siting.solve(back.scenario).objective_cny == res.objective_cny


def test_profiles_are_written_in_their_shortest_exact_form(tmp_path, edwc_avg):
    # exact costs no more than the old %.6g where the data has no more digits (4 decimals, as measured data)
    scn = edwc_avg.replace(re_profiles=edwc_avg.re_profiles.round(4))
    path = scn.to_yaml(tmp_path / "s.yaml")
    exact = (tmp_path / "s.tables" / "re_profiles.csv.gz").stat().st_size
    rounded = scn.re_profiles.copy()
    rounded.index = rounded.index.strftime("%Y-%m-%d %H:%M:%S")
    rounded.to_csv(tmp_path / "rounded.csv.gz", float_format="%.6g")  # the format of the past
    assert exact < 1.02 * (tmp_path / "rounded.csv.gz").stat().st_size
    assert "text_columns" in yaml.safe_load(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- recipes refused
@pytest.mark.parametrize(
    ("text", "message"),
    [
        # each used to raise a raw TypeError, AttributeError or ValueError, or to pass unnoticed
        ("preset: east-only\nparameters: [a, b]\n", r"r.yaml: 'parameters' must be a mapping of parameter: value, got list"),
        ("preset: east-only\nrtt_max_ms: [20, 50]\n", r"r.yaml: 'rtt_max_ms' must be a mapping of workload class to ms"),
        ("name: [a, b]\npreset: east-only\n", r"r.yaml: 'name' must be a text \(the label of the scenario\), got \['a', 'b'\]"),
        ("preset: east-only\nparameters: {sites: x.csv}\n", r"unknown parameter 'sites'; give it as a top-level key"),
        ("preset: east-only\nparameters: {carbon_price: 3}\n", r"r.yaml: parameters: unknown parameter 'carbon_price'"),
        ("preset: east-only\nlocal_only: [Wuhu]\n", r"give either 'preset' or 'local_only', not both"),
        ("preset: 3\n", r"'preset' must be the name of a preset, got 3"),
        ("preset: east-only\ndemand: {year: 2030, colour: red}\n", r"unknown demand option 'colour'"),
        ("preset: east-only\nrtt_max_ms: {interactive: fast}\n", r"r.yaml: rtt_max_ms_interactive: 'fast' is not a number"),
        ("preset: east-only\nparameters: {green_share_min: 2}\n", r"r.yaml: parameter green_share_min: 2 must be a share"),
        ("preset: east-only\ntables: {sites: s.csv}\n", r"'preset' cannot be combined with 'tables'"),
        ("tables: [sites.csv]\n", r"'tables' must map each table to the path of its CSV file"),
    ],
)
def test_recipe_values_of_the_wrong_kind_are_refused(tmp_path, text, message):
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        Scenario.from_yaml(tmp_path / "r.yaml")


def test_a_year_with_a_demand_file_is_refused_not_ignored(tmp_path):
    (tmp_path / "d.csv").write_bytes((ROOT / "examples" / "data" / "my_demand.csv").read_bytes())
    (tmp_path / "r.yaml").write_text("preset: east-only\ndemand: {file: d.csv, year: 2025}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"demand option 'year' applies only to the bundled trajectory"):
        Scenario.from_yaml(tmp_path / "r.yaml")
    (tmp_path / "r.yaml").write_text("preset: east-only\ndemand: {file: d.csv, colour: red}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"'demand' has unknown entry 'colour'; expected only 'file'"):
        Scenario.from_yaml(tmp_path / "r.yaml")


def test_local_only_as_one_name_is_that_site_not_its_letters(tmp_path):
    # used to be read letter by letter: "unknown site 'C'"
    siting.datasets.sites().loc[["Chengdu", "Tianfu", "Chongqing"]].to_csv(tmp_path / "s.csv")
    (tmp_path / "r.yaml").write_text("sites: {file: s.csv}\nlocal_only: Chengdu\n", encoding="utf-8")
    local = Scenario.from_yaml(tmp_path / "r.yaml").sites["local_only"]
    assert local.to_dict() == {"Chengdu": True, "Tianfu": False, "Chongqing": False}


def test_a_gbk_scenario_file_is_named_and_read_with_its_encoding(tmp_path):
    path = tmp_path / "东数西算.yaml"
    path.write_bytes("name: 东数西算\npreset: east-only\nparameters: {resolution: average}\n".encode("gbk"))
    with pytest.raises(InputError, match=r"东数西算.yaml: not UTF-8 text .*iconv -f GBK -t UTF-8"):
        Scenario.from_yaml(path)
    assert Scenario.from_yaml(path, encoding="gbk").name == "东数西算"
    path.write_bytes("\ufeffname: bom\npreset: east-only\n".encode("utf-8"))
    assert Scenario.from_yaml(path).name == "bom"


def test_a_folder_or_a_missing_table_file_is_named(tmp_path):
    # a folder used to be "file not found"
    with pytest.raises(InputError, match=f"^{tmp_path}: is a folder; expected a file$"):
        Scenario.from_yaml(tmp_path)
    (tmp_path / "r.yaml").write_text("sites: {file: .}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"r.yaml: 'sites' file .* is a folder; expected a CSV file"):
        Scenario.from_yaml(tmp_path / "r.yaml")
