"""Regenerate the sample households of 小庄村 (fictional people; any likeness is chance).

    pip install openpyxl && python samples/make_households.py [--count N] [--out PATH] [--encoding gbk|utf-8-sig]

(openpyxl only because the names come from make_rosters.py, which imports it.)

Default: 600 households to town/notices/2026-households.csv, in GBK with CRLF line
endings, as Excel or WPS save "CSV" on Chinese Windows. Columns: 户号, 户主, 村民小组, 地址,
家庭人口. The letter run (《致村民的一封信》) reads it; benchmarks/letters.py imports
`households` to make its 10,000-letter file.

- 户号 is 村(2) + 组(2) + 户(3), e.g. 0301007: 小庄村 is village 03 of the township, then
  the group, then the household's number in its group. The household part grows to 4
  digits only when a group has more than 999 households (large benchmark files). It is
  text: its leading zeros are part of it.
- Rows are in "as typed" order: group by group, 户号 ascending, then a few households
  appended at the end out of order (split off or moved in after the list was made), so
  sorting by 村民小组 and 户号 visibly changes the order.
- Every character encodes in GBK; a few 户主 have compound surnames (欧阳, 司马, 上官, 诸葛)
  or a name with a middle dot (·).
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from make_rosters import name  # same surnames and given names as the voter list

HERE = Path(__file__).resolve().parent / "town" / "notices"
DEFAULT_OUT = HERE / "2026-households.csv"
DEFAULT_COUNT = 600
SEED = 20260220
HEADER = ["户号", "户主", "村民小组", "地址", "家庭人口"]
VILLAGE_CODE = "03"
NUMERALS = "一二三四五六"
GROUPS = [f"第{n}村民小组" for n in NUMERALS]
# Relative group sizes: villages' groups are rarely equal.
GROUP_WEIGHTS = [1.15, 0.9, 1.1, 0.8, 1.05, 1.0]
# 家庭人口 1..7: mostly two to four.
SIZE_WEIGHTS = [8, 24, 26, 22, 12, 6, 2]
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛"]
# Names with a middle dot (given·family), for the odd household that moved here from afar.
DOTTED_GIVEN = ["阿依古丽", "玛依拉", "卓玛", "古丽娜尔"]
DOTTED_FAMILY = ["吐尔逊", "艾力", "次仁", "买买提"]
# Places a clerk writes into an address instead of, or before, a door number.
LANDMARKS = [
    "东头老粮站后院",
    "村委会西侧胡同",
    "小学南墙外",
    "老供销社对过",
    "西河沿",
    "南场院",
    "砖窑厂宿舍",
    "北大街东首",
]


def group_sizes(count: int) -> list[int]:
    """Split `count` over the six groups by GROUP_WEIGHTS, exactly, largest remainders first."""
    total = sum(GROUP_WEIGHTS)
    shares = [count * w / total for w in GROUP_WEIGHTS]
    sizes = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: sizes[i] - shares[i])
    for i in by_remainder[: count - sum(sizes)]:
        sizes[i] += 1
    return sizes


def household_head(rng: random.Random) -> str:
    """Mostly a man's name (户主 is usually the husband), now and then a rarer form."""
    roll = rng.random()
    if roll < 0.003:
        return f"{rng.choice(DOTTED_GIVEN)}·{rng.choice(DOTTED_FAMILY)}"
    if roll < 0.02:
        return rng.choice(COMPOUND_SURNAMES) + name(rng, rng.random() < 0.8)[1:]
    return name(rng, rng.random() < 0.8)


def households(count: int = DEFAULT_COUNT, seed: int = SEED) -> list[list[str]]:
    """The header row and `count` household rows, the same for the same arguments."""
    if count < 1:
        raise ValueError("count must be at least 1")
    rng = random.Random(seed)
    late = count * 3 // 200 if count >= 20 else 0  # ~1.5% appended at the end
    sizes = group_sizes(count)
    # The late ones are taken from the groups' totals: they are the last numbers of their group.
    late_groups = [rng.choices(range(6), weights=sizes)[0] for _ in range(late)]
    while any(late_groups.count(g) >= sizes[g] for g in set(late_groups)):  # tiny counts only
        late_groups.pop()
    width = max(3, len(str(max(sizes))))
    rows: list[tuple[int, list[str]]] = []
    for g, size in enumerate(sizes):
        door = 0
        for seq in range(1, size + 1):
            door += rng.choice([1, 1, 1, 2, 3])  # numbers skip where houses were pulled down
            if rng.random() < 0.04:
                address = f"小庄村{NUMERALS[g]}组{rng.choice(LANDMARKS)}{rng.randint(1, 12)}号"
            else:
                address = f"小庄村{NUMERALS[g]}组{door}号"
            members = rng.choices(range(1, 8), weights=SIZE_WEIGHTS)[0]
            row = [f"{VILLAGE_CODE}{g + 1:02d}{seq:0{width}d}", household_head(rng), GROUPS[g], address, str(members)]
            rows.append((g, row))
    # Move each group's last households (as many as it has late ones) to the end, in the
    # order they were added, which is not sorted.
    late_rows = []
    for g in sorted(set(late_groups)):
        indices = [i for i, (group, _) in enumerate(rows) if group == g][-late_groups.count(g) :]
        late_rows.extend(rows[i][1] for i in indices)
    rng.shuffle(late_rows)
    late_ids = {row[0] for row in late_rows}
    body = [row for _, row in rows if row[0] not in late_ids] + late_rows
    # Guarantee the rarer forms are present even in small files, on fixed rows.
    if count >= 3:
        body[count // 3][1] = "欧阳" + name(rng, True)[1:]
        body[count // 2][1] = f"{DOTTED_GIVEN[0]}·{DOTTED_FAMILY[0]}"
    return [HEADER, *body]


def write_households(path: Path, count: int = DEFAULT_COUNT, encoding: str = "gbk", seed: int = SEED) -> Path:
    """Write the table as CSV with CRLF line endings; a character outside `encoding` is an error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, errors="strict", newline="") as stream:
        csv.writer(stream, lineterminator="\r\n").writerows(households(count, seed))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the 小庄村 households table (CSV).")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help=f"households (default {DEFAULT_COUNT})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="CSV to write (default: the sample town's)")
    parser.add_argument(
        "--encoding",
        choices=["gbk", "utf-8-sig"],
        default="gbk",
        help="gbk as Excel/WPS save CSV on Chinese Windows (default), or utf-8-sig",
    )
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be at least 1")
    print(write_households(args.out, args.count, args.encoding))


if __name__ == "__main__":
    main()
