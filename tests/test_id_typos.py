"""An ID number with a wrong check digit or an impossible birth date is still an ID (issue 13, item 3).

It is masked wherever it is written (title, body, a contacts cell, a household's letter cell), with the
roster's own warning, and never reaches the PDF's text or metadata or the online copy in full.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import pdf_text, run

from noticeboard import Problem, Where, pipeline, privacy
from noticeboard.load.masking import typo_id_warning

BAD_CHECK = "370831199001011232"  # the valid one ends in 1
BAD_DATE = "370831199002301236"  # 30 February
WITH_X = "37083119800101123X"  # 17 digits and X, check character wrong
NOTICE = "notices/2026-election-notice.yaml"


def _plant(town: Path) -> None:
    notice = town / NOTICE
    text = notice.read_text(encoding="utf-8")
    text = text.replace("title: 小庄村第十二届村民委员会换届选举公告", f"title: 小庄村换届选举公告{BAD_CHECK}")
    text = text.replace("  特此公告。", f"  联系人身份证号{BAD_DATE}，另一人{WITH_X}。\n\n  特此公告。")
    notice.write_text(text, encoding="utf-8")
    org = town / "notices/2026-org.csv"
    org.write_text(
        org.read_text(encoding="utf-8").replace("镇政府办公楼301室", f"身份证{BAD_CHECK}", 1), encoding="utf-8"
    )
    households = town / "notices/2026-households.csv"
    data = households.read_bytes().decode("gbk").replace("小庄村一组2号", f"小庄村一组2号 {WITH_X}", 1)
    households.write_bytes(data.encode("gbk"))


def _line(town: Path, needle: str) -> int:
    return next(
        i for i, line in enumerate((town / NOTICE).read_text(encoding="utf-8").splitlines(), 1) if needle in line
    )


def test_typod_ids_are_masked_everywhere_with_the_rosters_warning(town: Path):
    _plant(town)
    result = run("check", "-w", town)
    assert result.exit_code == 0, result.output
    title, body = _line(town, "title:"), _line(town, BAD_DATE)
    assert f"{NOTICE}:{title}: 警告: 身份证号 370*************32 的校验位不对，请核对是否录错。" in result.output
    assert (
        f"{NOTICE}:{body}: 警告: 身份证号 370*************36 中的出生日期不是真实的日期，请核对是否录错。"
        in result.output
    )
    assert f"{NOTICE}:{body}: 警告: 身份证号 370*************3X 的校验位不对，请核对是否录错。" in result.output
    assert "notices/2026-org.csv:2:F: 警告: 身份证号 370*************32 的校验位不对，请核对是否录错。" in result.output
    assert (
        "notices/2026-households.csv:2:D: 警告: 身份证号 370*************3X 的校验位不对，请核对是否录错。"
        in result.output
    )

    built = run("build", "-w", town, "2026-election-notice", "2026-org", "2026-election-letter")
    assert built.exit_code == 0, built.output
    out = town / "out"
    texts = {
        name: pdf_text(out / "print" / f"{name}.pdf")
        for name in ("2026-election-notice", "2026-org", "2026-election-letter")
    }
    pages = [p.read_text(encoding="utf-8") for p in (out / "site").rglob("*.html")]
    document = pdfium.PdfDocument(str(out / "print" / "2026-election-notice.pdf"))
    metadata = document.get_metadata_dict()
    document.close()
    for secret in (BAD_CHECK, BAD_DATE, WITH_X, BAD_CHECK[:17], WITH_X[:17]):
        assert all(secret not in "".join(text.split()) for text in texts.values()), secret
        assert all(secret not in page for page in pages), secret
        assert secret not in metadata["Title"]
    assert metadata["Title"] == "小庄村换届选举公告370*************32"
    assert "370*************32" in "".join(texts["2026-org"].split())
    assert "370*************3X" in "".join(texts["2026-election-letter"].split())


def test_the_roster_and_the_other_kinds_say_the_same_words():
    rules = privacy.policy()
    finding = privacy.find(BAD_CHECK)[0]
    where = Where("x.csv", 2, cell="B")
    assert typo_id_warning(finding, where, rules) == Problem(
        "warning", where, "身份证号 370*************32 的校验位不对，请核对是否录错。"
    )


@pytest.mark.parametrize("text", ["统一社会信用代码 113708000042345678", "370831199013011234", "户号 370831001000101"])
def test_numbers_that_are_not_id_shaped_are_left_alone(tmp_path: Path, text: str):
    assert not privacy.id_shaped(privacy.normalise(text).split()[-1])


def test_a_problem_message_is_masked_for_every_reader(town: Path):
    """Issue 13, item 6: the message itself, not only its printing."""
    problem = Problem("error", Where("a.yaml", 3), "联系人手机13905371234，身份证370831199001011231。")
    assert problem.message == "联系人手机139****1234，身份证370*************31。"
    assert str(problem) == "a.yaml:3: 错误: 联系人手机139****1234，身份证370*************31。"
    settings = town / "noticeboard.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("  - id: announcements\n", "  - id: announcements\n    result_of: 13905371234\n", 1),
        encoding="utf-8",
    )
    import noticeboard

    outcome = noticeboard.make_plan(town, __import__("datetime").date(2026, 7, 1))
    assert outcome.problems and all("13905371234" not in p.message for p in outcome.problems)
    assert any("139****1234" in p.message for p in outcome.problems)
    page = (town / "out" / "plan" / "index.html").read_text(encoding="utf-8")
    assert "13905371234" not in page and "139****1234" in page
    checked = pipeline.check(town)
    assert any("139****1234" in p.message for p in checked.problems)
    assert all("13905371234" not in p.message for p in checked.problems)
