"""privacy: every way a clerk writes an ID, mobile or card is masked; what rosters legitimately carry is not."""

from __future__ import annotations

import pytest

from noticeboard import privacy

ID = "370831199001011231"  # a checksum-valid ID
assert privacy.is_valid_id(ID)
ID_MASKED = "370*************31"
MOBILE_MASKED = "138****5678"


def _luhn(prefix: str) -> str:
    return next(prefix + str(d) for d in range(10) if privacy.luhn_ok(prefix + str(d)))


@pytest.mark.parametrize(
    "text, expected",
    [
        # IDs in any grouping and with any separator
        ("370 831 1990 0101 1231", ID_MASKED),  # 3-3-4-4-4
        ("370831199 001011231", ID_MASKED),  # 9-9
        ("3708 3119 9001 0112 31", ID_MASKED),  # in fours like a card
        ("370831 1990 01 01 1231", ID_MASKED),  # the date split up: still a real birth date
        ("370831–19900101–1231", ID_MASKED),  # en dash
        ("370831—19900101—1231", ID_MASKED),  # em dash
        ("370831.19900101.1231", ID_MASKED),
        ("370831·19900101·1231", ID_MASKED),  # middle dot
        ("370831\u00a019900101\u00a01231", ID_MASKED),  # NBSP
        ("370831\u200919900101\u20091231", ID_MASKED),  # thin space
        ("370831\u300019900101\u30001231", ID_MASKED),  # ideographic space
        ("370831 - 19900101 - 1231", ID_MASKED),
        ("３７０８３１１９９００１０１１２３１", ID_MASKED),  # full-width
        ("ＩＤ37083１１9900１011231", "ＩＤ" + ID_MASKED),  # mixed widths
        ("37083119850203105x", "370*************5X"),
        ("3708311985 0203105Ｘ", "370*************5X"),
        ("370831199013011234", "370*************34"),  # impossible birth date: still an ID
        ("370831900101123", "370**********23"),  # the old 15-digit ID
        ("1.370831199001011231", "1." + ID_MASKED),  # right after a list number
        ("1、370831199001011231", "1、" + ID_MASKED),
        ("身份证370831199001011231号", "身份证" + ID_MASKED + "号"),
        # mobiles
        ("138–1234–5678", MOBILE_MASKED),
        ("138—1234—5678", MOBILE_MASKED),
        ("138.1234.5678", MOBILE_MASKED),
        ("1381 2345 678", MOBILE_MASKED),
        ("138\u00a01234\u00a05678", MOBILE_MASKED),
        ("13812345678x", MOBILE_MASKED + "x"),
        ("１３８－１２３４－５６７８", MOBILE_MASKED),
        ("+8613812345678", MOBILE_MASKED),
        ("86 138 1234 5678", MOBILE_MASKED),
        ("1.13812345678", "1." + MOBILE_MASKED),
        ("tel:13812345678;", "tel:" + MOBILE_MASKED + ";"),
        ("2026-04-12 13812345678", "2026-04-12 " + MOBILE_MASKED),  # a date before it stays
        ("450.00 13812345678", "450.00 " + MOBILE_MASKED),  # an amount before it stays
        ("13812345678 13912345678", MOBILE_MASKED + " 139****5678"),
        # numbers run together print apart
        ("37083119900101123113812345678", ID_MASKED + " " + MOBILE_MASKED),
        ("1381234567813912345678", MOBILE_MASKED + " 139****5678"),
        (ID + " 13812345678", ID_MASKED + " " + MOBILE_MASKED),
    ],
)
def test_every_writing_of_a_number_is_masked(text: str, expected: str):
    assert privacy.mask(text)[0] == expected


def test_a_bank_card_in_any_common_grouping_is_masked():
    card = _luhn("622202123456789012")  # 19 digits
    masked = card[:4] + "*" * 11 + card[-4:]
    for written in (
        card,
        " ".join(card[i : i + 4] for i in range(0, 19, 4)),
        "-".join(card[i : i + 4] for i in range(0, 19, 4)),
        card[:6] + " " + card[6:],
    ):
        assert privacy.mask(written)[0] == masked, written
    sixteen = _luhn("622848001234567")
    assert (
        privacy.mask(" ".join(sixteen[i : i + 4] for i in range(0, 16, 4)))[0]
        == sixteen[:4] + "********" + sixteen[-4:]
    )


def test_an_impossible_birth_date_is_masked_and_flagged():
    [finding] = privacy.find("370831199013011234")
    assert (finding.kind, finding.valid, finding.date_ok) == ("id_number", False, False)
    [good] = privacy.find(ID)
    assert (good.valid, good.date_ok) == (True, True)
    [typo] = privacy.find(ID[:-1] + "2")
    assert (typo.valid, typo.date_ok) == (False, True)  # only the check digit is wrong


def test_find_reports_the_span_as_written():
    text = "电话：+86 138 1234 5678。"
    [finding] = privacy.find(text)
    assert text[finding.start : finding.end] == "+86 138 1234 5678"
    assert finding.digits == "13812345678"
    text = "身份证：３７０８３１１９９００１０１１２３１"
    [finding] = privacy.find(text)
    assert text[finding.start :] == "３７０８３１１９９００１０１１２３１" and finding.digits == ID


