"""QR codes as module matrices; the renderer draws them as vector rectangles."""

from __future__ import annotations

from functools import lru_cache

import qrcode
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
