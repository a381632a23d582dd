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


# Letters: one code per household, thousands per run. Choosing the best of the eight masks is
# most of the encoding time; any mask is valid (ISO/IEC 18004 §7.8) and decodes, so a run uses
# one fixed mask and one version, which also keeps every letter's code the same size.
FIXED_MASK = 0


def qr_version(url: str) -> int:
    """The smallest version that holds ``url`` at level Q."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=0)
    code.add_data(url.encode("utf-8"))
    code.make(fit=True)
    return code.version


def version_modules(version: int) -> int:
    """Modules across a code of this version, quiet zone included."""
    return 17 + 4 * version + 2 * QUIET_ZONE


def fast_matrix(url: str, version: int) -> list[list[bool]]:
    """The modules of ``url`` at a given version with the fixed mask, without the quiet zone."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_Q, border=0, mask_pattern=FIXED_MASK)
    code.add_data(url.encode("utf-8"))
    code.make(fit=False)
    return code.modules
