"""QR codes as module matrices; the renderer draws them as vector rectangles.

This module imports nothing else from noticeboard, so benchmarks/peer_typst.py can load it on its
own and give its peer the very encoder the letters use.
"""

from __future__ import annotations

import re
from functools import lru_cache

import qrcode
from qrcode import util as qr_util
from qrcode.base import rs_blocks
from qrcode.constants import ERROR_CORRECT_Q

QUIET_ZONE = 4  # modules, as ISO/IEC 18004 requires


@lru_cache(maxsize=256)
def _matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=QUIET_ZONE)
    code.add_data(url.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def qr_matrix(url: str) -> list[list[bool]]:
    """The module matrix at error correction level Q, quiet zone included."""
    return [list(row) for row in _matrix(url)]


# Letters: one code per household, thousands per run. Choosing the best of the eight masks is
# most of the encoding time; any mask is valid (ISO/IEC 18004 §7.8) and decodes, so a run uses
# one fixed mask and one version, which also keeps every letter's code the same size.
FIXED_MASK = 0
_CHUNK_MINIMUM = 20  # qrcode's add_data default: runs this long of digits or capitals get their own mode
# a run that qrcode's chunking would set in numeric or alphanumeric mode (digits are alphanumeric too)
_MODE_RUN = re.compile(b"[" + re.escape(qr_util.ALPHA_NUM) + b"]{%d,}" % _CHUNK_MINIMUM)


@lru_cache(maxsize=1024)
def qr_version(url: str) -> int:
    """The smallest version that holds ``url`` at level Q."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=0)
    code.add_data(url.encode("utf-8"))
    code.make(fit=True)
    return code.version


def version_modules(version: int) -> int:
    """Modules across a code of this version, quiet zone included."""
    return 17 + 4 * version + 2 * QUIET_ZONE


# SPEC §3: a paper's minimum QR side is for a version-3 code, 29 modules and the quiet zone, 37 across;
# a denser code grows so that no module is smaller than that minimum divided by 37
REFERENCE_VERSION = 3
REFERENCE_MODULES = version_modules(REFERENCE_VERSION)
PLAIN_VERSION = 5  # denser than this (37 modules without the quiet zone), a long address is worth a warning


def side_for_version(minimum: float, version: int) -> float:
    """The side, quiet zone included, of a code of ``version`` on paper whose minimum side is ``minimum``.

    Any unit. Up to version 3 the code is the minimum itself (a smaller version only gets bigger
    modules); beyond it the side grows with the modules, so a module stays ``minimum / 37`` and a
    phone at the same distance resolves it as well as a version-3 code of the minimum size.
    """
    return minimum * max(1.0, version_modules(version) / REFERENCE_MODULES)


def qr_side(minimum: float, url: str) -> float:
    """The side, quiet zone included, of the code of ``url`` (see ``side_for_version``)."""
    return side_for_version(minimum, qr_version(url))


@lru_cache(maxsize=64)
def url_capacity(version: int) -> int:
    """How many bytes of address (UTF-8: one per ASCII character) still make a code of ``version`` or less."""

    def fits(length: int) -> bool:  # qrcode's own mode choice decides, so this agrees with qr_version
        try:
            return qr_version("a" * length) <= version
        except (qrcode.exceptions.DataOverflowError, ValueError):  # beyond version 40 qrcode raises either
            return False

    low, high = 0, 3000  # version 40 holds 1663 bytes at level Q
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _reference_modules(url: str, version: int) -> list[list[bool]]:
    """qrcode's own modules at this version with the fixed mask: what the fast coder must equal."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_Q, border=0, mask_pattern=FIXED_MASK)
    code.add_data(url.encode("utf-8"))
    code.make(fit=False)
    return code.modules


# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1, as ISO/IEC 18004 §7.5.2
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def _generator(degree: int) -> list[int]:
    """Reed-Solomon generator polynomial, highest power first, leading 1 included."""
    poly = [1]
    for i in range(degree):
        poly = [a ^ _gf_mul(b, _EXP[i]) for a, b in zip([*poly, 0], [0, *poly], strict=True)]
    return poly


def _remainder(message: list[int], generator: list[int]) -> list[int]:
    degree = len(generator) - 1
    rest = [0] * degree
    for byte in message:
        factor = byte ^ rest[0]
        rest = [*rest[1:], 0]
        if factor:
            for k in range(degree):
                rest[k] ^= _gf_mul(generator[k + 1], factor)
    return rest


class _Recorder(qrcode.QRCode):
    """qrcode itself, noting which modules carry data (those still unset when it maps the data)."""

    free: list[list[bool]]

    def map_data(self, data, mask_pattern):
        self.free = [[module is None for module in row] for row in self.modules]
        super().map_data(data, mask_pattern)


class LetterCoder:
    """Codes of one version with the fixed mask, equal module for module to qrcode's, in microseconds.

    Everything after the data codewords is linear over GF(2): the Reed-Solomon check words, their
    interleaving and the placement, and the mask only flips fixed modules. So a code is the code
    of all-zero data (function patterns, format and version information, the mask) with, for each
    data codeword, the modules that its value flips: its own bits and those of the check words it
    feeds. Those contributions are worked out once per codeword position and byte value, as integers
    laid out like the stencil rows the renderer writes (one row per ``row_bytes`` bytes, left module
    in the high bit), so a letter's code costs a handful of integer XORs instead of qrcode's
    pure-Python Reed-Solomon division and module-by-module placement.
    """

    def __init__(self, version: int):
        self.version = version
        self.count = 17 + 4 * version
        self.row_bytes = (self.count + 7) // 8
        self._length_bits = {
            mode: qr_util.length_in_bits(mode, version)
            for mode in (qr_util.MODE_NUMBER, qr_util.MODE_ALPHA_NUM, qr_util.MODE_8BIT_BYTE)
        }
        blocks = rs_blocks(version, ERROR_CORRECT_Q)
        self.data_words = sum(block.data_count for block in blocks)
        self.bit_limit = self.data_words * 8
        total = sum(block.total_count for block in blocks)

        recorder = _Recorder(version=version, error_correction=ERROR_CORRECT_Q, border=0, mask_pattern=FIXED_MASK)
        recorder.data_cache = [0] * total  # all-zero codewords: what stays is patterns, formats and mask
        recorder.makeImpl(False, FIXED_MASK)
        self._zero = self._pack(recorder.modules)
        positions = self._positions(recorder.free)

        # where each data codeword and each check word lands in the interleaved stream (ISO/IEC 18004 §7.6)
        data_at: list[list[int]] = [[] for _ in blocks]
        check_at: list[list[int]] = [[] for _ in blocks]
        index = 0
        for i in range(max(block.data_count for block in blocks)):
            for b, block in enumerate(blocks):
                if i < block.data_count:
                    data_at[b].append(index)
                    index += 1
        for i in range(max(block.total_count - block.data_count for block in blocks)):
            for b, block in enumerate(blocks):
                if i < block.total_count - block.data_count:
                    check_at[b].append(index)
                    index += 1

        def flips(stream_index: int, value: int) -> int:
            """The modules set by ``value`` at this place in the stream (bits beyond the grid are dropped)."""
            bits = 0
            for bit in range(8):
                if value >> (7 - bit) & 1:
                    slot = stream_index * 8 + bit
                    if slot < len(positions):
                        bits |= positions[slot]
            return bits

        # per data codeword (in reading order), the flips of each of its eight bits
        self._basis: list[tuple[int, ...]] = []
        for b, block in enumerate(blocks):
            generator = _generator(block.total_count - block.data_count)
            for i in range(block.data_count):
                basis = []
                for bit in range(8):
                    message = [0] * block.data_count
                    message[i] = 0x80 >> bit
                    contribution = flips(data_at[b][i], message[i])
                    for k, word in enumerate(_remainder(message, generator)):
                        contribution ^= flips(check_at[b][k], word)
                    basis.append(contribution)
                self._basis.append(tuple(basis))
        self._tables: list[dict[int, int]] = [{} for _ in self._basis]
        self._last_words = bytes(self.data_words)  # all zero: the code of no data at all
        self._last_value = self._zero

    def _pack(self, modules: list[list[bool]]) -> int:
        width = self.row_bytes * 8
        value = 0
        for row in modules:
            bits = 0
            for dark in row:
                bits = (bits << 1) | bool(dark)
            value = (value << width) | (bits << (width - self.count))
        return value

    def _positions(self, free: list[list[bool]]) -> list[int]:
        """The stencil bit of each data module, in qrcode's placement order (map_data's zigzag)."""
        count = self.count
        width = self.row_bytes * 8
        last = count * width - 1
        order: list[int] = []
        row, step = count - 1, -1
        for col in range(count - 1, 0, -2):
            if col <= 6:
                col -= 1  # the vertical timing pattern is skipped
            while True:
                for c in (col, col - 1):
                    if free[row][c]:
                        order.append(1 << (last - (row * width + c)))
                row += step
                if row < 0 or row >= count:
                    row -= step
                    step = -step
                    break
        return order

    def codewords(self, url: str) -> bytes:
        """The data codewords qrcode makes of ``url`` at this version, padding included."""
        data = url.encode("utf-8")
        if len(data) > _CHUNK_MINIMUM and not _MODE_RUN.search(data):
            chunks = [qr_util.QRData(data, mode=qr_util.MODE_8BIT_BYTE, check_data=False)]  # what qrcode makes of it
        else:
            chunks = list(qr_util.optimal_data_chunks(data, minimum=_CHUNK_MINIMUM))
        value = 0
        bits = 0
        for chunk in chunks:
            length = self._length_bits[chunk.mode]
            value = (value << (4 + length)) | (chunk.mode << length) | len(chunk.data)
            bits += 4 + length
            text = chunk.data
            if chunk.mode == qr_util.MODE_8BIT_BYTE:
                value = (value << (8 * len(text))) | int.from_bytes(text, "big")
                bits += 8 * len(text)
            elif chunk.mode == qr_util.MODE_NUMBER:
                for i in range(0, len(text), 3):
                    digits = text[i : i + 3]
                    size = qr_util.NUMBER_LENGTH[len(digits)]
                    value = (value << size) | int(digits)
                    bits += size
            else:
                for i in range(0, len(text), 2):
                    pair = text[i : i + 2]
                    if len(pair) > 1:
                        value = (value << 11) | (
                            qr_util.ALPHA_NUM.find(pair[0:1]) * 45 + qr_util.ALPHA_NUM.find(pair[1:2])
                        )
                        bits += 11
                    else:
                        value = (value << 6) | qr_util.ALPHA_NUM.find(pair)
                        bits += 6
        if bits > self.bit_limit:
            raise qrcode.exceptions.DataOverflowError(
                f"Code length overflow. Data size ({bits}) > size available ({self.bit_limit})"
            )
        pad = min(self.bit_limit - bits, 4)  # the terminator
        pad += -(bits + pad) % 8
        value <<= pad
        bits += pad
        words = value.to_bytes(bits // 8, "big")
        fill = self.data_words - len(words)
        return words + (bytes((qr_util.PAD0, qr_util.PAD1)) * (fill // 2 + 1))[:fill]

    def stencil(self, url: str) -> int:
        """The code of ``url`` as one integer of ``count`` rows of ``row_bytes`` bytes."""
        words = self.codewords(url)
        value = self._last_value
        # flips are linear, so from the last code only the codewords that differ (a run's URLs
        # share their start) cost an XOR: of the flips of the difference of the two values
        for index, (word, last) in enumerate(zip(words, self._last_words, strict=True)):
            if word != last:
                delta = word ^ last
                table = self._tables[index]
                flip = table.get(delta)
                if flip is None:
                    flip = 0
                    bits = self._basis[index]
                    for bit in range(8):
                        if delta >> (7 - bit) & 1:
                            flip ^= bits[bit]
                    table[delta] = flip
                value ^= flip
        self._last_words, self._last_value = words, value
        return value

    def stencil_hex(self, url: str) -> str:
        """The rows as the hex digits of a 1-bit image, dark modules 1, each row padded to whole bytes."""
        return self.stencil(url).to_bytes(self.count * self.row_bytes, "big").hex()

    def modules(self, url: str) -> list[list[bool]]:
        value = self.stencil(url)
        width = self.row_bytes * 8
        last = self.count * width - 1
        return [
            [bool(value >> (last - (row * width + col)) & 1) for col in range(self.count)] for row in range(self.count)
        ]


class _Reference:
    """qrcode itself, for a version where the fast coder would not match it (a changed qrcode release)."""

    def __init__(self, version: int):
        self.version = version
        self.count = 17 + 4 * version
        self.row_bytes = (self.count + 7) // 8

    def modules(self, url: str) -> list[list[bool]]:
        return _reference_modules(url, self.version)

    def stencil_hex(self, url: str) -> str:
        pad = self.row_bytes * 8 - self.count
        rows = []
        for row in self.modules(url):
            bits = 0
            for dark in row:
                bits = (bits << 1) | dark
            rows.append((bits << pad).to_bytes(self.row_bytes, "big").hex())
        return "".join(rows)


# A few URLs the fast coder is compared with qrcode on before it is trusted: the letters' own
# shape, digits, capitals, and bytes beyond ASCII, each in several lengths
_PROBES = (
    "https://gk.example.gov.cn/lcz/letter/?h=0101001",
    "HTTPS://GK.EXAMPLE.GOV.CN/LCZ/?H=0101",
    "0123456789",
    "https://例子.cn/?h=%E5%BC%A0",
)


@lru_cache(maxsize=8)
def letter_coder(version: int) -> LetterCoder | _Reference:
    """The coder for letters of this version: the fast one, once it has made exactly qrcode's modules."""
    coder = LetterCoder(version)
    for probe in _PROBES:
        for url in (probe, probe[: len(probe) // 2], probe * 3):
            try:
                expected = _reference_modules(url, version)
            except qrcode.exceptions.DataOverflowError:
                continue
            if coder.modules(url) != [list(row) for row in expected]:
                return _Reference(version)
    return coder


def fast_matrix(url: str, version: int) -> list[list[bool]]:
    """The modules of ``url`` at a given version with the fixed mask, without the quiet zone."""
    return letter_coder(version).modules(url)
