"""The letters' fast QR coder makes exactly qrcode's modules, so letter PDFs keep their bytes."""

from __future__ import annotations

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st

from noticeboard.layout.qr import LetterCoder, _reference_modules, fast_matrix, letter_coder, qr_version

URL = "https://gk.example.gov.cn/lcz/2026-election-letter/?h="
# URL characters, digits (numeric runs) and capitals (alphanumeric runs), and some beyond ASCII
ALPHABET = "abcxyz0123456789ABCXYZ:/.?=%-_ 张三𬌗"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=0, max_size=90), st.booleans(), st.integers(0, 3))
def test_fast_coder_equals_qrcode(tail: str, with_prefix: bool, extra_versions: int):
    url = (URL if with_prefix else "") + tail
    version = min(qr_version(url) + extra_versions, 40)
    assert fast_matrix(url, version) == _reference_modules(url, version)


def test_a_run_of_households_in_any_order():
    coder = letter_coder(qr_version(URL + "0101001"))
    assert isinstance(coder, LetterCoder)
    numbers = [f"{group:02d}{house:05d}" for group in (1, 3, 2) for house in (7, 1, 300, 12)]
    for number in numbers + numbers[::-1]:
        assert coder.modules(URL + number) == _reference_modules(URL + number, coder.version)


def test_stencil_rows_are_the_modules_padded_to_bytes():
    coder = letter_coder(qr_version(URL + "0101001"))
    rows = bytes.fromhex(coder.stencil_hex(URL + "0101001"))
    reference = _reference_modules(URL + "0101001", coder.version)
    for row, modules in zip(range(coder.count), reference, strict=True):
        bits = int.from_bytes(rows[row * coder.row_bytes : (row + 1) * coder.row_bytes], "big")
        assert [bool(bits >> (coder.row_bytes * 8 - 1 - col) & 1) for col in range(coder.count)] == modules


def test_too_long_for_the_version_is_qrcodes_overflow():
    with pytest.raises(qrcode.exceptions.DataOverflowError):
        fast_matrix(URL + "9" * 200, 3)
