"""Shared fixtures: sample workspaces, a CLI runner, and helpers to read PDFs back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from noticeboard.cli import main
from noticeboard.resources import samples_dir

DATA = Path(__file__).parent / "data"


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """A fresh copy of the sample town, safe to edit."""
    target = tmp_path / "town"
    shutil.copytree(samples_dir() / "town", target, ignore=shutil.ignore_patterns("out"))
    return target


@pytest.fixture(scope="session")
def built_town(tmp_path_factory) -> Path:
    """The sample town, built once for the whole session (read-only for tests)."""
    target = tmp_path_factory.mktemp("built") / "town"
    shutil.copytree(samples_dir() / "town", target, ignore=shutil.ignore_patterns("out"))
    result = CliRunner().invoke(main, ["build", "-w", str(target)])
    assert result.exit_code == 0, result.output
    return target


def run(*args: str):
    """Run the CLI in-process; returns click's Result (output holds stdout and stderr)."""
    return CliRunner().invoke(main, [str(a) for a in args])


def pdf_text(path: Path) -> str:
    document = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_size() for page in document]
    finally:
        document.close()


def render_page(path: Path, index: int = 0, dpi: int = 150):
    document = pdfium.PdfDocument(str(path))
    try:
        return document[index].render(scale=dpi / 72).to_pil()
    finally:
        document.close()


def decode_qr(image) -> list[str]:
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


SETTINGS = """\
issuer: 测试镇人民政府
base_url: https://gk.example.gov.cn/test/
hotline: 0537-7654321
"""

SMALL_FINANCE_CSV = """\
科目编码,科目名称,预算数,本期数,累计数,上年同期数
101,税收收入,300.00,80.00,80.00,70.00
10101,增值税,200.00,50.00,50.00,40.00
10104,企业所得税,100.00,30.00,30.00,30.00
,收入合计,300.00,80.00,80.00,70.00
201,一般公共服务支出,250.00,60.00,60.00,55.00
20103,政府办公厅（室）及相关机构事务,250.00,60.00,60.00,55.00
,支出合计,250.00,60.00,60.00,55.00
"""


def finance_yaml(notice_id: str = "t-finance", data: str = "t-finance.csv", **extra: str) -> str:
    fields = {
        "id": notice_id,
        "kind": "finance",
        "title": "测试镇2026年第一季度财政收支情况公示",
        "period": "2026-Q1",
        "date": "2026-04-12",
        "display_days": "10",
        "paper": "A4",
        "unit": "万元",
        "data": data,
    }
    fields.update(extra)
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def make_workspace(root: Path, files: dict[str, str | bytes], settings: str = SETTINGS) -> Path:
    """A workspace from literal files, keyed by path relative to the root."""
    write(root / "noticeboard.yaml", settings)
    for name, content in files.items():
        if isinstance(content, bytes):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
        else:
            write(root / name, content)
    return root


def findable(needle: str, haystack: str) -> bool:
    """Is ``needle`` in the extracted text, allowing it to be wrapped inside a table cell?

    Whitespace is ignored. A wrapped cell comes back as pieces separated by other
    cells of the same line, so the pieces are looked for in order, each at least
    two characters long unless it is the last one.
    """
    text = "".join(haystack.split())
    needle = "".join(needle.split())
    if needle in text:
        return True
    position, rest = 0, needle
    while rest:
        for length in range(len(rest), 0, -1):
            if length < 2 and length < len(rest):
                return False
            index = text.find(rest[:length], position)
            if index >= 0:
                position, rest = index + length, rest[length:]
                break
        else:
            return False
    return True
