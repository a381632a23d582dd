"""Posters' QR codes decode from simulated phone photos (a small fixed set; the sweep is benchmarks/qr_photo.py).

The posters are laid out and drawn as build does, A4 and A3, with the test town's short address
and with a real 117-character township base_url. Each shot is what a 1080p scanner preview sees
from 0.3-0.4 m (a villager standing about 1 m from the board, the phone held out): the sheet on
the board, turned, tilted and rolled, off-centre, blurred, unevenly lit, washed out, noisy and
JPEG-compressed, every choice from a fixed seed. zxing-cpp must read exactly the sheet's address.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import qr_photo

from noticeboard.layout.paper import QR_MINIMUM_MM
from noticeboard.layout.qr import version_modules

# (poster, distance in m, blur radius in frame px, seed): where the sweep decodes every shot with
# codes sized by version (A3 to 0.4 m, A4 at 0.3 m), sharp and soft, both papers and both addresses
SHOTS = [
    ("short A3", 0.4, 0.9, 1),
    ("short A3", 0.3, 1.2, 2),
    ("short A4", 0.3, 0.6, 3),
    ("long A3", 0.4, 0.9, 3),
    ("long A3", 0.4, 1.2, 4),
    ("long A3", 0.3, 0.6, 5),
    ("long A4", 0.3, 0.9, 6),
    ("long A4", 0.3, 1.2, 7),
]


@pytest.fixture(scope="module")
def posters(tmp_path_factory) -> dict[str, qr_photo.Poster]:
    work = tmp_path_factory.mktemp("qr-photo")
    made = {}
    for name, base in (("short", qr_photo.SHORT_BASE), ("long", qr_photo.LONG_BASE)):
        for poster in qr_photo.posters(qr_photo.make_workspace(work / name, base), name):
            made[poster.label] = poster
    return made


def test_the_posters_carry_codes_sized_by_version(posters):
    assert set(posters) == {"short A4", "short A3", "long A4", "long A3"}
    for poster in posters.values():
        assert poster.url.startswith((qr_photo.SHORT_BASE, qr_photo.LONG_BASE))
        modules = version_modules(poster.version) - 8
        minimum = QR_MINIMUM_MM[poster.paper]
        assert poster.qr_mm[2] / modules >= minimum / 37 - 1e-6  # quiet zone excluded, as in the photo
    assert posters["long A3"].version > 5 and posters["long A3"].qr_mm[2] > 55  # 40 mm would not do


@pytest.mark.parametrize(("label", "distance", "blur", "seed"), SHOTS)
def test_a_phone_photo_decodes_to_the_address(posters, label: str, distance: float, blur: float, seed: int):
    poster = posters[label]
    shot = qr_photo.random_shot(seed, distance, blur)
    picture = qr_photo.photograph(poster, shot)
    assert picture.size == qr_photo.FRAME and picture.mode == "L"
    assert qr_photo.decodes(poster, shot), (label, shot)


def test_the_photos_are_deterministic(posters):
    shot = qr_photo.random_shot(7, 0.5, 0.9)
    assert qr_photo.photograph(posters["long A4"], shot).tobytes() == (
        qr_photo.photograph(posters["long A4"], shot).tobytes()
    )
