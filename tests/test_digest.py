import pytest

from formcoach.core.digest import file_digest
from formcoach.core.errors import FormcoachError


def test_a_change_anywhere_in_a_file_changes_its_digest(tmp_path):
    data = bytearray(b"x" * (3 << 20))  # three chunks
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    a.write_bytes(data)
    b.write_bytes(data)
    data[len(data) // 2] ^= 1  # the middle, where a first/last-megabyte key is blind
    c.write_bytes(data)
    assert file_digest(a) == file_digest(b) != file_digest(c)
    assert len(file_digest(a)) == 64


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(FormcoachError, match="cannot read"):
        file_digest(tmp_path / "missing.mp4")
