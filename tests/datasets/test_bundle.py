"""Reading the user's files: encodings, compression, folders and files that are not CSV."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from siting import datasets
from siting.datasets.bundle import read_text, read_user_csv
from siting.errors import InputError


@pytest.fixture
def gbk_sites(tmp_path):
    """Two bundled sites saved as GBK, as a spreadsheet in China does."""
    table = datasets.sites().iloc[:2].reset_index()
    path = tmp_path / "站点.csv"
    table.to_csv(path, index=False, encoding="gbk")
    return path


def test_a_gbk_file_is_named_with_how_to_convert_it(gbk_sites):
    # used to be a UnicodeDecodeError
    with pytest.raises(InputError) as info:
        datasets.sites(gbk_sites)
    message = str(info.value)
    assert message.startswith("站点.csv: not UTF-8 text (byte 0x")
    assert "GBK" in message and "iconv -f GBK -t UTF-8 站点.csv" in message and "encoding='gbk'" in message


def test_a_gbk_file_is_read_when_its_encoding_is_given(gbk_sites):
    table = datasets.sites(gbk_sites, encoding="gbk")
    assert table["name_zh"].iloc[0] == datasets.sites()["name_zh"].iloc[0]
    with pytest.raises(InputError, match="encoding 'klingon': unknown text encoding"):
        datasets.sites(gbk_sites, encoding="klingon")


def test_a_byte_order_mark_and_compression_are_accepted(tmp_path):
    table = datasets.provinces().reset_index()
    table.to_csv(tmp_path / "bom.csv", index=False, encoding="utf-8-sig")
    assert datasets.provinces(tmp_path / "bom.csv").index[0] == "Beijing"
    (tmp_path / "p.csv.gz").write_bytes(gzip.compress(table.to_csv(index=False).encode()))
    assert len(datasets.provinces(tmp_path / "p.csv.gz")) == 31
    (tmp_path / "broken.csv.gz").write_bytes(b"not gzip")
    with pytest.raises(InputError, match="broken.csv.gz: cannot be read"):
        read_text(tmp_path / "broken.csv.gz")


def test_a_folder_an_empty_file_and_text_that_is_not_csv_are_refused(tmp_path):
    # a folder used to be "file not found"
    with pytest.raises(InputError, match=f"^{tmp_path}: is a folder; expected a file$"):
        datasets.parameters(tmp_path)
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match="empty.csv: the file is empty; expected a header line"):
        datasets.parameters(tmp_path / "empty.csv")
    (tmp_path / "quote.csv").write_text('a,b\n1,"2\n')
    with pytest.raises(InputError, match="quote.csv: cannot be read as CSV"):
        read_user_csv(tmp_path / "quote.csv")
    with pytest.raises(InputError, match="sites table: expected a file path or a pandas DataFrame, got int"):
        datasets.sites(3)


def test_comment_and_blank_lines_keep_the_line_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("# source: me\n\nx,y\n1,2\n\n# the next one\n3,4\n", encoding="utf-8")
    table = read_user_csv(path)
    assert table.attrs["source"] == "t.csv"
    assert [line for run in table.attrs["lines"] for line in run] == [4, 7]
    assert isinstance(table, pd.DataFrame) and len(table) == 2
