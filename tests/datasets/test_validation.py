"""The checks every table goes through: file lines, row labels, cells, known names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siting.datasets.bundle import read_user_csv
from siting.datasets.validation import Column, check_cells, check_known, check_table, where
from siting.errors import InputError

SCHEMA = (Column("name", "str"), Column("mw", "float", min=0), Column("days", "int", min=1, max=365))


def test_a_file_row_is_named_by_the_line_an_editor_shows(tmp_path):
    # used to be "row 2", the 0-based position of the row in the table
    path = tmp_path / "plants.csv"
    path.write_text("# my plants\nname,mw,days\nA,1,10\n\nB,2,20\nC,-3,30\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^plants.csv: line 6, column 'mw': -3 is negative; expected a number >= 0$"):
        check_table(read_user_csv(path), SCHEMA, "plants")


def test_a_dataframe_row_is_named_by_its_label():
    df = pd.DataFrame({"name": ["A", "B"], "mw": [1.0, 2.0], "days": [10, 400]}, index=["x", "y"])
    with pytest.raises(InputError, match=r"^plants: row 'y', column 'days': 400 is above the maximum 365; "
                                         r"expected a whole number in \[1, 365\]$"):
        check_table(df, SCHEMA, "plants")


def test_lines_follow_the_index_column_and_are_dropped_when_rows_move(tmp_path):
    path = tmp_path / "plants.csv"
    path.write_text("name,mw,days\nA,1,10\nB,2,1.5\n", encoding="utf-8")
    table = read_user_csv(path)
    with pytest.raises(InputError, match=r"plants.csv: line 3, column 'days': 1.5 is not a whole number"):
        check_table(table, SCHEMA[1:], "plants", index="name")
    shuffled = table.iloc[::-1]  # no longer the file's order: named by label, still by the file
    with pytest.raises(InputError, match=r"plants.csv: row 1, column 'days'"):
        check_table(shuffled, SCHEMA, "plants")
    assert where(table, 1) == "line 3" and where(table.set_index("name"), 1) == "row 'B'"


def test_tables_without_rows_repeated_columns_and_keys_are_refused(tmp_path):
    with pytest.raises(InputError, match=r"plants: the table has no rows \(only a header\)"):
        check_table(pd.DataFrame(columns=["name", "mw", "days"]), SCHEMA, "plants")
    twice = pd.DataFrame([["A", 1.0, 2]], columns=["name", "mw", "mw"])
    with pytest.raises(InputError, match="column 'mw' appears more than once"):
        check_table(twice, SCHEMA, "plants")
    path = tmp_path / "plants.csv"
    path.write_text("name,mw,days\nA,1,10\nB,2,20\nA,3,30\n,4,40\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 4, column 'name': 'A' appears more than once \(first at line 2\)"):
        check_table(read_user_csv(path).iloc[:3], SCHEMA[1:], "plants", index="name")


def test_a_text_or_a_list_in_a_number_column_is_named():
    df = pd.DataFrame({"name": ["A", "B"], "mw": [1.0, [2.0]], "days": [1, 2]}, dtype=object)
    with pytest.raises(InputError, match=r"row 1, column 'mw': \[2.0\] is not a number"):
        check_table(df, SCHEMA, "plants")


def test_cells_of_a_matrix_name_row_column_and_value(tmp_path):
    path = tmp_path / "rtt.csv"
    path.write_text("origin,A,B\nBeijing,1,x\nShanghai,2,3\n", encoding="utf-8")
    m = read_user_csv(path, index_col=0)
    with pytest.raises(InputError, match=r"^rtt.csv: line 2, column 'B': 'x' is not a number; expected ms$"):
        check_cells(m, "rtt_ms", "ms")
    m = pd.DataFrame([[1.0, np.nan], [np.inf, 2.0]], index=["P", "Q"], columns=["A", "B"])
    with pytest.raises(InputError, match=r"rtt_ms: row 'Q', column 'A': inf is infinite"):
        check_cells(m, "rtt_ms", "ms")
    m.iloc[1, 0] = -1.0
    values = check_cells(m, "rtt_ms", "ms", rows=np.array([True, False]), columns=np.array([True, False]))
    assert np.isnan(values[0, 1])  # a cell no one uses may be empty
    with pytest.raises(InputError, match=r"row 'P', column 'B': value is missing"):
        check_cells(m, "rtt_ms", "ms", rows=np.array([True, False]))
    with pytest.raises(InputError, match=r"row 'Q', column 'A': -1 is below 0"):
        check_cells(m.fillna(0.0), "rtt_ms", "ms", min=0)


def test_an_unknown_name_is_reported_with_its_line(tmp_path):
    path = tmp_path / "demand.csv"
    path.write_text("origin,it_mw\nBeijing,1\nAtlantis,2\n", encoding="utf-8")
    table = read_user_csv(path)
    with pytest.raises(InputError, match=r"demand.csv: column 'origin' names unknown province 'Atlantis' at line 3"):
        check_known(table["origin"], ["Beijing"], "demand", "origin", "province")
    with pytest.raises(InputError, match=r"valid values are: none \(no province is known\)"):
        check_known(["Beijing"], [], "demand", "origin", "province")
