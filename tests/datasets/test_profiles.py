"""The user's hourly profiles: values, timestamps, columns and files."""

from __future__ import annotations

import pandas as pd
import pytest

from siting import datasets
from siting.errors import InputError


@pytest.fixture(scope="module")
def two_sites() -> pd.DataFrame:
    prof = datasets.profiles()
    return prof.loc[:, prof.columns.get_level_values("location").isin(["Wuhu", "Zhongwei"])]


def test_a_text_in_a_profile_file_is_named_by_line_and_column(tmp_path, two_sites):
    # used to be "could not convert string to float: 'x'"
    bad = two_sites.astype(object)
    bad.iloc[5, 1] = "x"
    bad.to_csv(tmp_path / "p.csv")  # three header lines: location, technology, time
    with pytest.raises(InputError, match=r"^p.csv: line 9, column \('Wuhu', 'wind'\): 'x' is not a number; "
                                         r"expected a capacity factor in \[0, 1\]$"):
        datasets.profiles(tmp_path / "p.csv")


def test_a_two_header_line_file_is_numbered_from_its_third_line(tmp_path, two_sites):
    bad = two_sites.copy()
    bad.iloc[0, 0] = 2.0
    text = bad.to_csv().splitlines()
    del text[2]  # the line of the index name ("time")
    (tmp_path / "p.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"p.csv: line 3, column \('Wuhu', 'solar'\): 2 is above 1"):
        datasets.profiles(tmp_path / "p.csv")


def test_a_header_only_file_has_0_rows(tmp_path, two_sites):
    # used to be reported as 8759 rows
    two_sites.iloc[:0].to_csv(tmp_path / "p.csv")
    with pytest.raises(InputError, match=r"^p.csv: 0 rows; expected 8760"):
        datasets.profiles(tmp_path / "p.csv")


def test_profile_file_times_become_china_standard_time(tmp_path, two_sites):
    # a CSV-read index stayed text and Scenario.to_yaml failed on it ('Index' object has no attribute 'strftime')
    naive = two_sites.copy()
    naive.index = naive.index.tz_localize(None).strftime("%Y/%m/%d %H:%M")  # as a spreadsheet writes it
    naive.to_csv(tmp_path / "naive.csv")
    two_sites.to_csv(tmp_path / "aware.csv")  # +08:00 offsets
    for name in ("naive.csv", "aware.csv"):
        prof = datasets.profiles(tmp_path / name)
        assert isinstance(prof.index, pd.DatetimeIndex) and str(prof.index.tz) == "Asia/Shanghai"
        assert prof.index[0] == pd.Timestamp("2023-01-01 00:00", tz="Asia/Shanghai")
        pd.testing.assert_frame_equal(prof, datasets.profiles(two_sites), check_exact=True)


def test_identical_repeated_or_unreadable_times_are_refused(tmp_path, two_sites):
    same = two_sites.copy()
    same.index = pd.DatetimeIndex([two_sites.index[0]] * len(two_sites))  # unnamed: two header lines
    same.to_csv(tmp_path / "same.csv")
    with pytest.raises(InputError, match=r"^same.csv: line 4: timestamp 2023-01-01 00:00:00\+08:00 appears more "
                                         r"than once \(first at line 3\); expected 8760 consecutive hours"):
        datasets.profiles(tmp_path / "same.csv")
    text = two_sites.copy()
    text.index = text.index.strftime("%Y-%m-%d %H:%M").where(text.index.hour != 7, "seven")
    text.to_csv(tmp_path / "text.csv")
    with pytest.raises(InputError, match=r"text.csv: line 11: 'seven' is not a timestamp"):
        datasets.profiles(tmp_path / "text.csv")
    with pytest.raises(InputError, match=r"row 0: 0 is not a timestamp"):
        datasets.profiles(two_sites.reset_index(drop=True))


def test_times_that_are_not_consecutive_hours_are_refused(two_sites):
    half = two_sites.copy()
    half.index = pd.date_range("2023-01-01", periods=len(half), freq="30min", tz="Asia/Shanghai")
    with pytest.raises(InputError, match=r"row 2023-01-01 00:30:00\+08:00: timestamp 2023-01-01 00:30:00\+08:00 "
                                         r"follows 2023-01-01 00:00:00\+08:00; expected consecutive hours"):
        datasets.profiles(half)
    backwards = two_sites.iloc[::-1]
    with pytest.raises(InputError, match="expected consecutive hours"):
        datasets.profiles(backwards)


def test_a_repeated_or_unnamed_column_is_refused(tmp_path, two_sites):
    text = two_sites.to_csv().splitlines()
    text[1] = text[1].replace("wind", "solar", 1)  # Wuhu solar twice
    (tmp_path / "twice.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="twice.csv: location 'Wuhu' has column 'solar' more than once"):
        datasets.profiles(tmp_path / "twice.csv")
    text = two_sites.to_csv().splitlines()
    text[0] = text[0].replace("Zhongwei", "", 1)
    (tmp_path / "unnamed.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"unnamed.csv: column 4 has no location name \(header line 1\)"):
        datasets.profiles(tmp_path / "unnamed.csv")


def test_a_gbk_profile_file_says_how_to_read_it(tmp_path, two_sites):
    renamed = two_sites.rename(columns={"Wuhu": "芜湖"}, level="location")
    renamed.to_csv(tmp_path / "p.csv", encoding="gbk")
    with pytest.raises(InputError, match=r"p.csv: not UTF-8 text .*encoding='gbk'\) and pass the DataFrame"):
        datasets.profiles(tmp_path / "p.csv")
