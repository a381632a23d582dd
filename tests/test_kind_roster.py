"""roster (公示名单): masking by the privacy policy, columns and groups, dense multi-column flow."""

from __future__ import annotations

import csv
import itertools
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import SETTINGS, decode_qr, findable, make_workspace, pdf_pages, pdf_text, render_page, run
from python_calamine import CalamineWorkbook

from noticeboard import privacy
from noticeboard.layout.blocks import Ctx, Paragraph, Table, TableColumn, TableRow
from noticeboard.layout.design import load_design
from noticeboard.layout.fit import auto_columns, fit, flow
from noticeboard.layout.fonts import build_stack
from noticeboard.layout.frame import SheetInfo, SheetTemplate
from noticeboard.layout.paper import page_size
from noticeboard.layout.sheet import TextItem
from noticeboard.load.workspace import load_workspace
from noticeboard.models import PrivacyRule
from noticeboard.pipeline import lay_out
from noticeboard.resources import samples_dir

MM = 72 / 25.4
A_SERIES = {"A2": (420, 594), "A3": (297, 420), "A4": (210, 297)}
SAMPLES = {"2026-voter-list": "A2", "2026q2-dibao": "A3"}
STACK, _ = build_stack([])


def _valid_id(first17: str) -> str:
    return first17 + privacy.id_check_digit(first17)


def _luhn_card(prefix: str) -> str:
    return next(prefix + str(d) for d in range(10) if privacy.luhn_ok(prefix + str(d)))


# -- privacy: detect and mask --------------------------------------------------------


def test_gb11643_check_digit():
    assert privacy.id_check_digit("11010519491231002") == "X"  # the standard's own example
    assert privacy.is_valid_id("11010519491231002X")
    assert privacy.is_valid_id("11010519491231002x")
    assert not privacy.is_valid_id("110105194912310021")
    assert privacy.is_valid_id("110105491231002")  # 15 digits carry no check digit


@pytest.mark.parametrize(
    "rule, expected",
    [
        (PrivacyRule(3, 2), "110*************2X"),
        (PrivacyRule(6, 4), "110105********002X"),
        (PrivacyRule(0, 4), "**************002X"),
        (PrivacyRule(1, 1), "1****************X"),
        (PrivacyRule(0, 0), "******************"),
        (PrivacyRule(18, 18), "11010519491231****"),  # a policy that keeps everything still hides 4
        (PrivacyRule(10, 10), "1101051949****002X"),  # the end gives back first
    ],
)
def test_id_number_masked_at_several_policies(rule, expected):
    masked, found = privacy.mask("11010519491231002X", {"id_number": rule})
    assert masked == expected
    assert [(f.kind, f.valid) for f in found] == [("id_number", True)]


@pytest.mark.parametrize(
    "rule, expected",
    [
        (PrivacyRule(3, 4), "138****5678"),
        (PrivacyRule(3, 2), "138******78"),
        (PrivacyRule(0, 4), "*******5678"),
        (PrivacyRule(5, 5), "13812****78"),  # would keep 10 of 11: the end gives back until 4 are hidden
    ],
)
def test_mobile_masked_at_several_policies(rule, expected):
    assert privacy.mask("13812345678", {"mobile": rule})[0] == expected


def test_defaults_apply_when_the_workspace_has_no_policy():
    assert privacy.policy({}) == privacy.DEFAULT_RULES
    assert privacy.policy({"mobile": PrivacyRule(2, 2)})["id_number"] == PrivacyRule(3, 2)
    assert privacy.mask("11010519491231002X 13812345678")[0] == "110*************2X 138****5678"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("110105491231002", "110**********02"),  # the old 15-digit ID
        ("身份证：11010519491231002X。", "身份证：110*************2X。"),
        ("110105 19491231 002X", "110*************2X"),  # written in 6-8-4 groups
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("8613812345678", "138****5678"),
        ("电话13812345678，或15912345678", "电话138****5678，或159****5678"),
        ("No.13812345678", "No.138****5678"),
        ("１３８１２３４５６７８", "138****5678"),  # full-width digits
        ("11010519491231002X/13812345678", "110*************2X/138****5678"),
    ],
)
def test_every_written_form_is_masked(text, expected):
    assert privacy.mask(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "0537-1234567",
        "0537-12345678",
        "(0537)1234567",
        "05371234567",  # office landlines
        "450",
        "1,350.00",
        "13812345678.00",
        "0.13812345678",
        "12,345,678,901",  # amounts
        "2026-02-20",
        "2026年2月20日",
        "1965-03",  # dates
        "户号0101003",
        "370828001001",
        "3708280010010001",  # 户号 and long numbers that are no ID
        "12345678901",
        "23812345678",
        "138123456789",
        "1381234567",  # not a mobile: prefix or length
        "张三",
        "",
    ],
)
def test_landlines_amounts_dates_and_household_numbers_are_untouched(text):
    assert privacy.mask(text) == (text, [])


