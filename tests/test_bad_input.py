"""SPEC §6 (bad input) and §4 (exit codes): every fault is located, plain Chinese, and never a traceback.

Each test copies the sample town (fixture ``town``), breaks one thing, runs the CLI in-process
and checks three things: the exit status, the located message (exact location prefix plus a key
Chinese phrase), and that nothing escaped as a traceback.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import pdf_text, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticeboard.cli import main

Q1_YAML = "notices/2026q1-finance.yaml"
Q2_YAML = "notices/2026q2-finance.yaml"
Q1_CSV = "notices/2026q1-finance.csv"
Q2_XLSX = "notices/2026q2-finance.xlsx"
SETTINGS = "noticeboard.yaml"
SHEET = "收支表"


# --------------------------------------------------------------------------- helpers


def outcome(result, code: int) -> str:
    """Assert the exit status and that no exception escaped; return the output."""
    out = result.output
    assert "Traceback" not in out, out
    assert "程序内部出错" not in out, out  # the catch-all boundary is a traceback in disguise
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}:\n{out}"
    return out


def located(out: str, prefixes: str | tuple[str, ...], *phrases: str) -> str:
    """The output line that starts with one of ``prefixes`` and contains every phrase."""
    if isinstance(prefixes, str):
        prefixes = (prefixes,)
    for line in out.splitlines():
        if line.startswith(prefixes) and all(p in line for p in phrases):
            return line
    raise AssertionError(f"no line starting with {prefixes!r} containing {phrases!r} in:\n{out}")


def english_words(line: str, allowed: set[str]) -> list[str]:
    """English words in a message, apart from the user's own tokens and the program name."""
    return [w for w in re.findall(r"[A-Za-z]{2,}", line) if w.lower() not in allowed]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8-sig")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def check(town: Path, *ids: str):
    return run("check", "-w", town, *ids)


def read_csv(town: Path) -> list[list[str]]:
    text = (town / Q1_CSV).read_text("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def write_csv(town: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (town / Q1_CSV).write_bytes(buffer.getvalue().encode(encoding))


def set_cell(rows: list[list[str]], address: str, value: str, expect: str | None = None) -> None:
    """Set a CSV cell by spreadsheet-style address (C3 = column C, file line 3)."""
    column, line = re.fullmatch(r"([A-Z])(\d+)", address).groups()
    row, col = rows[int(line) - 1], ord(column) - 65
    if expect is not None:
        assert row[col] == expect, f"{address} is {row[col]!r}, not {expect!r}"
    row[col] = value


def edit_xlsx(town: Path, **cells) -> None:
    path = town / Q2_XLSX
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[SHEET]
    for address, value in cells.items():
        sheet[address] = value
    workbook.save(path)


# --------------------------------------------------------------------------- sanity


def test_sample_town_is_clean(town):
    out = outcome(check(town), 0)
    assert "错误" not in out.replace("0 个错误", "")


# --------------------------------------------------------------------------- malformed YAML


@pytest.mark.parametrize(
    "old, new, line, phrase",
    [
        # bad indentation: title pushed in under kind
        ("title: 两城镇", "  title: 两城镇", 3, "缩进"),
        # a tab before a nested key
        ("  初审: {by", "\t初审: {by", 13, "Tab"),
        # an unclosed flow mapping: the brace opens on line 13
        ("初审: {by: 王小红, date: 2026-04-10}", "初审: {by: 王小红, date: 2026-04-10", 13, "括号"),
        # an unclosed flow sequence on the title line
        ("title: 两城镇", "title: [两城镇", 3, "括号"),
    ],
    ids=["indentation", "tab", "unclosed-brace", "unclosed-bracket"],
)
def test_malformed_notice_yaml(town, old, new, line, phrase):
    edit(town / Q1_YAML, old, new)
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:{line}: 错误:", phrase)


@pytest.mark.parametrize(
    "old, new, line, phrase",
    [
        ("base_url: https", " base_url: https", 3, "缩进"),
        ("  id_number:", "\tid_number:", 7, "Tab"),
        ("reviews: [初审, 审核, 保密审查]", "reviews: [初审, 审核, 保密审查", 5, "括号"),
    ],
    ids=["indentation", "tab", "unclosed-bracket"],
)
def test_malformed_settings_yaml(town, old, new, line, phrase):
    edit(town / SETTINGS, old, new)
    out = outcome(check(town), 1)
    located(out, f"{SETTINGS}:{line}: 错误:", phrase)


def test_notice_yaml_not_utf8(town):
    path = town / Q1_YAML
    path.write_bytes(path.read_text("utf-8").encode("gbk"))
    out = outcome(check(town), 2)  # SPEC §4: a file that cannot be read at all
    located(out, (f"{Q1_YAML}: 错误:", f"{Q1_YAML}:1: 错误:"), "UTF-8")


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize("key", ["id", "kind", "title", "date"])
def test_missing_required_key(town, key):
    path = town / Q1_YAML
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(row for row in lines if not row.startswith(f"{key}:")), "utf-8")
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:1: 错误:", f"缺少「{key}」")


