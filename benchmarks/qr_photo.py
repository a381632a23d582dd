"""Do posters' QR codes scan from a cheap phone at the board? Simulated photos, decoded by zxing-cpp.

    python benchmarks/qr_photo.py              # the full sweep, 768 shots, about four minutes on one core
    python benchmarks/qr_photo.py --seeds 3    # fewer shots per setting, for a quick look

A villager stands about 1 m from the board and holds the phone out towards the sheet, so the
phone is 0.3-0.6 m from it. Scanning apps decode the preview stream, not a photo: 1080 x 1920 px
held upright, from a 26 mm-equivalent main camera cropped to 16:9, 42 degrees across. At 0.4 m
that frame is 31 cm wide, 3.5 px per mm of board: the whole A3 sheet, or an A4 sheet and the
board around it. Each shot turns and tilts the phone (perspective), rolls it, misses the aim, then adds
defocus (a Gaussian blur), uneven light, a washed-out range of grey, sensor noise and JPEG. Every
random choice comes from a seeded generator, so a run is the same on every machine.

The sweep lays out the same small workspace twice in one run: with the QR sizing this branch
replaced (the paper's minimum whatever the address, ``before``) and with codes sized by version
(SPEC §3, ``after``), each with the test town's short address and with a real 117-character
township base_url. It prints decode rates as percentages and writes them, with every shot's
settings, to benchmarks/results/qr_photo.json (git-ignored).

tests/test_qr_photo.py imports this module and decodes a small fixed set of shots in CI.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's noticeboard, not an installed one

import pypdfium2 as pdfium  # noqa: E402
import zxingcpp  # noqa: E402
from PIL import Image, ImageChops, ImageFilter  # noqa: E402

FRAME = (1080, 1920)  # px, a 1080p preview stream held upright
FOV = 42.0  # degrees across the frame's short side
SUPERSAMPLE = 2  # the frame is drawn at twice its size, then averaged down: the sensor integrates light
BOARD = 150  # grey of the board around the sheet
LONG_BASE = "https://www.rizhao.gov.cn/donggang/liangchengzhen/zwgk/fdzdgknr/czyjs/xiangzhenzhengfu-caizheng-shouzhi-gongkai/2026/"
SHORT_BASE = "https://gk.example.gov.cn/test/"

DISTANCES = (0.3, 0.4, 0.5, 0.6)  # m, phone to board
BLURS = (0.6, 0.9, 1.2)  # Gaussian radius in frame pixels: a sharp shot to a soft one
RESULTS = ROOT / "benchmarks" / "results" / "qr_photo.json"
NOISE_TILE = 512  # px
NOISE_TILE_SIGMA = 24.0  # grey levels, scaled down to each shot's noise


# --------------------------------------------------------------------------- posters


@dataclass
class Poster:
    """One printed sheet: its PDF, the address its code holds and where the code is on the paper."""

    label: str
    pdf: bytes
    url: str
    paper: str
    width_mm: float
    height_mm: float
    qr_mm: Vec  # left, top (from the sheet's top edge), side; quiet zone excluded
    version: int
    _renders: dict[float, Image.Image] = field(default_factory=dict, repr=False)

    def render(self, px_per_mm: float) -> Image.Image:
        """The sheet at this density, greyscale, as a printer puts it on white paper."""
        key = round(px_per_mm, 3)
        if key not in self._renders:
            document = pdfium.PdfDocument(self.pdf)
            try:
                page = document[0]
                image = page.render(scale=px_per_mm * 25.4 / 72, grayscale=True).to_pil().convert("L")
            finally:
                document.close()
            self._renders = {key: image}  # one density at a time: a sweep goes distance by distance
        return self._renders[key]


SETTINGS = """\
issuer: 测试镇人民政府
base_url: {base}
hotline: 0537-7654321
"""

CSV = """\
科目编码,科目名称,预算数,本期数,累计数,上年同期数
101,税收收入,300.00,80.00,80.00,70.00
10101,增值税,200.00,50.00,50.00,40.00
10104,企业所得税,100.00,30.00,30.00,30.00
,收入合计,300.00,80.00,80.00,70.00
201,一般公共服务支出,250.00,60.00,60.00,55.00
20103,政府办公厅（室）及相关机构事务,250.00,60.00,60.00,55.00
,支出合计,250.00,60.00,60.00,55.00
"""


def _notice(notice_id: str, paper: str) -> str:
    return (
        f"id: {notice_id}\nkind: finance\ntitle: 测试镇2026年第一季度财政收支情况公示\nperiod: 2026-Q1\n"
        f"date: 2026-04-12\ndisplay_days: 10\npaper: {paper}\nunit: 万元\ndata: {notice_id}.csv\n"
    )


def make_workspace(root: Path, base: str) -> Path:
    """A small workspace: the same finance notice on A4 and on A3."""
    (root / "notices").mkdir(parents=True, exist_ok=True)
    (root / "noticeboard.yaml").write_text(SETTINGS.format(base=base), encoding="utf-8")
    for paper in ("A4", "A3"):
        notice_id = f"q1-{paper.lower()}"
        (root / "notices" / f"{notice_id}.yaml").write_text(_notice(notice_id, paper), encoding="utf-8")
        (root / "notices" / f"{notice_id}.csv").write_text(CSV, encoding="utf-8")
    return root


@contextmanager
def paper_only_sizing() -> Iterator[None]:
    """The sizing before SPEC §3's rule: the paper's minimum side whatever the version."""
    from noticeboard.layout import frame

    sized = frame.qr_side
    frame.qr_side = lambda minimum, url: minimum
    try:
        yield
    finally:
        frame.qr_side = sized


def posters(root: Path, label: str) -> list[Poster]:
    """The workspace's sheets laid out and drawn, with their codes' places."""
    from noticeboard.layout.blocks import PT_PER_MM
    from noticeboard.layout.qr import qr_version
    from noticeboard.load.workspace import load_workspace
    from noticeboard.pipeline import laid_out

    loaded = load_workspace(root)
    errors = [str(p) for p in loaded.problems if p.is_error]
    assert not errors, errors
    made = []
    for notice in loaded.workspace.notices:
        laid = laid_out(notice, loaded)
        sheet = laid.sheets[0]
        (box,) = laid.qr_boxes[0]
        width, height = sheet.width / PT_PER_MM, sheet.height / PT_PER_MM
        made.append(
            Poster(
                label=f"{label} {notice.paper}",
                pdf=laid.pdf(False),
                url=notice.url,
                paper=notice.paper,
                width_mm=width,
                height_mm=height,
                qr_mm=(box.x0 / PT_PER_MM, height - box.y1 / PT_PER_MM, (box.x1 - box.x0) / PT_PER_MM),
                version=qr_version(notice.url),
            )
        )
    return made


# --------------------------------------------------------------------------- the phone

Vec = tuple[float, ...]  # a point or direction in board millimetres


@dataclass(frozen=True)
class Shot:
    distance: float  # m, from the phone to the board, square to it
    yaw: float  # degrees, turned left or right
    pitch: float  # degrees, tilted up or down (a board above or below the eyes)
    roll: float  # degrees, about the lens axis
    aim: tuple[float, float]  # where the code's centre lands, from the frame's centre, in frame widths and heights
    blur: float  # Gaussian radius, frame pixels
    noise: float  # sensor noise, standard deviation in grey levels
    black: int  # what the ink reads as
    white: int  # what the paper reads as
    falloff: float  # the darkest corner of uneven light, as a fraction lost
    light_angle: float  # degrees, where the light falls off towards
    quality: int  # JPEG quality of the stream
    seed: int


def random_shot(seed: int, distance: float, blur: float) -> Shot:
    rng = random.Random(seed)
    black = rng.randint(25, 70)
    return Shot(
        distance=distance,
        yaw=rng.uniform(-25, 25),
        pitch=rng.uniform(-15, 15),
        roll=rng.uniform(-12, 12),
        aim=(rng.uniform(-0.2, 0.2), rng.uniform(-0.25, 0.25)),
        blur=blur,
        noise=rng.uniform(3, 8),
        black=black,
        white=rng.randint(max(black + 120, 190), 245),
        falloff=rng.uniform(0.0, 0.35),
        light_angle=rng.uniform(0, 360),
        quality=rng.randint(50, 85),
        seed=seed,
    )


def _rotate(vector: Vec, axis: str, degrees: float) -> Vec:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    x, y, z = vector
    if axis == "x":
        return (x, c * y - s * z, s * y + c * z)
    return (c * x + s * z, y, -s * x + c * z)  # about the board's vertical axis


def _homography(pairs: list[tuple[tuple[float, float], tuple[float, float]]]) -> tuple[float, ...]:
    """PIL's eight PERSPECTIVE coefficients mapping each frame point to its sheet point."""
    rows, rhs = [], []
    for (u, v), (x, y) in pairs:
        rows.append([u, v, 1, 0, 0, 0, -u * x, -v * x])
        rhs.append(x)
        rows.append([0, 0, 0, u, v, 1, -u * y, -v * y])
        rhs.append(y)
    n = 8
    matrix = [row + [value] for row, value in zip(rows, rhs, strict=True)]
    for col in range(n):  # Gaussian elimination with partial pivoting
        pivot = max(range(col, n), key=lambda r: abs(matrix[r][col]))
        matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
        for r in range(n):
            if r != col:
                factor = matrix[r][col] / matrix[col][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[col], strict=True)]
    return tuple(matrix[i][n] / matrix[i][i] for i in range(n))