def test_an_id_with_a_wrong_check_digit_is_still_masked_but_marked_invalid():
    masked, found = privacy.mask("110105194912310021")
    assert masked == "110*************21"
    assert [f.valid for f in found] == [False]


def test_bank_cards_are_found_by_luhn_and_masked():
    card = _luhn_card("622202123456789012")  # 19 digits
    assert privacy.mask(card)[0] == card[:4] + "*" * 11 + card[-4:]
    spaced = " ".join(card[i : i + 4] for i in range(0, 19, 4))
    assert privacy.mask(spaced)[0] == card[:4] + "*" * 11 + card[-4:]
    not_luhn = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert privacy.find(not_luhn) == []


def test_find_reports_spans_digits_and_kinds():
    text = "户主张三 11010519491231002X 电话 138-1234-5678"
    found = privacy.find(text)
    assert [(f.kind, f.digits, text[f.start : f.end]) for f in found] == [
        ("id_number", "11010519491231002X", "11010519491231002X"),
        ("mobile", "13812345678", "138-1234-5678"),
    ]
    assert found[0].label == "身份证号"


def test_numbers_excel_stored_as_numbers_are_recognised():
    assert privacy.looks_mangled("3.70828E+17")
    assert privacy.looks_mangled("3.708281965031201e+17")
    assert not privacy.looks_mangled("1.5E+3")
    assert not privacy.looks_mangled("13812345678")


# -- the sample rosters -------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("roster") / "town"
    shutil.copytree(samples_dir() / "town", target, ignore=shutil.ignore_patterns("out"))
    result = run("build", "-w", target, *SAMPLES)
    assert result.exit_code == 0, result.output
    return target


def _pdf(town: Path, notice_id: str) -> Path:
    return town / "out" / "print" / f"{notice_id}.pdf"


def _voters(town: Path) -> list[list[str]]:
    with open(town / "notices" / "2026-voter-list.csv", encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))[1:]


def _households(town: Path) -> list[list[str]]:
    grid = (
        CalamineWorkbook.from_path(str(town / "notices" / "2026q2-dibao.xlsx"))
        .get_sheet_by_name("低保对象")
        .to_python()
    )
    rows = [[str(int(v)) if isinstance(v, float) else str(v) for v in row] for row in grid[2:]]
    return [row for row in rows if any(row)]


@pytest.mark.parametrize("notice_id", SAMPLES)
def test_sample_page_sizes_are_exact(built: Path, notice_id: str):
    short, long = A_SERIES[SAMPLES[notice_id]]
    for width, height in pdf_pages(_pdf(built, notice_id)):
        assert (width, height) == pytest.approx((short * MM, long * MM), abs=0.01)


@pytest.mark.parametrize("notice_id", SAMPLES)
def test_sample_qr_decodes_on_every_sheet_at_150_dpi(built: Path, notice_id: str):
    pdf = _pdf(built, notice_id)
    for index in range(len(pdf_pages(pdf))):
        assert decode_qr(render_page(pdf, index, dpi=150)) == [f"https://gk.example.gov.cn/lcz/{notice_id}/"]


@pytest.mark.parametrize("notice_id", SAMPLES)
def test_sample_fonts_are_embedded_and_subset(built: Path, notice_id: str):
    raw = _pdf(built, notice_id).read_bytes()
    fonts = re.findall(rb"/BaseFont\s*/([^\s/>\[]+)", raw)
    assert fonts
    for name in fonts:
        assert re.match(rb"[A-Z]{6}\+", name), name
    assert raw.count(b"/FontFile2") == len(re.findall(rb"/Type /FontDescriptor", raw)) > 0


def test_voter_list_every_voter_and_group_is_findable(built: Path):
    text = pdf_text(_pdf(built, "2026-voter-list"))
    voters = _voters(built)
    assert len(voters) == 300
    missing = [cell for row in voters for cell in row if not findable(cell, text)]
    assert missing == []
    flat = "".join(text.split())
    for group in dict.fromkeys(row[4] for row in voters):
        count = sum(row[4] == group for row in voters)
        assert f"{group}（{count}人）" in flat  # the section heading with its count
    assert "共300人，分6个村民小组" in flat
    # the group column is carried by the headings, not repeated in every row
    assert flat.count("第一村民小组") < 5