def test_unknown_key_with_suggestion(town):
    edit(town / Q1_YAML, "title: ", "titel: ")
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:3: 错误:", "「titel」", "是不是「title」")


@pytest.mark.parametrize("key", ["no", "on", "yes", "off"])
def test_yaml11_boolean_words_as_keys_stay_text(town, key):
    edit(town / Q1_YAML, "kind: finance\n", f"kind: finance\n{key}: 1\n")
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:3: 错误:", f"「{key}」")
    assert "True" not in out and "False" not in out, out


def test_unknown_key_in_settings(town):
    edit(town / SETTINGS, "issuer: ", "on: 2026-04-01\nissuer: ")
    out = outcome(check(town), 1)
    located(out, f"{SETTINGS}:2: 错误:", "「on」")
    assert "True" not in out, out


def test_yaml11_yes_as_title_prints_as_text(town):
    edit(town / Q2_YAML, "title: 两城镇2026年第二季度财政收支情况公示", "title: yes")
    outcome(run("build", "-w", town, "2026q2-finance"), 0)
    text = pdf_text(town / "out" / "print" / "2026q2-finance.pdf")
    assert "yes" in text
    assert "True" not in text


# --------------------------------------------------------------------------- types and dates


@pytest.mark.parametrize(
    "old, new, line, phrase",
    [
        ("display_days: 10", "display_days: abc", 7, "整数"),
        ("display_days: 10", "display_days: 10天", 7, "整数"),
        ("title: 两城镇2026年第一季度财政收支情况公示", "title: [两城镇, 公示]", 3, "title"),
        (
            "reviews:\n  初审: {by: 王小红, date: 2026-04-10}\n  审核: {by: 李建国, date: 2026-04-11}\n"
            "  保密审查: {by: 赵敏, date: 2026-04-11}",
            "reviews:\n  - 初审\n  - 审核\n  - 保密审查",
            12,
            "reviews",
        ),
    ],
    ids=["display_days-abc", "display_days-unit", "title-list", "reviews-list"],
)
def test_wrong_type(town, old, new, line, phrase):
    edit(town / Q1_YAML, old, new)
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:{line}: 错误:", phrase)


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "next week", "2026-4", "明天"])
def test_bad_date(town, value):
    edit(town / Q1_YAML, "date: 2026-04-12", f"date: {value}")
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:6: 错误:", "日期", value)


def test_bad_review_date(town):
    edit(town / Q1_YAML, "初审: {by: 王小红, date: 2026-04-10}", "初审: {by: 王小红, date: 2026-04-31}")
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:13: 错误:", "日期", "2026-04-31")


@pytest.mark.parametrize("value", ["2026/4/12", "2026年4月12日", "2026-4-12", "'2026-04-12'"])
def test_date_spellings_accepted(town, value):
    edit(town / Q1_YAML, "date: 2026-04-12", f"date: {value}")
    outcome(check(town), 0)


# --------------------------------------------------------------------------- paper


def test_unknown_paper_size(town):
    edit(town / Q1_YAML, "paper: A2", "paper: B5")
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:8: 错误:", "B5", "A4")


def test_paper_in_lower_case_accepted(town):
    edit(town / Q1_YAML, "paper: A2", "paper: a3")
    outcome(check(town), 0)


def test_bad_orientation(town):
    edit(town / Q1_YAML, "orientation: landscape", "orientation: sideways")
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:9: 错误:", "sideways", "landscape")


# --------------------------------------------------------------------------- data files


def test_missing_data_file(town):
    edit(town / Q1_YAML, "data: 2026q1-finance.csv", "data: 2026q1-finanse.csv")
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:11: 错误:", "找不到", "2026q1-finanse.csv")


def test_missing_sheet_lists_existing_sheets(town):
    edit(town / Q2_YAML, "sheet: 收支表", "sheet: 收入表")
    out = outcome(check(town), 1)
    located(out, f"{Q2_YAML}:11: 错误:", "收入表", "收支表")


