"""Regenerate the sample town's rosters (fictional people; any likeness is chance).

    pip install openpyxl && python samples/make_rosters.py

- 2026-voter-list.csv: about 300 voters of 小庄村 in 6 村民小组, as Excel's "CSV UTF-8"
  saves it. Everyone is at least 18 on election day (2026-03-18).
- 2026q2-dibao.xlsx: 20 低保 households with a title row above the header, as a clerk
  keeps it. ID numbers carry valid GB 11643 check digits and are text cells; phones are
  written the ways clerks write them (plain, 138 1234 5678, 138-1234-5678, a landline,
  or none), so masking is exercised on every form.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent / "town" / "notices"
ELECTION = dt.date(2026, 3, 18)
GROUPS = ["第一村民小组", "第二村民小组", "第三村民小组", "第四村民小组", "第五村民小组", "第六村民小组"]
SURNAMES = "王李张刘陈杨赵孔孟颜周吴徐孙马朱胡郭何高林罗郑梁宋谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
MALE = "建国军伟强磊勇涛明杰峰志刚平辉鹏华飞永庆海新春德文学广成树林宝山"
FEMALE = "秀英桂兰玉芳红梅丽娟霞燕琴敏静丹萍艳凤珍荣云彩翠香月爱菊"
REGION = "370831"  # the region code only needs to look right; every ID here is invented
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def name(rng: random.Random, male: bool) -> str:
    chars = MALE if male else FEMALE
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def id_number(rng: random.Random, born: dt.date, male: bool) -> str:
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)  # the 17th digit is odd for men
    first17 = f"{REGION}{born:%Y%m%d}{sequence:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]
    return first17 + check


def mobile(rng: random.Random) -> str:
    return rng.choice(["135", "138", "139", "150", "152", "158", "176", "183", "187"]) + f"{rng.randrange(10**8):08d}"


def voters(rng: random.Random) -> list[list[str]]:
    rows = [["序号", "姓名", "性别", "出生年月", "村民小组"]]
    number = 0
    for group in GROUPS:
        for _ in range(rng.randint(44, 56)):
            number += 1
            male = rng.random() < 0.51
            year = rng.randint(1936, ELECTION.year - 18)
            month = rng.randint(1, 12 if year < ELECTION.year - 18 else ELECTION.month - 1)
            rows.append([str(number), name(rng, male), "男" if male else "女", f"{year}-{month:02d}", group])
    return rows


def dibao(rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = [
        ["序号", "户主姓名", "家庭人口", "保障金额（元/月）", "身份证号", "联系电话", "村民小组"]
    ]
    for number in range(1, 21):
        male = rng.random() < 0.6
        born = dt.date(rng.randint(1938, 1985), rng.randint(1, 12), rng.randint(1, 28))
        members = rng.choice([1, 1, 2, 2, 3, 4])
        phone = mobile(rng)
        style = number % 5
        if style == 1:
            phone = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
        elif style == 2:
            phone = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
        elif style == 3 and number > 10:
            phone = f"0537-42{rng.randrange(10**5):05d}"  # a landline is not private: printed in full
        elif style == 4 and number > 10:
            phone = ""
        rows.append(
            [
                number,
                name(rng, male),
                members,
                members * rng.choice([420, 450, 480]),
                id_number(rng, born, male),
                phone,
                rng.choice(GROUPS),
            ]
        )
    return rows


def main() -> None:
    rng = random.Random(20260220)
    with open(HERE / "2026-voter-list.csv", "w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(voters(rng))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "低保对象"
    sheet.append(["小庄村2026年第二季度农村最低生活保障对象名单"])
    sheet["A1"].font = Font(bold=True, size=14)
    for row in dibao(rng):
        sheet.append(row)
    for column in ("E", "F"):  # ID numbers and phones are text, or Excel drops their last digits
        for cell in sheet[column]:
            cell.number_format = "@"
    for column, width in zip("ABCDEFG", (6, 10, 10, 16, 22, 16, 14)):
        sheet.column_dimensions[column].width = width
    workbook.save(HERE / "2026q2-dibao.xlsx")


if __name__ == "__main__":
    main()
