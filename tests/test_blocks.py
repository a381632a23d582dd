"""Blocks carry their role and the places of the strings they print (issue 14).

The glyph and privacy checks walk the composition a kind hands to layout, not a list the kind
keeps beside it, and the online copy reads each paragraph's role instead of guessing from its style.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SMALL_FINANCE_CSV, finance_yaml, make_workspace

from noticeboard import privacy
from noticeboard.checks.glyphs import check_glyphs, printable_texts
from noticeboard.checks.privacy import leaks
from noticeboard.kinds import Composition
from noticeboard.layout.blocks import HEADING, NOTE, SIGNATURE, Paragraph, Table, TableColumn, TableRow
from noticeboard.layout.groups import BalancedColumns, Continued
from noticeboard.load.workspace import load_workspace
from noticeboard.models import Text
from noticeboard.problems import Where
from noticeboard.render.site import HtmlHeading, HtmlParagraph, html_parts

RARE = "冯\U00031383"  # Ext H: in no shipped font


@pytest.fixture
def loaded(town: Path):
    return load_workspace(town)


def _notice(loaded, notice_id: str):
    return next(n for n in loaded.workspace.notices if n.id == notice_id)


def _walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, BalancedColumns):
            yield from _walk(block.blocks)
        elif isinstance(block, Continued):
            yield from _walk([block.head, block.block])


def test_every_string_a_sample_prints_points_at_a_file_of_the_town(loaded, town: Path):
    for notice in loaded.workspace.notices:
        texts = list(printable_texts(notice, loaded.kinds[notice.kind]))
        assert texts, notice.id
        for text in texts:
            assert (town / text.where.file).exists(), (notice.id, text)
        composed = list(loaded.kinds[notice.kind].compose(notice).texts())
        assert len(composed) == len(set(composed)), notice.id  # a string printed twice at one place is read once


def test_a_contacts_heading_is_a_heading_that_points_at_its_department(loaded):
    notice = _notice(loaded, "2026-org")
    blocks = list(_walk(loaded.kinds["contacts"].compose(notice).blocks))
    headings = [b for b in blocks if isinstance(b, Paragraph) and b.role == HEADING]
    office = next(b for b in headings if b.text.endswith("党政办公室"))
    assert [(t.value, str(t.where)) for t in office.printed()] == [("党政办公室", "notices/2026-org.yaml:10")]
    table = next(b for b in blocks if isinstance(b, Table))
    cell = next(table.printed())
    assert cell.where.file == "notices/2026-org.csv" and cell.where.cell and cell.value in table.rows[0].cells


def test_table_notes_are_notes_and_signatures_at_their_lines(tmp_path: Path):
    csv = SMALL_FINANCE_CSV + "注：本表为测试。\n制表人：王小红,审核人：李建国\n"
    make_workspace(tmp_path, {"notices/t-finance.yaml": finance_yaml(), "notices/t-finance.csv": csv})
    loaded = load_workspace(tmp_path)
    notice = _notice(loaded, "t-finance")
    blocks = loaded.kinds["finance"].compose(notice).blocks
    by_role = {b.role: b for b in blocks if isinstance(b, Paragraph)}
    assert list(by_role[NOTE].printed()) == notice.content.table.notes
    assert list(by_role[SIGNATURE].printed()) == notice.content.table.signatures
    assert [str(t.where) for t in by_role[NOTE].printed()] == ["notices/t-finance.csv:9:A"]
    parts = html_parts(blocks)
    assert all(not isinstance(p, HtmlHeading) for p in parts)


def test_a_paragraph_never_claims_a_string_it_does_not_print():
    where = Where("notices/t.yaml", 3)
    with pytest.raises(ValueError):
        Paragraph("（一）党政办公室", sources=(Text("财政所", where),))
    with pytest.raises(ValueError):
        Paragraph("标题", role="title")
    assert list(Paragraph("（一）党政办公室", sources=(Text("党政办公室", where),)).printed()) == [
        Text("党政办公室", where)
    ]


def test_a_table_prints_its_cells_at_their_places_and_skips_the_kinds_own_words():
    where = Where("notices/t.csv", 2, cell="B")
    table = Table(
        [TableColumn("序号"), TableColumn("姓名", source=Where("notices/t.csv", 1, cell="B"))],
        [TableRow(["1", "王小红"], sources={1: where}), TableRow(["合计", ""], sources={1: where})],
        caption="名单",
    )
    assert list(table.printed()) == [Text("姓名", Where("notices/t.csv", 1, cell="B")), Text("王小红", where)]


def _with_block(kind, block):
    """The kind, composing one more block than it does: a string only the composition holds."""

    def compose(notice) -> Composition:
        composition = kind.compose(notice)
        return replace(composition, blocks=[*composition.blocks, block])

    extended = copy.copy(kind)
    extended.compose = compose  # the instance's own function, in front of KindSpec.compose
    return extended


def test_the_glyph_check_reads_a_string_only_the_composition_prints(loaded):
    notice = _notice(loaded, "2026q1-finance")
    kind = loaded.kinds["finance"]
    where = Where("notices/2026q1-finance.csv", 7, cell="B")
    assert check_glyphs(printable_texts(notice, kind), loaded.fonts) == []
    extra = _with_block(kind, Paragraph(f"经办人：{RARE}", sources=(Text(RARE, where),)))
    problems = check_glyphs(printable_texts(notice, extra), loaded.fonts)
    assert [(p.where, "U+31383" in p.message) for p in problems] == [(where, True)]


def test_the_privacy_scan_reads_a_cell_only_the_composition_prints(loaded):
    notice = _notice(loaded, "2026q1-finance")
    where = Where("notices/2026q1-finance.csv", 9, cell="C")
    table = Table([TableColumn("联系电话")], [TableRow(["13905371234"], sources={0: where})])
    extra = _with_block(loaded.kinds["finance"], table)
    rules = privacy.policy(loaded.workspace.settings.privacy)
    problems = leaks(notice, printable_texts(notice, extra), rules)
    assert [p.where for p in problems] == [where]
    assert "这一格有完整的手机号" in problems[0].message and "13905371234" not in problems[0].message


def test_the_online_copy_reads_roles_not_styles():
    bold_kept = Paragraph("一、说明", bold=True, keep_with_next=True)  # styled like a heading, but says it is not
    heading = Paragraph("（一）党政办公室", role=HEADING)
    note = Paragraph("注：数据截至6月底。", role=NOTE, colour="colours.muted")
    parts = html_parts([bold_kept, heading, note])
    assert isinstance(parts[0], HtmlParagraph) and parts[0].spans == [("一、说明", True)]
    assert isinstance(parts[1], HtmlHeading) and (parts[1].text, parts[1].level) == ("（一）党政办公室", 3)
    assert isinstance(parts[2], HtmlParagraph) and parts[2].muted