def test_voter_list_sheets_are_numbered_and_continued(built: Path):
    pdf = _pdf(built, "2026-voter-list")
    document = pdfium.PdfDocument(str(pdf))
    try:
        count = len(document)
        assert count == 2  # 300 voters in four columns on A2
        for number, page in enumerate(document, start=1):
            page_text = "".join(page.get_textpage().get_text_range().split())
            assert f"第{number}张/共{count}张" in page_text
            assert page_text.count("出生年月") >= 4  # each column part repeats the header
            assert "（续）" in page_text  # a group carried into the next column shows its heading again
    finally:
        document.close()


def test_voter_list_rows_keep_file_order_within_groups(built: Path):
    loaded = load_workspace(built)
    notice = next(n for n in loaded.workspace.notices if n.id == "2026-voter-list")
    groups = notice.content.groups
    assert [name for name, _ in groups] == [f"第{n}村民小组" for n in "一二三四五六"]
    numbers = [int(row.cells[0]) for _, rows in groups for row in rows]
    assert numbers == list(range(1, 301))


def test_dibao_prints_masked_ids_and_mobiles_and_never_the_full_ones(built: Path):
    text = pdf_text(_pdf(built, "2026q2-dibao"))
    flat = "".join(text.split())
    digits_only = re.sub(r"[^0-9X]", "", flat)
    households = _households(built)
    assert len(households) == 20
    secrets = []
    for no, head, members, amount, id_number, phone, group in households:
        for needle in (no, head, members, amount, group):
            assert findable(needle, text), needle
        assert privacy.is_valid_id(id_number)
        secrets.append(id_number)
        assert findable(id_number[:3] + "*" * 13 + id_number[-2:], text)
        if phone.startswith("0537-"):
            assert phone in flat  # an office landline is printed as written
        elif phone:
            mobile = re.sub(r"\D", "", phone)
            secrets.append(mobile)
            assert mobile[:3] + "****" + mobile[-4:] in flat
    assert sum(1 for s in secrets if len(s) == 11) >= 10
    for secret in secrets:
        assert secret not in flat and secret not in digits_only
        assert secret.encode() not in _pdf(built, "2026q2-dibao").read_bytes()
    assert "注：身份证号、手机号已按规定隐去中间几位。" in flat


def test_full_numbers_never_reach_the_model_or_the_layout(built: Path):
    loaded = load_workspace(built)
    notice = next(n for n in loaded.workspace.notices if n.id == "2026q2-dibao")
    secrets = [row[4] for row in _households(built)]
    assert not [s for s in secrets if s in repr(notice.content)]
    laid = "".join(item.text for sheet in lay_out(notice, loaded) for item in sheet.items if isinstance(item, TextItem))
    assert not [s for s in secrets if s in laid]


def test_village_issuer_and_signoffs_in_the_footer(built: Path):
    flat = "".join(pdf_text(_pdf(built, "2026q2-dibao")).split())
    for needle in [
        "小庄村村民委员会",
        "2026年4月8日",
        "公示期：2026年4月8日至2026年4月14日",
        "监督电话：0537-1234567",
        "初审：孔德华2026-04-03",
        "审核：颜丽娟2026-04-07",
        "保密审查：孟庆海2026-04-07",
        "共20户",
    ]:
        assert needle in flat, needle


# -- a workspace of one roster -------------------------------------------------------

ROSTER_CSV = """\
序号,姓名,身份证号,联系电话,村民小组,备注
1,张三,{id1},138 1234 5678,一组,
2,李四,{id2},0537-4211234,一组,户号0101002
3,王五,{id3},159-8765-4321,二组,保障金额450元
""".format(id1=_valid_id("37083119650312001"), id2=_valid_id("37083119700101002"), id3="370831580101001")


def roster_yaml(notice_id: str = "t-roster", **extra: str) -> str:
    fields = {
        "id": notice_id,
        "kind": "roster",
        "title": "测试村低保对象公示",
        "issuer": "测试村村民委员会",
        "date": "2026-04-08",
        "display_days": "7",
        "paper": "A4",
        "data": "t-roster.csv",
    }
    fields.update(extra)
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def _roster_workspace(root: Path, yaml: str, table: str = ROSTER_CSV, settings: str = SETTINGS) -> Path:
    return make_workspace(root, {"notices/t-roster.yaml": yaml, "notices/t-roster.csv": table}, settings)


@pytest.mark.parametrize(
    "policy, id_form, mobile_form",
    [
        ("", "370*************{last2}", "138****5678"),  # the defaults
        (
            "privacy:\n  id_number: {keep_first: 6, keep_last: 4}\n  mobile: {keep_first: 3, keep_last: 2}\n",
            "370831********{last4}",
            "138******78",
        ),
        ("privacy:\n  id_number: {keep_first: 0, keep_last: 0}\n", "******************", "138****5678"),
    ],
)
def test_the_workspace_policy_decides_the_printed_form(tmp_path: Path, policy: str, id_form: str, mobile_form: str):
    _roster_workspace(tmp_path, roster_yaml(), settings=SETTINGS + policy)
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    flat = "".join(pdf_text(tmp_path / "out" / "print" / "t-roster.pdf").split())
    full = _valid_id("37083119650312001")
    assert id_form.format(last2=full[-2:], last4=full[-4:]) in flat
    assert mobile_form in flat
    assert full not in flat and "13812345678" not in flat
    assert "0537-4211234" in flat and "户号0101002" in flat and "保障金额450元" in flat