@lru_cache(maxsize=1)
def _unit_noise() -> Image.Image:
    """One fixed tile of Gaussian noise around 128 (standard deviation NOISE_TILE_SIGMA), drawn once."""
    rng = random.Random(20260412)
    values = (min(255, max(0, round(rng.gauss(128, NOISE_TILE_SIGMA)))) for _ in range(NOISE_TILE * NOISE_TILE))
    return Image.frombytes("L", (NOISE_TILE, NOISE_TILE), bytes(values))


def _noise(width: int, height: int, sigma: float, rng: random.Random) -> Image.Image:
    """Gaussian noise around 128: the fixed tile scaled to ``sigma``, turned and laid at seeded offsets."""
    scale = sigma / NOISE_TILE_SIGMA
    tile = _unit_noise().point(lambda value: round(128 + (value - 128) * scale))
    tile = tile.transpose(rng.choice(list(Image.Transpose)))
    noise = Image.new("L", (width, height))
    dx, dy = rng.randrange(NOISE_TILE), rng.randrange(NOISE_TILE)
    for y in range(-dy, height, NOISE_TILE):
        for x in range(-dx, width, NOISE_TILE):
            noise.paste(tile, (x, y))
    return noise


def _light(width: int, height: int, shot: Shot) -> Image.Image:
    """Light falling off in a straight gradient across the frame, full at one edge, ``falloff`` lost at the other."""
    side = 32
    dx, dy = math.cos(math.radians(shot.light_angle)), math.sin(math.radians(shot.light_angle))
    values = []
    for y in range(side):
        for x in range(side):
            along = ((x / (side - 1) - 0.5) * dx + (y / (side - 1) - 0.5) * dy) / math.sqrt(0.5) + 0.5  # 0 to 1
            values.append(round(255 * (1 - shot.falloff * min(1.0, max(0.0, along)))))
    return Image.frombytes("L", (side, side), bytes(values)).resize((width, height), Image.Resampling.BILINEAR)