def test_missing_column(town):
    rows = read_csv(town)
    assert rows[0][4] == "累计数"
    write_csv(town, [row[:4] + row[5:] for row in rows])
    out = outcome(check(town), 1)
    located(out, (f"{Q1_CSV}:1: 错误:", f"{Q1_CSV}:1:A: 错误:"), "缺少「累计数」")


def test_english_alias_headers_accepted(town):
    rows = read_csv(town)
    rows[0] = ["code", "name", "budget", "period", "ytd", "last_year"]
    write_csv(town, rows)
    outcome(check(town), 0)


def test_non_number_in_csv_amount(town):
    rows = read_csv(town)
    set_cell(rows, "D3", "三百七十七", expect="377.29")
    write_csv(town, rows)
    out = outcome(check(town), 1)
    located(out, f"{Q1_CSV}:3:D: 错误:", "数字", "三百七十七")


def test_non_number_in_xlsx_amount(town):
    edit_xlsx(town, D6="约450")
    out = outcome(check(town), 1)
    located(out, f"{Q2_XLSX}[{SHEET}]!D6: 错误:", "数字", "约450")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_encodings_accepted(town, encoding):
    write_csv(town, read_csv(town), encoding=encoding)
    outcome(check(town), 0)


def test_gbk_csv_with_a_fault_still_locates_the_cell(town):
    rows = read_csv(town)
    set_cell(rows, "C3", "1,870.00", expect="1,860.00")
    write_csv(town, rows, encoding="gbk")
    out = outcome(check(town), 1)
    located(out, f"{Q1_CSV}:2:C: 错误:", "税收收入")


CSV_FILE_LEVEL = (f"{Q1_CSV}: 错误:", f"{Q1_CSV}:1: 错误:", f"{Q1_YAML}:11: 错误:")


def test_csv_saved_as_excel_unicode_text_is_read(town):
    # Excel's 「Unicode 文本」 is UTF-16 with a byte-order mark: it says what it is, so it is read
    text = (town / Q1_CSV).read_text("utf-8-sig")
    (town / Q1_CSV).write_bytes(text.encode("utf-16"))
    out = outcome(check(town), 0)
    assert f"{Q1_CSV}" not in out


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-32"])
def test_csv_in_utf16_is_a_clear_error(town, encoding):
    text = (town / Q1_CSV).read_text("utf-8-sig")
    (town / Q1_CSV).write_bytes(text.encode(encoding))
    result = check(town)
    out = outcome(result, 2)
    located(out, CSV_FILE_LEVEL, "编码")


def test_binary_garbage_csv_is_a_clear_error(town):
    rng = random.Random(6)
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    (town / Q1_CSV).write_bytes(garbage)
    result = check(town)
    out = outcome(result, 2)
    located(out, CSV_FILE_LEVEL, "CSV")


def test_xlsx_that_is_not_a_spreadsheet(town):
    (town / Q2_XLSX).write_bytes(b"PK\x03\x04 this is not really a workbook")
    result = check(town)
    out = outcome(result, 2)
    located(out, (f"{Q2_XLSX}: 错误:", f"{Q2_YAML}:10: 错误:"), "表格")


def test_header_only_table(town):
    write_csv(town, read_csv(town)[:1])
    out = outcome(check(town), 1)
    located(out, (f"{Q1_CSV}:1: 错误:", f"{Q1_CSV}:1:A: 错误:"), "没有数据行")


