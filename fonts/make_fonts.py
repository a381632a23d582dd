"""Regenerate the shipped static Noto Sans SC instances.

reportlab cannot read variable fonts (it would use the default, Thin, master), so we
pin the wght axis to 400 and 700 with fontTools' instancer and commit the results.

    pip install fonttools justmytype-intl-cjk==0.1.0
    python fonts/make_fonts.py
"""

from __future__ import annotations

import pathlib
import shutil

import justmytype_intl_cjk
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

HERE = pathlib.Path(__file__).resolve().parent
SOURCE_DIR = pathlib.Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanssc"
SOURCE = SOURCE_DIR / "NotoSansSC[wght].ttf"
INSTANCES = {"NotoSansSC-Regular.ttf": (400, "Regular"), "NotoSansSC-Bold.ttf": (700, "Bold")}


def make_instance(weight: int, style: str, target: pathlib.Path) -> None:
    font = TTFont(SOURCE)
    static = instancer.instantiateVariableFont(font, {"wght": weight}, updateFontNames=False)
    # Give each instance its own names so PDF viewers and the office's font lists tell them apart.
    name_table = static["name"]
    family = "Noto Sans SC"
    name_table.setName(family, 1, 3, 1, 0x409)
    name_table.setName(style, 2, 3, 1, 0x409)
    name_table.setName(f"{family} {style}", 4, 3, 1, 0x409)
    name_table.setName(f"NotoSansSC-{style}", 6, 3, 1, 0x409)
    static["OS/2"].usWeightClass = weight
    static.save(target)


def main() -> None:
    for filename, (weight, style) in INSTANCES.items():
        make_instance(weight, style, HERE / filename)
        print(f"wrote {filename}")
    shutil.copyfile(SOURCE_DIR / "OFL.txt", HERE / "OFL.txt")


if __name__ == "__main__":
    main()
