"""A warning when base_url + id makes a QR code denser than version 5 (SPEC §3).

The code then has to be printed larger to keep its modules at the paper's minimum / 37, and it is
still the harder code to frame and focus for a cheap phone at the board. Most often the address
is to blame, and every notice under it shares the fault: one warning at the base_url line, not
one per notice. Only where the shortest id under that address still fits does a long id carry
the blame, and then the warning is at that notice's id line.
"""

from __future__ import annotations

from ..layout.paper import QR_MINIMUM_MM
from ..layout.qr import (
    PLAIN_VERSION,
    QUIET_ZONE,
    REFERENCE_VERSION,
    qr_side,
    qr_version,
    url_capacity,
    version_modules,
)
from ..models import Notice, Settings
from ..problems import Problem, Where, warning

SHORTEST_ADDRESS = len("https://a.cn/")  # a base_url shorter than this is no suggestion at all


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _path(notice: Notice) -> str:
    """What the notice adds to base_url: its id and the closing slash."""
    return f"{notice.id}/"


def _size_note(notice: Notice) -> str:
    """How large the densest code has to be printed, against the size of a plain one on that paper."""
    minimum = QR_MINIMUM_MM.get(notice.paper, QR_MINIMUM_MM["A4"])
    side = qr_side(minimum, notice.url)
    return f"{notice.paper} 上的二维码要印到 {side:.0f} 毫米见方（第 {REFERENCE_VERSION} 版只要 {minimum:.0f} 毫米）"


def _version_note(version: int) -> str:
    modules = version_modules(version) - 2 * QUIET_ZONE
    return f"第 {version} 版（{modules}×{modules} 个模块），比第 {PLAIN_VERSION} 版密"


def check_qr_density(notices: list[Notice], settings: Settings, workspace: list[Notice] | None = None) -> list[Problem]:
    """Warnings for ``notices`` whose address makes a code denser than version 5, blaming base_url once
    where it is at fault. ``workspace``: every notice, which decides whether the address or an id is to
    blame, so that checking a few notices says what checking all of them would."""
    capacity = url_capacity(PLAIN_VERSION)
    chosen = {id(n) for n in notices}
    # notices grouped by where their base_url is written: noticeboard.yaml, or the notice's own file
    groups: dict[tuple[str, Where], list[Notice]] = {}
    for notice in workspace if workspace is not None else notices:
        if not notice.base_url:
            continue
        if "base_url" in notice.key_lines:
            source = notice.at("base_url")
        else:
            source = settings.base_url_where or Where(settings.file)
        groups.setdefault((notice.base_url, source), []).append(notice)

    problems = []
    for (base, where), members in groups.items():
        dense = [n for n in members if id(n) in chosen and qr_version(n.url) > PLAIN_VERSION]
        if not dense:
            continue
        densest = max(dense, key=lambda n: (qr_version(n.url), _bytes(n.url)))
        version = qr_version(densest.url)
        shortest = min(_bytes(_path(n)) for n in members)
        if _bytes(base) + shortest > capacity:  # not even the shortest id fits: the address is at fault
            longest = max(members, key=lambda n: _bytes(_path(n)))
            room = capacity - _bytes(_path(longest))
            scope = f"本工作区 {len(members)} 条通知的二维码就都" if len(members) > 1 else "二维码就"
            if room < SHORTEST_ADDRESS:  # that id is long in its own right: it has to give too
                room = capacity - shortest
                scope += f"（编号最长的「{longest.id}」也要缩短）"
            problems.append(
                warning(
                    where,
                    (
                        f"网上公开地址 base_url 有 {len(base)} 个字符，加上编号后二维码是{_version_note(version)}："
                        f"{_size_note(densest)}，手机在看板前也更难扫出来。"
                        f"把 base_url 缩短到 {room} 个字符以内（例如用更短的域名或路径），"
                        f"{scope}在第 {PLAIN_VERSION} 版以内。"
                    ),
                )
            )
            continue
        for notice in dense:  # the address leaves room for short ids: this id alone is too long
            room = capacity - _bytes(base) - 1
            problems.append(
                warning(
                    notice.at("id"),
                    (
                        f"编号「{notice.id}」有 {len(notice.id)} 个字符，网址 {notice.url} 使二维码成为"
                        f"{_version_note(qr_version(notice.url))}：{_size_note(notice)}，手机在看板前也更难扫出来。"
                        f"编号不超过 {room} 个字符（或缩短 base_url），二维码就在第 {PLAIN_VERSION} 版以内。"
                    ),
                )
            )
    return problems