@pytest.mark.parametrize(
    "content",
    [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \r\n", b",,,,,\n,,,,,\n"],
    ids=["empty", "bom-only", "blank-lines", "empty-cells"],
)
def test_completely_empty_table(town, content):
    (town / Q1_CSV).write_bytes(content)
    out = outcome(check(town), 1)
    located(out, CSV_FILE_LEVEL, "空")


# --------------------------------------------------------------------------- sums


def test_parent_does_not_add_up(town):
    rows = read_csv(town)
    set_cell(rows, "C3", "1,870.00", expect="1,860.00")  # 10101 增值税 预算数
    write_csv(town, rows)
    out = outcome(check(town), 1)
    line = located(out, f"{Q1_CSV}:2:C: 错误:", "税收收入", "3,069.00", "3,079.00")
    assert "之和" in line


def test_wrong_total(town):
    rows = read_csv(town)
    set_cell(rows, "C15", "6,348.00", expect="6,347.00")  # 收入合计 预算数
    write_csv(town, rows)
    out = outcome(check(town), 1)
    located(out, f"{Q1_CSV}:15:C: 错误:", "收入合计", "6,347.00")
    assert f"{Q1_CSV}:2:" not in out  # only the total is wrong


def test_ytd_below_period(town):
    rows = read_csv(town)
    set_cell(rows, "E4", "100.00", expect="169.58")  # 10104 企业所得税 累计数
    write_csv(town, rows)
    out = outcome(check(town), 1)
    located(out, f"{Q1_CSV}:4:E: 错误:", "累计数", "本期数", "小于")


def test_q1_ytd_must_equal_period(town):
    rows = read_csv(town)
    set_cell(rows, "E4", "200.00", expect="169.58")
    write_csv(town, rows)
    out = outcome(check(town), 1)
    located(out, f"{Q1_CSV}:4:E: 错误:", "累计数", "本期数", "169.58")


def test_broken_ytd_chain(town):
    edit_xlsx(town, E6=830.0)  # 10101 增值税: Q1 377.29 + Q2 448.99 = 826.28
    out = outcome(check(town), 1)
    line = located(out, f"{Q2_XLSX}[{SHEET}]!E6: 错误:", "累计数", "826.28")
    assert "2026q1-finance" in line or "第一季度" in line or "2026-Q1" in line, line


# --------------------------------------------------------------------------- glyphs


@pytest.mark.parametrize("char", ["\ue000", "\U0001f600"], ids=["U+E000", "emoji"])
def test_character_no_font_has_in_title(town, char):
    edit(town / Q1_YAML, "title: 两城镇", f"title: 两城镇{char}")
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:3: 错误:", char, f"U+{ord(char):04X}")


def test_character_no_font_has_in_csv_cell(town):
    rows = read_csv(town)
    set_cell(rows, "B3", "增值税\ue000", expect="增值税")
    write_csv(town, rows)
    out = outcome(check(town), 1)
    located(out, f"{Q1_CSV}:3:B: 错误:", "\ue000", "U+E000")


def test_character_no_font_has_in_xlsx_cell(town):
    edit_xlsx(town, B6="增值税\U0001f4b0")
    out = outcome(check(town), 1)
    located(out, f"{Q2_XLSX}[{SHEET}]!B6: 错误:", "U+1F4B0")


def test_character_no_font_has_in_settings(town):
    edit(town / SETTINGS, "issuer: 两城镇人民政府", "issuer: 两城镇人民政府\ue001")
    out = outcome(check(town), 1)
    located(out, f"{SETTINGS}:2: 错误:", "U+E001")


# --------------------------------------------------------------------------- ids and codes


def test_duplicate_id_across_files(town):
    shutil.copy(town / Q1_YAML, town / "notices" / "zz-copy.yaml")
    out = outcome(check(town), 1)
    located(out, "notices/zz-copy.yaml:1: 错误:", "2026q1-finance", "2026q1-finance.yaml")


@pytest.mark.parametrize(
    "address, old, new",
    [
        ("A3", "10101", "1010"),  # 4 digits
        ("A2", "101", "301"),  # neither revenue nor expenditure
        ("A3", "10101", "1O101"),  # a letter O
    ],
    ids=["four-digits", "starts-with-3", "letter"],
)
def test_bad_finance_code(town, address, old, new):
    rows = read_csv(town)
    set_cell(rows, address, new, expect=old)
    write_csv(town, rows)
    out = outcome(check(town), 1)
    located(out, f"{Q1_CSV}:{address[1:]}:A: 错误:", "科目编码", new)


def test_duplicate_finance_code(town):
    rows = read_csv(town)
    set_cell(rows, "A4", "10101", expect="10104")
    write_csv(town, rows)
    out = outcome(check(town), 1)
    line = located(out, f"{Q1_CSV}:4:A: 错误:", "10101", "重复")
    assert f"{Q1_CSV}:3" in line  # points at the first occurrence too


# --------------------------------------------------------------------------- sign-offs


def test_build_without_signoff_is_refused_but_draft_builds(town):
    edit(town / Q2_YAML, "  保密审查: {by: 赵敏, date: 2026-07-09}\n", "")
    pdf = town / "out" / "print" / "2026q2-finance.pdf"
    out = outcome(run("build", "-w", town, "2026q2-finance"), 1)
    located(out, f"{Q2_YAML}:12: 错误:", "保密审查", "签批")
    assert not pdf.exists()
    out = outcome(run("build", "-w", town, "--draft", "2026q2-finance"), 0)
    assert pdf.is_file()
    assert "草稿" in pdf_text(pdf)


def test_check_does_not_demand_signoffs(town):
    edit(town / Q2_YAML, "  保密审查: {by: 赵敏, date: 2026-07-09}\n", "")
    outcome(check(town), 0)


def test_unknown_review_role(town):
    edit(town / Q1_YAML, "  保密审查: {by: 赵敏", "  保密审核: {by: 赵敏")
    out = outcome(check(town), 1)
    located(out, f"{Q1_YAML}:15: 错误:", "保密审核")


# --------------------------------------------------------------------------- CLI misuse


@pytest.mark.parametrize(
    "args, token",
    [
        (("check", "--frobnicate"), "--frobnicate"),
        (("build", "-x"), "-x"),
        (("frobnicate",), "frobnicate"),
        (("check", "-w"), "-w"),
    ],
    ids=["unknown-option", "unknown-short-option", "unknown-command", "option-without-value"],
)
def test_cli_usage_errors(args, token):
    out = outcome(run(*args), 2)
    line = located(out, "noticeboard: 错误:", token)
    allowed = {"noticeboard", "help", token.strip("-").lower()} | set(main.commands)  # command names are words to type
    assert not english_words(line, allowed), f"English in a user message: {line}"


def test_check_unknown_id(town):
    out = outcome(check(town, "2026q3-finance"), 2)
    line = located(out, "", "2026q3-finance", "错误")
    assert "2026q1-finance" in line  # lists what exists


@pytest.mark.parametrize("command", ["check", "build"])
def test_id_argument_of_a_notice_that_fails_to_load(town, command):
    """Naming a notice whose file has an error must show that error, not claim the ID does not exist."""
    edit(town / Q2_YAML, "title: 两城镇2026年第二季度财政收支情况公示\n", "")
    out = outcome(run(command, "-w", town, "2026q2-finance"), 1)
    located(out, f"{Q2_YAML}:1: 错误:", "缺少「title」")


def test_workspace_without_settings(tmp_path):
    (tmp_path / "notices").mkdir()
    out = outcome(run("check", "-w", tmp_path), 2)
    located(out, "noticeboard.yaml: 错误:", "noticeboard.yaml", "init")


def test_workspace_that_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere"
    out = outcome(run("build", "-w", missing), 2)
    located(out, str(missing), "错误", "找不到")
    assert not missing.exists()


def test_render_nonexistent_file(tmp_path):
    out = outcome(run("render", tmp_path / "nosuch.yaml", "-o", tmp_path / "x.pdf"), 2)
    located(out, str(tmp_path / "nosuch.yaml"), "错误", "找不到")
    assert not (tmp_path / "x.pdf").exists()


def test_settings_is_a_directory(tmp_path):
    (tmp_path / "noticeboard.yaml").mkdir()
    out = outcome(run("check", "-w", tmp_path), 2)
    located(out, "noticeboard.yaml", "错误")


# --------------------------------------------------------------------------- any title


SPECIALS = list("<>&\"'") + list("“”‘’《》〈〉「」『』【】（）、，。：；！？—…·～％＃＆")
TITLE_CHARS = st.one_of(
    st.sampled_from(SPECIALS),
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.just(" "),
    st.characters(blacklist_categories=("C", "Z", "M")),
)


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(TITLE_CHARS, min_size=1, max_size=40), quote=st.booleans())
def test_any_title_builds_or_is_rejected_with_a_location(town, title, quote):
    """A title either prints findably, or is refused with a located 错误 message: never a traceback."""
    path = town / Q2_YAML
    original = "title: 两城镇2026年第二季度财政收支情况公示\n"
    text = path.read_text("utf-8")
    if original not in text:  # a previous example's title: put the original back first
        text = re.sub(r"(?m)^title:.*\n", original, text)
    line = yaml.safe_dump({"title": title}, allow_unicode=True, width=10**6) if quote else f"title: {title}\n"
    path.write_text(text.replace(original, line), "utf-8")
    # Only Q2 is needed: without the others the whole workspace is one A4 notice. Building without
    # an ID argument keeps this property apart from test_id_argument_of_a_notice_that_fails_to_load.
    for other in (town / "notices").glob("*.yaml"):
        if other != path:
            other.unlink()
    pdf = town / "out" / "print" / "2026q2-finance.pdf"
    pdf.unlink(missing_ok=True)
    result = run("build", "-w", town)
    assert result.exit_code in (0, 1), result.output
    out = outcome(result, result.exit_code)
    if result.exit_code == 0:
        node = yaml.compose(line, Loader=yaml.SafeLoader).value[0][1]
        assert isinstance(node, yaml.ScalarNode), (line, out)  # a list or mapping title must be refused
        expected = node.value  # the text as the user typed it (no YAML 1.1 booleans or numbers)
        assert _squash(expected) in _squash(pdf_text(pdf)), (title, out)
    else:
        assert re.search(rf"(?m)^{re.escape(Q2_YAML)}:\d+: 错误: ", out), out