def test_without_columns_every_column_prints_in_file_order(tmp_path: Path):
    _roster_workspace(tmp_path, roster_yaml())
    assert run("build", "-w", tmp_path, "--draft").exit_code == 0
    flat = "".join(pdf_text(tmp_path / "out" / "print" / "t-roster.pdf").split())
    assert "序号姓名身份证号联系电话村民小组备注" in flat
    assert "370**********01" in flat  # the 15-digit ID, masked
    assert "名单（3人）" in flat


def test_columns_choose_and_order_and_group_by_makes_sections(tmp_path: Path):
    _roster_workspace(tmp_path, roster_yaml(columns="[姓名, 序号, 联系电话]", group_by="村民小组"))
    assert run("build", "-w", tmp_path, "--draft").exit_code == 0
    flat = "".join(pdf_text(tmp_path / "out" / "print" / "t-roster.pdf").split())
    assert "一组（2人）姓名序号联系电话张三1138****5678李四20537-4211234" in flat
    assert "二组（1人）姓名序号联系电话王五3159****4321" in flat
    assert "370" not in flat.replace("0537", "")  # the ID column was not chosen
    assert "共3人，分2个村民小组" in flat


def test_columns_may_name_the_english_alias_and_one_line_lists(tmp_path: Path):
    _roster_workspace(tmp_path, roster_yaml(columns="序号、name, 联系电话", count_unit="户"))
    assert run("build", "-w", tmp_path, "--draft").exit_code == 0
    flat = "".join(pdf_text(tmp_path / "out" / "print" / "t-roster.pdf").split())
    assert "名单（3户）序号姓名联系电话" in flat


@pytest.mark.parametrize(
    "extra, line, message",
    [
        (
            {"columns": "[序号, 姓名, 出生日期]"},
            9,
            (
                "错误: 「columns」中的「出生日期」在数据表 notices/t-roster.csv 中没有这一列。请改成表头里的列名。"
                "表中现有的列：序号、姓名、身份证号、联系电话、村民小组、备注。"
            ),
        ),
        (
            {"group_by": "小组"},
            9,
            "错误: 「group_by」（分组列）「小组」在数据表 notices/t-roster.csv 中没有这一列。"
            "表中现有的列：序号、姓名、身份证号、联系电话、村民小组、备注。",
        ),
        ({"columns": "[序号, 姓名, name]"}, 9, "错误: 「columns」中的「name」写了两次，请删去一个。"),
        ({"columns": "[]"}, 9, "错误: 「columns」（列）是空的"),
        ({"columns": "[村民小组]", "group_by": "村民小组"}, 9, "错误: 除了分组列「村民小组」，至少还要印一列"),
        ({"group_by": "[村民小组]"}, 9, "错误: 「group_by」（分组列）应当是一个值"),
    ],
)
def test_bad_columns_and_group_by_are_located(tmp_path: Path, extra: dict, line: int, message: str):
    _roster_workspace(tmp_path, roster_yaml(**extra))
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert f"notices/t-roster.yaml:{line}: {message}" in result.output
    build = run("build", "-w", tmp_path)
    assert build.exit_code == 1
    assert not (tmp_path / "out" / "print" / "t-roster.pdf").exists()


def test_a_column_item_on_its_own_line_is_located_there(tmp_path: Path):
    yaml = roster_yaml() + "columns:\n  - 序号\n  - 姓名\n  - 年龄\n"
    _roster_workspace(tmp_path, yaml)
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert "notices/t-roster.yaml:12: 错误: 「columns」中的「年龄」在数据表" in result.output


def test_an_id_excel_stored_as_a_number_is_an_error_at_its_cell(tmp_path: Path):
    table = "序号,姓名,身份证号\n1,张三,3.70831E+17\n"
    _roster_workspace(tmp_path, roster_yaml(), table)
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert (
        "notices/t-roster.csv:2:C: 错误: 「身份证号」这一格是「3.70831E+17」：长号码被 Excel 存成了数字"
        in result.output
    )