@pytest.mark.parametrize(
    "text",
    [
        # amounts
        "1,234.56",
        "1234.56",
        "12,345,678,901",
        "450",
        "450.00 1200.00",
        "150.00 3000.00",
        "13812345678.00",
        "0.13812345678",
        "补助1,350.00元",
        # dates and periods
        "2026-04-12",
        "2026.04.12",
        "2026年4月12日",
        "2026.04.08-2026.04.14",
        "2026.04.08—2026.04.14",
        "20260408-20260414",
        "2026-04-08至2026-04-14",
        "1965-03",
        "1965.03.12",
        # 户号 and other codes rosters carry
        "0101",
        "户号0101003",
        "3708310010001",
        "1370831001000",
        "370828001001",
        "3708280010010001",
        # landlines with an area code
        "0537-1234567",
        "0537–1234567",
        "(0537)1234567",
        "（0537）1234567",
        "010-12345678",
        "05371234567",
        "0537 1234567",
        "0537-1234567转801",
        # small numbers side by side, and near-miss lengths
        "100 200 300 400 500 600",
        "1 2 3 4 5 6 7 8 9 10 11 12",
        "第3组 12户 45人",
        "12345678901",
        "23812345678",
        "1381234567",
        "138123456789",
        "张三",
        "",
    ],
)
def test_what_rosters_legitimately_carry_is_untouched(text: str):
    assert privacy.mask(text) == (text, [])
    assert privacy.scan(text) == []


@pytest.mark.parametrize(
    "header, kind",
    [
        ("身份证号", "id_number"),
        ("身份证号码", "id_number"),
        ("证件号码", "id_number"),
        ("公民身份号码", "id_number"),
        ("户主身份证号", "id_number"),
        ("残疾证号", "id_number"),
        ("手机号", "mobile"),
        ("手机", "mobile"),
        ("联系电话", "mobile"),
        ("联系方式", "mobile"),
        ("办公电话", "mobile"),
        ("银行卡号", "bank_card"),
        ("卡号", "bank_card"),
        ("开户账号", "bank_card"),
        ("社保卡号", "bank_card"),
        ("姓名", None),
        ("户号", None),
        ("户主姓名", None),
        ("家庭人口", None),
        ("村民小组", None),
        ("保障金额", None),
        ("地址", None),
        ("备注", None),
        ("出生年月", None),
        ("序号", None),
    ],
)
def test_column_kind_reads_the_header(header: str, kind: str | None):
    assert privacy.column_kind(header) == kind


@pytest.mark.parametrize(
    "column, text, expected",
    [
        ("id_number", "3708310010001", "370********01"),  # 13 digits: in an ID column it is masked
        ("id_number", "37083119900101123", "370************23"),  # an ID missing a digit
        ("id_number", "370831 1990 0101 12", "370***********12"),  # 16 digits
        ("mobile", "1381234567", "138****567"),  # a mobile missing a digit
        ("mobile", "4211234", "421***4"),  # a home landline without area code
        ("mobile", "0537-1234567", "0537-1234567"),  # an office landline with area code stays
        ("mobile", "(0537)1234567", "(0537)1234567"),
        ("mobile", "010-12345678", "010-12345678"),
        ("mobile", "0537-1234567转801", "0537-1234567转801"),
        ("mobile", "无", "无"),
        ("mobile", "13812345678", "138****5678"),
        ("bank_card", "6222 0212 3456 7890", "6222********7890"),  # not Luhn: masked by the column anyway
        ("id_number", "无", "无"),
    ],
)
def test_a_sensitive_column_masks_by_digit_count(column: str, text: str, expected: str):
    masked, found = privacy.mask(text, column=column)
    assert masked == expected
    assert all(f.kind in (column, "mobile", "id_number") for f in found)


def test_column_findings_say_they_come_from_the_column():
    [finding] = privacy.find("3708310010001", column="id_number")
    assert finding.by_column and not finding.valid
    [finding] = privacy.find(ID, column="id_number")
    assert not finding.by_column and finding.valid


def test_an_18_digit_luhn_number_in_a_card_column_is_a_card():
    card = _luhn("62220212345678901")
    assert privacy.find(card)[0].kind == "id_number"  # elsewhere 18 digits read as an ID (masked either way)
    assert privacy.find(card, column="bank_card")[0].kind == "bank_card"


def test_scan_also_refuses_an_id_inside_a_longer_number():
    disability = ID + "41"  # a 残疾证号 is the ID and two more digits
    assert privacy.find(disability) == []
    [finding] = privacy.scan("残疾证号" + disability)
    assert finding.kind == "id_number" and finding.digits == ID
    assert privacy.masked_text("残疾证号" + disability) == "残疾证号" + ID_MASKED


def test_normalise_keeps_positions():
    text = "１３８－１２３４\u00a0５６７８ＸＩＤ—·"
    assert len(privacy.normalise(text)) == len(text)
    assert privacy.normalise(text) == "138-1234 5678XＩＤ-."