def photograph(poster: Poster, shot: Shot, frame: tuple[int, int] = FRAME) -> Image.Image:
    """The frame the phone's scanner sees of ``poster`` hung on a board."""
    width, height = frame[0] * SUPERSAMPLE, frame[1] * SUPERSAMPLE
    focal = width / 2 / math.tan(math.radians(FOV / 2))  # px
    density = focal / (shot.distance * 1000)  # px per mm of board at the frame's centre, drawn size
    # the camera's axes in board millimetres (x right, y down, z out of the board towards the phone)
    right: Vec = (1.0, 0.0, 0.0)
    down: Vec = (0.0, 1.0, 0.0)
    forward: Vec = (0.0, 0.0, -1.0)
    for axis, angle in (("x", shot.pitch), ("y", shot.yaw)):
        right, down, forward = (_rotate(v, axis, angle) for v in (right, down, forward))
    c, s = math.cos(math.radians(shot.roll)), math.sin(math.radians(shot.roll))
    right, down = (
        tuple(c * a + s * b for a, b in zip(right, down, strict=True)),
        tuple(-s * a + c * b for a, b in zip(right, down, strict=True)),
    )

    def ray(u: float, v: float) -> Vec:
        a, b = (u - width / 2) / focal, (v - height / 2) / focal
        return tuple(f + a * r + b * d for f, r, d in zip(forward, right, down, strict=True))

    left, top, side = poster.qr_mm
    target = (left + side / 2, top + side / 2, 0.0)
    aim = ray(width / 2 + shot.aim[0] * width, height / 2 + shot.aim[1] * height)
    reach = shot.distance * 1000 / -aim[2]
    camera = tuple(t - reach * a for t, a in zip(target, aim, strict=True))
    # the sheet drawn a little denser than the frame's centre needs: the near side of a tilted shot is closer
    source = density * 1.3
    image = poster.render(source)
    pairs: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for u, v in ((0.0, 0.0), (width, 0.0), (width, height), (0.0, height)):
        g = ray(u, v)
        s_hit = -camera[2] / g[2]
        x, y = camera[0] + s_hit * g[0], camera[1] + s_hit * g[1]
        pairs.append(((u, v), (x * source, y * source)))
    drawn = image.transform(
        (width, height), Image.Transform.PERSPECTIVE, _homography(pairs), Image.Resampling.BILINEAR, fillcolor=BOARD
    )
    picture = drawn.reduce(SUPERSAMPLE)
    w, h = picture.size
    rng = random.Random(shot.seed * 7919 + 17)
    # a washed-out range of grey, then light falling off across the frame
    span = (shot.white - shot.black) / 255
    picture = picture.point(lambda value: round(shot.black + value * span))
    picture = ImageChops.multiply(picture, _light(w, h, shot))
    picture = picture.filter(ImageFilter.GaussianBlur(shot.blur))
    picture = ImageChops.add(picture, _noise(w, h, shot.noise, rng), scale=1.0, offset=-128)
    stream = io.BytesIO()
    picture.save(stream, "JPEG", quality=shot.quality)
    stream.seek(0)
    return Image.open(stream).convert("L")


