"""The privacy scanner (issue 5): no full ID, bank card or private mobile in anything printed.

Unit tests of what triggers and what must not, a property test against a plain reference
validator, ``mask:`` and ``public_mobiles:`` on the kinds, and the issue's end-to-end case.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import pdf_text, run
from hypothesis import given, settings
from hypothesis import strategies as st

from noticeboard import privacy
from noticeboard.checks.privacy import hits

ID = "370831199001011231"  # checksum-valid, born 1990-01-01
ID15 = "370831900101123"  # old 15-digit ID, born 1990-01-01
MOBILE = "13905371234"
CARD = "6222021234567890128"  # 19 digits, passes Luhn
assert privacy.luhn_ok(CARD) and privacy.is_valid_id(ID)


# -- unit: what triggers and what must not ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "本期支出1,234,567.89元",
        "1234567.89",
        "补助450.00元",
        "0.25",  # amounts
        "2026-04-12",
        "2026年4月12日",
        "20260412",
        "2026.04.12",
        "公示期2026-04-08至2026-04-14",
        "20260408-20260414",
        "2026040820260414",  # a date range written together: not a card
        "2010301 一般公共服务",
        "科目编码201",
        "20103",
        "1010101",  # 科目编码 3/5/7 digits
        "户号3708310010001",
        "户号 370831001000101",  # 户号, 13 digits; a 15-digit one with no date inside
        "0537-1234567",
        "(0537)1234567",
        "（0537）1234567",
        "010 12345678",
        "05371234567",
        "0537－1234567",  # landlines
        "370831991301123",
        "370831903201123",
        "123456789012345",  # 15 digits that hold no real date
        "370831199013011234",  # impossible birth date
        "12345678901",
        "10086",
        "95588",
        "12345",  # 11 digits not 1[3-9]; service numbers
        "6222021234567890124",  # 19 digits failing Luhn
        "第1组 第2组 第3组 第4组",
        "1 2 3 4 5 6 7 8 9 10 11 12",  # small numbers in a row
        "邮编272000",
        "面积1234.5平方米",
        "人口1,350人",
        "科目 1001、1002、1003、1004",
        "13,800,138,000元",
        "2026/04/08~2026/04/14",
        "10:30:45",
        "第一、二、三组",
        "统一社会信用代码 113708000042345678",  # 18 digits with no birth date in them
    ],
)
def test_near_misses_do_not_trigger(text: str):
    assert hits(text) == []


@pytest.mark.parametrize(
    "text, kind, digits",
    [
        (f"身份证号{ID}", privacy.ID_NUMBER, ID),
        ("370831199001011232", privacy.ID_NUMBER, "370831199001011232"),  # wrong check digit: still an ID (issue 13)
        ("370831199002301234", privacy.ID_NUMBER, "370831199002301234"),  # 30 February: a typo of a date
        ("37083119900101123X", privacy.ID_NUMBER, "37083119900101123X"),  # 17 digits and X
        ("139/0537/1234", privacy.MOBILE, MOBILE),
        ("139、0537、1234", privacy.MOBILE, MOBILE),
        ("139_0537_1234", privacy.MOBILE, MOBILE),
        ("139,0537,1234", privacy.MOBILE, MOBILE),
        ("139，0537，1234", privacy.MOBILE, MOBILE),
        ("139:0537:1234", privacy.MOBILE, MOBILE),
        ("139~0537~1234", privacy.MOBILE, MOBILE),
        ("(139)0537 1234", privacy.MOBILE, MOBILE),
        ("一三九〇五三七一二三四", privacy.MOBILE, MOBILE),
        ("幺三九 零五三七 一二三四", privacy.MOBILE, MOBILE),
        ("１３９：０５３７：１２３４", privacy.MOBILE, MOBILE),
        ("370831/19900101/1231", privacy.ID_NUMBER, ID),
        ("370831_1990_0101_1231", privacy.ID_NUMBER, ID),
        ("6222/0212/3456/7890/128", privacy.BANK_CARD, CARD),
        ("370831 19900101 1231", privacy.ID_NUMBER, ID),
        ("11010519491231002X", privacy.ID_NUMBER, "11010519491231002X"),
        ("11010519491231002x", privacy.ID_NUMBER, "11010519491231002X"),
        (f"老身份证{ID15}", privacy.ID_NUMBER, ID15),
        (f"联系电话{MOBILE}", privacy.MOBILE, MOBILE),
        ("139 0537 1234", privacy.MOBILE, MOBILE),
        ("139-0537-1234", privacy.MOBILE, MOBILE),
        ("+86 139 0537 1234", privacy.MOBILE, MOBILE),
        ("１３９０５３７１２３４", privacy.MOBILE, MOBILE),
        (f"卡号{CARD}", privacy.BANK_CARD, CARD),
        ("6222 0212 3456 7890 128", privacy.BANK_CARD, CARD),
        ("4111111111111111", privacy.BANK_CARD, "4111111111111111"),  # 16 digits
        ("622202123456789012", privacy.BANK_CARD, "622202123456789012"),  # 18 digits, not an ID, Luhn
    ],
)
def test_hits_name_the_kind_and_the_number(text: str, kind: str, digits: str):
    assert [(f.kind, f.digits) for f in hits(text)] == [(kind, digits)]


def test_every_check_digit_value_including_x():
    # one ID per check character: the 17 digits decide it, nothing else does
    seen = {}
    for sequence in range(200):
        first17 = f"37083119900101{sequence:03d}"
        check = privacy.id_check_digit(first17)
        seen.setdefault(check, first17)
        assert [f.digits for f in hits(first17 + check)] == [first17 + check]
        wrong = next(c for c in "0123456789X" if c != check)
        # a wrong check character is a typo of an ID: still refused whole, marked as not valid (issue 13)
        assert [(f.kind, f.valid) for f in hits(first17 + wrong)] == [(privacy.ID_NUMBER, False)]
    assert set(seen) == set("10X98765432")


# -- property: agree with a plain reference validator --------------------------------

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _ref_id18(d: str) -> bool:
    check = "10X98765432"[sum(int(c) * w for c, w in zip(d[:17], _WEIGHTS)) % 11]
    year = int(d[6:10])
    return d[17] == check and 1800 <= year <= 2099 and _real_date(year, int(d[10:12]), int(d[12:14]))


def _ref_id15(d: str) -> bool:
    return _real_date(1900 + int(d[6:8]), int(d[8:10]), int(d[10:12]))


def _ref_luhn(d: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(d)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _ref_date8(d: str) -> bool:
    return 1800 <= int(d[:4]) <= 2099 and _real_date(int(d[:4]), int(d[4:6]), int(d[6:8]))


def _ref_id_shaped(d: str) -> bool:
    """Issue 13: 18 digits whose birth-date digits look like a date are an ID, check digit right or not."""
    return d[6:8] in ("18", "19", "20") and 1 <= int(d[10:12]) <= 12 and 1 <= int(d[12:14]) <= 31


def _reference(text: str) -> list[tuple[str, str]]:
    """Each maximal digit run (separated by Chinese text) read by the rules of issue 5."""
    out = []
    for written in re.findall(r"[0-9]+(?:X(?![0-9A-Za-z]))?", text):  # an X ends a number, not a word
        if len(written) == 18 and written.endswith("X"):  # 17 digits and an ID's check character: an ID, typo'd or not
            out.append((privacy.ID_NUMBER, written))
            continue
        run = written.rstrip("X")  # another number does not take the X
        n = len(run)
        if (n == 18 and (_ref_id18(run) or _ref_id_shaped(run))) or (n == 15 and _ref_id15(run)):
            out.append((privacy.ID_NUMBER, run))
        elif n == 11 and re.fullmatch(r"1[3-9]\d{9}", run):
            out.append((privacy.MOBILE, run))
        elif n == 13 and re.fullmatch(r"861[3-9]\d{9}", run):  # +86 written without the plus
            out.append((privacy.MOBILE, run[2:]))
        elif 16 <= n <= 19 and _ref_luhn(run) and not (n == 16 and _ref_date8(run[:8]) and _ref_date8(run[8:])):
            out.append((privacy.BANK_CARD, run))
        elif n >= 19:  # an ID inside a longer number (残疾证号 = ID + 2 digits)
            inner = next(
                (
                    written[i : i + 18]
                    for i in range(len(written) - 17)
                    if written[i] != "0" and "X" not in written[i : i + 17] and _ref_id18(written[i : i + 18])
                ),
                None,
            )
            if inner:
                out.append((privacy.ID_NUMBER, inner))
    return out


def _with_check(first17: str) -> str:
    return first17 + privacy.id_check_digit(first17)


def _with_luhn(prefix: str) -> str:
    return next(prefix + str(d) for d in range(10) if privacy.luhn_ok(prefix + str(d)))


digits = st.text("0123456789", min_size=1, max_size=21)
birth = st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31))
ids = st.builds(
    lambda region, day, seq: _with_check(region + day.strftime("%Y%m%d") + seq),
    st.text("0123456789", min_size=6, max_size=6),
    birth,
    st.text("0123456789", min_size=3, max_size=3),
)
old_ids = st.builds(
    lambda region, day, seq: region + day.strftime("%y%m%d") + seq,
    st.text("0123456789", min_size=6, max_size=6),
    birth,
    st.text("0123456789", min_size=3, max_size=3),
)
mobiles = st.builds(
    lambda second, rest, prefix: prefix + "1" + second + rest,
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
    st.sampled_from(["", "86"]),
)
cards = st.integers(15, 18).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n)).map(_with_luhn)


def _nudge(value: str, position: int, digit: str) -> str:
    """One digit changed: a near-miss of a real number."""
    position %= len(value)
    return value[:position] + digit + value[position + 1 :]


numbers = st.one_of(
    digits,
    ids,
    old_ids,
    mobiles,
    cards,
    st.builds(_nudge, st.one_of(ids, mobiles, cards), st.integers(0, 20), st.sampled_from("0123456789")),
    st.builds(lambda a, b: a + b, ids, st.text("0123456789", min_size=1, max_size=3)),
    st.builds(lambda a, b: a + b, st.text("0123456789", min_size=1, max_size=3), ids),
    digits.map(lambda d: d + "X"),
)
cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=6)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(cjk, numbers), min_size=1, max_size=4), cjk)
def test_scanner_agrees_with_the_reference_validator(pieces, tail):
    text = "".join(words + number for words, number in pieces) + tail
    found = [(f.kind, f.digits) for f in hits(text)]
    assert found == _reference(text), text


# -- end to end: the workspace ------------------------------------------------

NOTICE = "notices/2026-election-notice.yaml"
ORG_CSV = "notices/2026-org.csv"
DIBAO = "notices/2026q2-dibao.xlsx"


def _leak(town: Path) -> int:
    """An ID in the election notice's body, a mobile in a 办公电话 cell, a card in the dibao roster.

    Returns the YAML line of the paragraph holding the ID.
    """
    notice = town / NOTICE
    text = notice.read_text(encoding="utf-8").replace(
        "  特此公告。", f"  联系人：孙丽娟，身份证号{ID}。\n\n  特此公告。"
    )
    notice.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if ID in row)
    org = town / ORG_CSV
    org.write_text(org.read_text(encoding="utf-8").replace("0537-1234501", "139-0537-1234", 1), encoding="utf-8")
    workbook = openpyxl.load_workbook(town / DIBAO)
    sheet = workbook["低保对象"]
    sheet["H2"] = "银行卡号"
    sheet["H3"] = CARD
    workbook.save(town / DIBAO)
    dibao = town / "notices/2026q2-dibao.yaml"
    dibao.write_text(dibao.read_text(encoding="utf-8").replace("联系电话]", "联系电话, 银行卡号]"), encoding="utf-8")
    return line


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": 错误: " in line]


def _add_key(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


SECRETS = (ID, MOBILE, CARD)


def _squeezed(text: str) -> str:
    """The text without the separators a number may be written with."""
    return re.sub(r"[\s\-\u00a0\u3000]", "", privacy.normalise(text))


def test_check_and_build_refuse_the_three_leaks_and_masking_lets_the_draft_through(town: Path):
    line = _leak(town)
    result = run("check", "-w", town)
    assert result.exit_code == 1, result.output
    errors = _errors(result.output)
    assert len(errors) == 3, result.output
    assert errors[0].startswith(
        f"{NOTICE}:{line}: 错误: 这段文字中有完整的身份证号（370*************31），印出来会泄露个人信息。请删去这个号码"
    )
    assert "mask: true" in errors[0]
    assert errors[1].startswith(
        f"{ORG_CSV}:2:E: 错误: 这一格有完整的手机号（139****1234），印出来会泄露个人信息。"
        "请删去这个号码，或在通知文件中写 mask: [这一列的列名]"
    )
    assert "public_mobiles" in errors[1]
    assert errors[2].startswith(
        f"{DIBAO}[低保对象]!H3: 错误: 这一格有完整的银行卡号（6222***********0128），印出来会泄露个人信息。"
    )
    assert (
        f"{DIBAO}[低保对象]!H2: 警告: 「银行卡号」列会原样印出，银行账号不能公开。请在通知文件中写 mask: [银行卡号]"
        in result.output
    )
    for secret in SECRETS:
        assert secret not in _squeezed(result.output)

    build = run("build", "-w", town)
    assert build.exit_code == 1
    assert len(_errors(build.output)) >= 3 and not any(secret in _squeezed(build.output) for secret in SECRETS)

    _add_key(town / NOTICE, "mask: true")
    _add_key(town / "notices/2026-org.yaml", "mask: [办公电话]")
    _add_key(town / "notices/2026q2-dibao.yaml", "mask: [银行卡号]")
    masked = run("check", "-w", town)
    assert _errors(masked.output) == [] and "列会原样印出" not in masked.output
    draft = run("build", "-w", town, "--draft")
    assert draft.exit_code == 0, draft.output
    outputs = {path: pdf_text(path) for path in (town / "out" / "print").glob("*.pdf")}
    outputs |= {path: path.read_text(encoding="utf-8") for path in (town / "out" / "site").rglob("*.html")}
    assert len(outputs) > 12
    for path, text in outputs.items():
        for secret in SECRETS:
            assert secret not in _squeezed(text), (path, secret)
    printed = {
        name: "".join(pdf_text(town / "out" / "print" / f"{name}.pdf").split())
        for name in ("2026-election-notice", "2026-org", "2026q2-dibao")
    }
    assert "370*************31" in printed["2026-election-notice"]
    assert "139****1234" in printed["2026-org"] and "0537-1234502" in printed["2026-org"]  # landlines stay whole
    assert "6222***********0128" in printed["2026q2-dibao"]


def test_the_sample_town_checks_clean(town: Path):
    result = run("check", "-w", town)
    assert result.exit_code == 0, result.output
    assert "错误" not in result.output.replace("0 个错误", "")


# -- contacts: mask and public_mobiles ------------------------------------------------

ORG_YAML = "notices/2026-org.yaml"


def _org_with_mobiles(town: Path) -> None:
    org = town / ORG_CSV
    text = org.read_text(encoding="utf-8")
    text = text.replace("0537-1234501", MOBILE, 1).replace("0537-1234502", "138 0537 0002", 1)
    org.write_text(text, encoding="utf-8")


def test_a_listed_public_mobile_prints_whole_and_any_other_is_still_reported(town: Path):
    _org_with_mobiles(town)
    _add_key(town / ORG_YAML, f"public_mobiles: [{MOBILE}]")
    result = run("check", "-w", town, "2026-org")
    assert result.exit_code == 1
    errors = _errors(result.output)
    assert len(errors) == 1 and errors[0].startswith(f"{ORG_CSV}:3:E: 错误: 这一格有完整的手机号（138****0002）")
    _add_key(town / ORG_YAML, "mask: [办公电话]")  # the listed number stays whole even in a masked column
    build = run("build", "-w", town, "2026-org", "--draft")
    assert build.exit_code == 0, build.output
    flat = "".join(pdf_text(town / "out" / "print" / "2026-org.pdf").split())
    assert MOBILE in flat and "138****0002" in flat and "13805370002" not in flat


def test_public_mobiles_written_with_hyphens_are_the_same_number(town: Path):
    _org_with_mobiles(town)
    _add_key(town / ORG_YAML, "public_mobiles:\n  - 139-0537-1234\n  - 138 0537 0002")
    result = run("check", "-w", town, "2026-org")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "value, message",
    [
        (
            "true",
            f"{ORG_YAML}:26: 错误: 「public_mobiles」（公开的工作手机）不能只写 true：请逐个列出允许公开的工作手机号",
        ),
        (
            "[0537-1234501]",
            f"{ORG_YAML}:26: 错误: 「public_mobiles」（公开的工作手机）中的「0537-1234501」不是一个手机号。",
        ),
        (
            f"[{ID}]",
            f"{ORG_YAML}:26: 错误: 「public_mobiles」（公开的工作手机）中的「370*************31」不是一个手机号。",
        ),
        ("[13700000000]", f"{ORG_YAML}:26: 警告: 「public_mobiles」（公开的工作手机）中的 137****0000 在表中没有出现"),
    ],
)
def test_bad_public_mobiles_are_located(town: Path, value: str, message: str):
    assert len((town / ORG_YAML).read_text(encoding="utf-8").splitlines()) == 25
    _add_key(town / ORG_YAML, f"public_mobiles: {value}")
    result = run("check", "-w", town, "2026-org")
    assert message in result.output, result.output
    assert result.exit_code == (0 if "警告" in message else 1)
    assert ID not in result.output


@pytest.mark.parametrize(
    "value, message",
    [
        (
            "[电话号码]",
            f"{ORG_YAML}:26: 错误: 「mask」（遮盖列）中的「电话号码」在数据表 notices/2026-org.csv 中没有这一列。"
            "请改成表头里的列名。表中现有的列：部门、姓名、职务、分管工作、办公电话、办公地点。",
        ),
        ("true", f"{ORG_YAML}:26: 错误: 「mask」（遮盖列）要列出需要遮盖的列名，例如 mask: [身份证号, 联系电话]"),
    ],
)
def test_bad_mask_on_contacts_is_located(town: Path, value: str, message: str):
    _add_key(town / ORG_YAML, f"mask: {value}")
    result = run("check", "-w", town, "2026-org")
    assert result.exit_code == 1
    assert message in result.output, result.output


def test_mask_may_name_the_english_alias(town: Path):
    _org_with_mobiles(town)
    _add_key(town / ORG_YAML, "mask: [phone]")
    assert run("check", "-w", town, "2026-org").exit_code == 0


# -- roster: cards only where declared --------------------------------------------------


def test_roster_mask_names_an_unknown_column(town: Path):
    _add_key(town / "notices/2026q2-dibao.yaml", "mask: [银行卡号]")
    result = run("check", "-w", town, "2026q2-dibao")
    assert result.exit_code == 1
    assert (
        "notices/2026q2-dibao.yaml:18: 错误: 「mask」（遮盖列）中的「银行卡号」"
        "在数据表 notices/2026q2-dibao.xlsx 中没有这一列。"
        "请改成表头里的列名。表中现有的列：序号、户主姓名、家庭人口、保障金额（元/月）、身份证号、联系电话、村民小组。"
    ) in result.output


# -- notice: the body's line, and mask: true -------------------------------------------


def test_a_mobile_in_a_notice_title_and_body_is_masked_with_mask_true(town: Path):
    notice = town / NOTICE
    text = notice.read_text(encoding="utf-8").replace("换届选举公告\n", f"换届选举公告（联系{MOBILE}）\n", 1)
    text = text.replace("  特此公告。", f"  联系人手机：139 0537 1234，卡号{CARD}。\n\n  特此公告。")
    notice.write_text(text, encoding="utf-8")
    result = run("check", "-w", town, "2026-election-notice")
    assert result.exit_code == 1
    assert f"{NOTICE}:4: 错误: 标题中有完整的手机号（139****1234）" in result.output
    assert len(_errors(result.output)) == 3  # the title, and the paragraph's mobile and card
    _add_key(notice, "mask: true")
    build = run("build", "-w", town, "2026-election-notice", "--draft")
    assert build.exit_code == 0, build.output
    flat = _squeezed(pdf_text(town / "out" / "print" / "2026-election-notice.pdf"))
    assert MOBILE not in flat and CARD not in flat
    assert "139****1234" in flat and "6222***********0128" in flat
    assert "05371234580" in flat  # landlines in the same notice stay whole


def test_mask_on_a_notice_takes_true_not_a_column_list(town: Path):
    _add_key(town / NOTICE, "mask: [正文]")
    result = run("check", "-w", town, "2026-election-notice")
    assert result.exit_code == 1
    assert f"{NOTICE}:49: 错误: 公告、通知的「mask」（遮盖号码）写 true 或 false，不列列名" in result.output