def test_wrong_check_digit_duplicate_id_and_empty_group_are_warnings(tmp_path: Path):
    good = _valid_id("37083119650312001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    table = f"序号,姓名,身份证号,村民小组\n1,张三,{bad},一组\n2,李四,{good},\n3,王五,{good},一组\n"
    _roster_workspace(tmp_path, roster_yaml(group_by="村民小组"), table)
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 0, result.output
    assert (
        f"notices/t-roster.csv:2:C: 警告: 身份证号 370*************{bad[-2:]} 的校验位不对，请核对是否录错。"
        in result.output
    )
    assert (
        "notices/t-roster.csv:3:D: 警告: 「村民小组」是空的，这一行会列在「未填村民小组」一组里。请补上。"
        in result.output
    )
    assert "notices/t-roster.csv:4:C: 警告: 身份证号 370*************" in result.output
    assert "与 notices/t-roster.csv:3:C 的相同：同一个人是否列了两次？" in result.output
    assert good not in result.output and bad not in result.output  # messages use the masked form too


def test_a_missing_data_file_is_located(tmp_path: Path):
    make_workspace(tmp_path, {"notices/t-roster.yaml": roster_yaml(data="无此文件.csv")})
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert "notices/t-roster.yaml:8: 错误: 找不到数据文件" in result.output


def test_supervision_committee_signoff_is_required_and_printed(tmp_path: Path):
    settings = SETTINGS + "reviews: [初审, 村务监督委员会]\n"
    unsigned = roster_yaml() + "reviews:\n  初审: {by: 孔德华, date: 2026-04-03}\n"
    _roster_workspace(tmp_path, unsigned, settings=settings)
    refused = run("build", "-w", tmp_path)
    assert refused.exit_code == 1
    assert "缺少「村务监督委员会」签批，不能正式印发" in refused.output
    signed = unsigned + "  村务监督委员会: {by: 颜丽娟, date: 2026-04-07}\n"
    _roster_workspace(tmp_path, signed, settings=settings)
    result = run("build", "-w", tmp_path)
    assert result.exit_code == 0, result.output
    flat = "".join(pdf_text(tmp_path / "out" / "print" / "t-roster.pdf").split())
    assert "村务监督委员会：颜丽娟2026-04-07" in flat and "测试村村民委员会" in flat


# -- dense multi-column flow ----------------------------------------------------------

SURNAMES = "王李张刘陈杨赵孔孟颜周吴徐孙马朱胡郭何高"
GIVEN1 = "建秀玉桂德春海文学永志国庆明丽红"
GIVEN2 = "华英兰芳军强平伟杰峰"
GROUPS = [f"第{n}村民小组" for n in "一二三四五六七八"]


def _voter_csv(count: int) -> tuple[str, list[str]]:
    names = ["".join(parts) for parts in itertools.product(SURNAMES, GIVEN1, GIVEN2)][:count]
    lines = ["序号,姓名,性别,出生年月,村民小组"]
    for index, name in enumerate(names):
        group = GROUPS[index * len(GROUPS) // count]
        lines.append(f"{index + 1},{name},{'男女'[index % 2]},{1940 + index % 60}-{index % 12 + 1:02d},{group}")
    return "\n".join(lines) + "\n", names


def test_1500_voters_on_a3_take_11_sheets_in_4_columns_and_none_is_lost(tmp_path: Path):
    table, names = _voter_csv(1500)
    assert len(set(names)) == 1500
    yaml = roster_yaml(
        "t-voters", data="t-voters.csv", paper="A3", columns="[序号, 姓名, 性别, 出生年月]", group_by="村民小组"
    )
    make_workspace(tmp_path, {"notices/t-voters.yaml": yaml, "notices/t-voters.csv": table})
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "print" / "t-voters.pdf"
    # Computed: at A3 the four-column table fits four times across at the board floor of 12 pt
    # (10.25 pt before issue 19 raised it), so 1,500 voters and 8 group headings need 11 sheets.
    assert len(pdf_pages(pdf)) == 11
    text = pdf_text(pdf)
    assert [name for name in names if not findable(name, text)] == []
    assert len(re.findall(r"(?<![\d-])\d{4}-\d{2}(?![\d-])", text)) == 1500  # every row's 出生年月, once
    flat = "".join(text.split())
    assert "第11张/共11张" in flat and "共1500人，分8个村民小组" in flat
    loaded = load_workspace(tmp_path)
    sheets = lay_out(loaded.workspace.notices[0], loaded)
    assert sheets[0].body_size >= loaded.designs["roster"].paper("A3").floor
    # one table column a sheet, as a plain list would be set: far more paper
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "roster.yaml").write_text("body:\n  columns: {portrait: 1}\n", encoding="utf-8")
    single = load_workspace(tmp_path)
    assert len(lay_out(single.workspace.notices[0], single)) == 44  # 12 pt floor and a 44 mm version-4 code


def _template(paper: str = "A4") -> SheetTemplate:
    design, problems = load_design("roster")
    assert problems == []
    info = SheetInfo(
        title="测试名单",
        meta=["发布日期：2026年2月20日"],
        issuer="测试村",
        date_text="2026年2月20日",
        hotline="0537-7654321",
        url="https://gk.example.gov.cn/test/t/",
    )
    return SheetTemplate(info, design, STACK, paper, page_size(paper, "portrait"), "portrait")


def _names_table(count: int, columns=("序号", "姓名")) -> Table:
    def cells(i: int) -> list[str]:
        return [
            str(i + 1),
            f"张{'建秀玉桂德春'[i % 6]}{'华英兰芳'[i % 4]}",
            "男女"[i % 2],
            f"19{40 + i % 60}-0{1 + i % 9}",
        ]

    rows = [TableRow(cells(i)[: len(columns)]) for i in range(count)]
    return Table([TableColumn(label) for label in columns], rows, caption="第一村民小组")


def test_min_width_is_the_narrowest_the_table_can_be_set():
    template = _template()
    ctx = Ctx(STACK, template.design, 10)
    narrow, wide = _names_table(30), _names_table(30, ("序号", "姓名"))
    wide.columns.append(TableColumn("住址", wrap=True))
    for row in wide.rows:
        row.cells.append("测试镇测试村一组十二号院")
    assert 0 < narrow.min_width(ctx) < wide.min_width(ctx)
    # at its minimum, names and numbers stay on one line and two-character headers stay whole
    widths = narrow.widths(ctx, narrow.min_width(ctx))
    assert narrow._row_layout(ctx, widths, None)[1] == pytest.approx(narrow._row_layout(ctx, widths, narrow.rows[0])[1])
    assert Paragraph("很长的一段说明文字").min_width(ctx) == ctx.em(10)


def test_auto_columns_take_as_many_as_the_narrowest_width_allows():
    template = _template("A4")
    names = auto_columns([_names_table(30)], template, 10)
    with_dates = auto_columns([_names_table(30, ("序号", "姓名", "性别", "出生年月"))], template, 10)
    assert names > with_dates > 1
    ctx = Ctx(STACK, template.design, 10)
    need = _names_table(30).min_width(ctx)
    assert template.column_width(names) >= need > template.column_width(names + 1)
    assert auto_columns([_names_table(30)], template, 8) >= names  # smaller type, at least as many


def test_the_last_sheet_is_balanced_and_groups_continue_with_their_heading():
    template = _template("A4")
    table = _names_table(70)  # about 28 rows fill a column: three columns take it on one sheet
    table.continued_caption = "第一村民小组（续）"
    plain = flow([table], template, 10, columns=3)
    balanced = flow([table], template, 10, columns=3, balance=True)
    assert len(plain) == len(balanced) == 1

    lefts = [x for x, _, _, _ in template.frame(3).columns]

    def column_ends(items):
        ends = [1e9] * 3
        for item in items:
            if isinstance(item, TextItem):
                column = max(i for i, left in enumerate(lefts) if item.x >= left - 1)
                ends[column] = min(ends[column], item.y)
        return ends

    spread = column_ends(balanced[0])
    assert max(spread) - min(spread) < 40  # columns end level, within two rows
    assert max(column_ends(plain[0])) - min(column_ends(plain[0])) > 100  # unbalanced: two full, one short
    texts = [item.text for item in balanced[0] if isinstance(item, TextItem)]
    assert texts.count("第一村民小组") == 1 and texts.count("第一村民小组（续）") == 2
    assert sorted(int(t) for t in texts if t.isdigit()) == list(range(1, 71))


def test_a_long_caption_wraps_inside_a_narrow_column_without_overlap():
    template = _template("A4")
    ctx = Ctx(STACK, template.design, 10)
    table = _names_table(5)
    table.caption = "第十二村民小组（本组共计一百二十三人）"
    width = table.min_width(ctx)
    one_line = _names_table(5)
    assert table.height(ctx, width) > one_line.height(ctx, width)  # the caption took two lines
    items = [item for item in table.place(ctx, 0, 500, width) if isinstance(item, TextItem)]
    caption_lines = [item for item in items if item.bold and item.size > ctx.body]
    assert len(caption_lines) >= 2
    assert "".join(item.text for item in caption_lines) == table.caption
    step = caption_lines[0].size * ctx.line_height
    assert table.height(ctx, width) == pytest.approx(one_line.height(ctx, width) + step * (len(caption_lines) - 1))
    header_top = max(item.y + item.size for item in items if item.text == "序号")
    assert min(item.y for item in caption_lines) > header_top - ctx.body * 0.2


def test_fit_keeps_the_design_columns_unless_told_otherwise():
    template = _template("A4")
    table = _names_table(200)
    auto = fit([table], template)  # roster design: auto
    one = fit([_names_table(200)], template, columns=1)
    assert len(auto) < len(one)


@pytest.mark.parametrize("notice_id", SAMPLES)
def test_sample_text_never_overlaps_and_stays_inside_the_margins(built: Path, notice_id: str):
    loaded = load_workspace(built)
    notice = next(n for n in loaded.workspace.notices if n.id == notice_id)
    margin = loaded.designs["roster"].paper(notice.paper).margin * MM
    for sheet in lay_out(notice, loaded):
        boxes = sorted(
            (
                item.x,
                item.y - item.size * 0.2,
                item.x + STACK.width(item.text, item.size, item.bold),
                item.y + item.size * 0.85,
                item.text,
            )
            for item in sheet.items
            if isinstance(item, TextItem) and item.text.strip()
        )
        for x1, y1, x2, y2, text in boxes:
            assert margin - 0.5 <= x1 and x2 <= sheet.width - margin + 0.5, text
            assert margin - 0.5 <= y1 and y2 <= sheet.height - margin + 0.5, text
        for i, (ax1, ay1, ax2, ay2, a) in enumerate(boxes):
            for bx1, by1, bx2, by2, b in boxes[i + 1 :]:
                if bx1 >= ax2 - 0.01:
                    break
                assert not (min(ax2, bx2) - max(ax1, bx1) > 0.01 and min(ay2, by2) - max(ay1, by1) > 0.01), (a, b)


# -- privacy review: every writing masked, headers and the last scan -----------------

REVIEW_ID = "370831199001011231"
REVIEW_CSV = (
    "序号,姓名,身份证号,联系电话,备注\n"
    "1,张三,370831199001011231,13812345678,plain\n"
    "2,李四,37083119850203105x,138 1234 5678,小写x\n"
    "3,王五,370831 19900101 1231,138-1234-5678,6-8-4\n"
    "4,赵六,370 831 1990 0101 1231,1381 2345 678,3-3-4-4-4\n"
    "5,钱七,３７０８３１１９９００１０１１２３１,１３８１２３４５６７８,全角\n"
    "6,孙八,370831\u201319900101\u20131231,138\u20131234\u20135678,en dash\n"
    "7,周九,370831\u201419900101\u20141231,138\u20141234\u20145678,em dash\n"
    "8,吴十,370831.19900101.1231,138.1234.5678,点\n"
    "9,郑一,身份证370831199001011231号,手机13812345678x,嵌在文字里\n"
    "10,冯二,370831199013011234,1381234567,月份13/少一位\n"
    "11,陈三,370831900101123,+8613812345678,15位\n"
    "12,褚四,1.370831199001011231,tel:13812345678;,序号后\n"
    '13,卫五,37083119900101123113812345678,"13812345678,13912345678",连写\n'
    "14,蒋六,370831\u00a019900101\u20091231,138\u00a01234\u30005678,NBSP\n"
    "15,沈七,370831199 001011231,0537-4211234,9-9分组 办公电话\n"
    "16,韩八,ＩＤ37083１１9900１011231,１３８－１２３４－５６７８,混合全半角\n"
    '17,杨九,3708310010001,4211234,"户号3708310010001 补助1,234.56元 2026-04-12"\n'
)


def _long_runs(text: str) -> list[str]:
    """Every run of 11+ digits in each printed word, ignoring the separators a number may be written with."""
    words = privacy.normalise(text).split()
    return [run for word in words for run in re.findall(r"\d{11,}", re.sub(r"[\-.]", "", word))]


def test_every_writing_in_the_review_table_prints_masked(tmp_path: Path):
    _roster_workspace(tmp_path, roster_yaml(), REVIEW_CSV)
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out" / "print" / "t-roster.pdf")
    flat = "".join(text.split())
    # what may stay whole: the office landlines and the 13-digit 户号 in 备注
    assert sorted(_long_runs(text)) == ["05374211234", "05377654321", "3708310010001"]
    digits_only = re.sub(r"\D", "", privacy.normalise(text))
    for secret in (
        REVIEW_ID,
        "37083119850203105",
        "370831199013011234",
        "370831900101123",
        "13812345678",
        "13912345678",
        "1381234567",
    ):
        assert secret not in digits_only, secret
    assert flat.count("370*************31") == 13 and "370*************5X" in flat
    assert "370*************34" in flat and "370**********23" in flat  # impossible date; 15 digits
    assert "1.370*************31" in flat
    loaded = load_workspace(tmp_path)
    rows = [row.cells for _, group in loaded.workspace.notices[0].content.groups for row in group]
    assert rows[12][2:4] == ["370*************31 138****5678", "138****5678,139****5678"]  # run together, printed apart
    assert flat.count("138****5678") == 15 and "139****5678" in flat
    assert "138****567" in flat  # a 10-digit mobile in 联系电话 is masked by the column
    assert "370********01" in flat and "421***4" in flat  # ID column, phone column: by digit count
    assert "0537-4211234" in flat and "1,234.56" in flat and "2026-04-12" in flat
    assert "共17人" in flat
    assert REVIEW_ID not in result.output
    assert (
        "notices/t-roster.csv:11:C: 警告: 身份证号 370*************34 中的出生日期不是真实的日期，请核对是否录错。"
        in result.output
    )
    assert (
        "notices/t-roster.csv:11:D: 警告: 「联系电话」"
        "这一格的号码 138****567 有 10 位，手机号应为 11 位，请核对是否录错。" in result.output
    )
    assert (
        "notices/t-roster.csv:18:C: 警告: 「身份证号」"
        "这一格的号码 370********01 有 13 位，身份证号应为 18 位，请核对是否录错。" in result.output
    )


def test_a_file_without_a_header_row_is_an_error_at_the_header_and_stays_masked(tmp_path: Path):
    second = _valid_id("37083119850203105")
    table = f"张三,{REVIEW_ID},13812345678\n李四,{second},13912345678\n"
    _roster_workspace(tmp_path, roster_yaml(columns="[姓名]"), table)
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert (
        "notices/t-roster.csv:1:B: 错误: 表格第一行应当是表头，如 姓名、身份证号。"
        "这一格「370*************31」是身份证号，像是第一个人的数据：请在名单最上面插入一行表头。"
    ) in result.output
    assert (
        "notices/t-roster.csv:1:C: 错误: 表格第一行应当是表头，如 姓名、身份证号。这一格「138****5678」是手机号"
        in result.output
    )
    for secret in (REVIEW_ID, "13812345678", second, "13912345678"):
        assert secret not in result.output
    build = run("build", "-w", tmp_path, "--draft")
    assert build.exit_code == 1 and REVIEW_ID not in build.output
    assert not (tmp_path / "out" / "print" / "t-roster.pdf").exists()


def test_a_full_number_in_the_title_or_issuer_is_an_error_there(tmp_path: Path):
    yaml = roster_yaml(title=f"测试名单{REVIEW_ID}", issuer="测试村村民委员会 138-1234-5678")
    _roster_workspace(tmp_path, yaml)
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 1
    assert (
        "notices/t-roster.yaml:3: 错误: 标题中有完整的身份证号（370*************31），印出来会泄露个人信息。"
        "请删去这个号码"
    ) in result.output
    assert "notices/t-roster.yaml:4: 错误: 落款单位中有完整的手机号（138****5678）" in result.output
    assert REVIEW_ID not in result.output and "13812345678" not in result.output
    assert not (tmp_path / "out" / "print" / "t-roster.pdf").exists()


def test_the_last_scan_refuses_an_id_that_masking_left_inside_a_longer_number(tmp_path: Path):
    disability = REVIEW_ID + "41"  # a 残疾证号 written in 备注: the ID and two more digits
    table = f"序号,姓名,备注,村民小组\n1,张三,残疾证{disability},一组\n2,李四,,二组{disability}\n"
    _roster_workspace(tmp_path, roster_yaml(group_by="村民小组"), table)
    result = run("check", "-w", tmp_path)
    assert result.exit_code == 1
    assert (
        "notices/t-roster.csv:2:C: 错误: 这一格有完整的身份证号（370*************31），印出来会泄露个人信息。"
        "请删去这个号码"
    ) in result.output
    assert (
        "notices/t-roster.csv:3:D: 错误: 这一格有完整的身份证号（370*************31）" in result.output
    )  # a group name
    assert disability not in result.output and REVIEW_ID not in result.output


def test_household_numbers_and_landlines_in_their_own_columns_stay_whole(tmp_path: Path):
    table = (
        "序号,户号,户主姓名,办公电话,保障金额,发放日期\n"
        '1,3708310010001,张三,0537-1234567,"1,234.56",2026-04-12\n'
        "2,0101,李四,(0537)7654321,450.00,2026年4月12日\n"
    )
    _roster_workspace(tmp_path, roster_yaml(), table)
    result = run("build", "-w", tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    assert "警告:" not in result.output
    flat = "".join(pdf_text(tmp_path / "out" / "print" / "t-roster.pdf").split())
    for value in (
        "3708310010001",
        "0101",
        "0537-1234567",
        "(0537)7654321",
        "1,234.56",
        "450.00",
        "2026-04-12",
        "2026年4月12日",
    ):
        assert value in flat, value
    assert "已按规定隐去" not in flat