def decodes(poster: Poster, shot: Shot) -> bool:
    """Does zxing-cpp read exactly the poster's address from the shot?"""
    picture = photograph(poster, shot)
    found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
    return any(result.text == poster.url for result in found)


def module_px(poster: Poster, distance: float) -> float:
    """Frame pixels per module at the frame's centre, square on: what the sizing buys."""
    focal = FRAME[0] / 2 / math.tan(math.radians(FOV / 2))
    modules = 17 + 4 * poster.version
    return poster.qr_mm[2] / modules * focal / (distance * 1000)


# --------------------------------------------------------------------------- the sweep


def all_posters(work: Path) -> dict[str, list[Poster]]:
    """Both sizings, both addresses, A4 and A3: 'before' and 'after' lists of four posters."""
    made: dict[str, list[Poster]] = {"before": [], "after": []}
    for name, base in (("short", SHORT_BASE), ("long", LONG_BASE)):
        root = make_workspace(work / name, base)
        with paper_only_sizing():
            made["before"] += posters(root, f"before {name}")
        made["after"] += posters(root, f"after {name}")
    return made


def sweep(seeds: int) -> dict:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        made = all_posters(Path(work))
        shots = []
        rows = []
        for distance in DISTANCES:
            for blur in BLURS:
                for index in range(seeds):
                    shots.append(
                        random_shot(index * 1000 + round(distance * 100) * 10 + round(blur * 10), distance, blur)
                    )
        for distance in DISTANCES:  # one density of each poster rendered at a time
            for style in ("before", "after"):
                for poster in made[style]:
                    for shot in (s for s in shots if s.distance == distance):
                        rows.append(
                            {
                                "style": style,
                                "poster": poster.label,
                                "paper": poster.paper,
                                "version": poster.version,
                                "qr_mm": round(poster.qr_mm[2], 2),
                                "decoded": decodes(poster, shot),
                                **{k: v for k, v in asdict(shot).items()},
                            }
                        )
        sizes = {
            p.label: {"version": p.version, "qr_mm": round(p.qr_mm[2], 2), "url": p.url}
            for s in made.values()
            for p in s
        }
    return {"rows": rows, "posters": sizes, "seconds": round(time.perf_counter() - started, 1)}


def rate(rows: list[dict], **match) -> float:
    chosen = [r for r in rows if all(r[k] == v for k, v in match.items())]
    return 100.0 * sum(r["decoded"] for r in chosen) / len(chosen) if chosen else float("nan")


def summary(result: dict) -> dict:
    rows = result["rows"]
    labels = sorted({r["poster"].split(" ", 1)[1] for r in rows})
    table = {}
    for label in labels:
        before, after = f"before {label}", f"after {label}"
        table[label] = {
            "before_mm": result["posters"][before]["qr_mm"],
            "after_mm": result["posters"][after]["qr_mm"],
            "version": result["posters"][after]["version"],
            "before_%": round(rate(rows, poster=before), 1),
            "after_%": round(rate(rows, poster=after), 1),
            "by_distance": {
                str(d): [
                    round(rate(rows, poster=before, distance=d), 1),
                    round(rate(rows, poster=after, distance=d), 1),
                ]
                for d in DISTANCES
            },
        }
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8, help="shots per distance and blur (default 8)")
    args = parser.parse_args(argv)
    result = sweep(args.seeds)
    table = summary(result)
    shots = len(result["rows"]) // (2 * len(table))
    print(f"{shots} shots of each poster, {len(DISTANCES)} distances x {len(BLURS)} blurs x {args.seeds} seeds")
    print(f"{'poster':<10} {'ver':>3} {'before':>16} {'after':>16}   by distance {', '.join(map(str, DISTANCES))} m")
    for label, row in table.items():
        by = "  ".join(f"{b:.0f}->{a:.0f}" for b, a in row["by_distance"].values())
        print(
            f"{label:<10} {row['version']:>3} {row['before_mm']:>6.1f} mm {row['before_%']:>5.1f}%"
            f" {row['after_mm']:>6.1f} mm {row['after_%']:>5.1f}%   {by}"
        )
    rows = result["rows"]
    for name, match in (("all posters", {}), ("long base_url", {"long": True}), ("short base_url", {"long": False})):
        chosen = [r for r in rows if all(("long " in r["poster"]) == v for v in match.values())]
        print(f"{name:<15} before {rate(chosen, style='before'):5.1f}%   after {rate(chosen, style='after'):5.1f}%")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"summary": table, "seconds": result["seconds"], **result}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print(f"{len(result['rows'])} shots in {result['seconds']} s; written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
