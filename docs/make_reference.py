"""Write docs/reference.md, the reference of every key and column, from the code that reads them.

    python docs/make_reference.py

The key names, their Chinese labels, each kind's keys and each kind's columns with their
other names come from the program itself (workspace.COMMON_KEYS, the kinds' KindSpec),
so the reference cannot fall behind; tests/test_readme.py fails when the committed file
differs from what this script writes. The explanations beside them are written here.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from noticeboard.kinds.registry import registry  # noqa: E402
from noticeboard.workspace import COMMON_KEYS, SETTINGS_KEYS  # noqa: E402

SETTINGS = {
    "issuer": "默认落款单位，例如 两城镇人民政府；通知文件里写了 issuer 的以通知文件为准",
    "base_url": "网上公开版本的网址，以 / 结尾；二维码指向 base_url + 编号 + /",
    "hotline": "监督电话，每张公示都印",
    "reviews": "正式印发前要有的签批环节，按顺序，例如 [初审, 审核, 保密审查]",
    "fonts": "办公室自己的字体：`{file: fonts/仿宋.ttf, role: body}`；role 是 title、body、heading、subheading、sans 之一，"
             "`weight: bold` 作粗体；不写 role 的字体只在自带字体都没有某个字时才用",
    "privacy": "遮盖规则：`id_number: {keep_first: 3, keep_last: 2}`、`mobile: {keep_first: 3, keep_last: 4}`",
    "events": "有日期的事件（事前公开）：`{id, title, date, type: election, candidate_lead_days: 5}`",
    "boards": "实体公开栏：`{id, name, width_mm, height_mm}`，供 plan 排版",
    "catalogue": "公开目录：每项 `{id, title, frequency, due_days 或 due_workdays, owner, board, event, lead_days, "
                 "review_days, reviews, min_display_days 或 min_display_workdays, step}`，也可以用标准目录的栏目"
                 "（事项、内容、依据、时限、主体、渠道、对象、方式）",
    "screen": "村委会电子屏：`{width: 1920, height: 1080, seconds: 15}`",
}
COMMON = {
    "id": "编号：小写字母、数字和连字符，全工作区唯一；是文件名，也是网址的一部分",
    "kind": "类型，见下文各节",
    "title": "标题",
    "catalogue": "属于哪个公开目录项（可以不写）",
    "period": "所属期间：2026、2026-Q1 或 2026-03",
    "issuer": "落款单位，覆盖 noticeboard.yaml 的 issuer",
    "date": "发布日期，印作 2026年4月12日；也可以写 2026/4/12、2026年4月12日",
    "display_days": "公示期（天），印作 公示期：2026年4月12日至2026年4月21日",
    "display_workdays": "公示期（工作日，按国务院节假日和调休安排）；和 display_days 只写一个",
    "paper": "纸张：A0 A1 A2 A3 A4 A5",
    "orientation": "portrait（竖版，默认）或 landscape（横版）",
    "data": "数据表：同一文件夹里的 xlsx、xls 或 CSV（要表格的类型才写）",
    "sheet": "工作表名；几个工作表依次读成一张表时写成列表 [收入, 支出]",
    "reviews": "签批：`初审: {by: 王小红, date: 2026-04-10}`，每个环节一行",
    "base_url": "网上公开地址，覆盖 noticeboard.yaml 的 base_url",
    "hotline": "监督电话，覆盖 noticeboard.yaml 的 hotline",
}
MESSAGES = """\
## 消息和退出码

每个问题一行：`文件:行: 错误: …` 或 `文件:行: 警告: …`；表格单元格写作 `文件[工作表]!C7`（xlsx、xls）或
`文件:行:列`（CSV）。消息说的是要改什么。

- **错误**：必须改。`build` 不生成有错误的通知，已有的旧文件不会被当作新的。
- **警告**：建议看一看（例如某一列不会印出、缺少签批、名字里有「?」）。不影响生成。
- 退出码：`0` 没有错误；`1` 发现错误、拒绝生成，或 plan 里有逾期；`2` 命令用法不对，或者文件根本读不了。

## 打印 A0–A2 的大海报

- 打印店：把 `out/print/编号.pdf` 带去，请店里按「实际大小 / 100%」打印，不要「适合页面」。
- 办公室只有 A4/A3 打印机：`noticeboard tile out/print/编号.pdf --sheet A3 -o 拼贴.pdf`，按第一页的示意图拼贴；
  同样要用「实际大小」打印。
- 二维码在 150 dpi 下能识别；缩小打印会让二维码变小，最好不要缩。
"""


def _columns(kind) -> list[str]:
    lines = ["| 列 | 英文别名 | 必填 | 也认得的写法 |", "| --- | --- | --- | --- |"]
    for spec in kind.columns:
        others = "、".join(a if not a.startswith("re:") else "1-3月累计（任何月份）" for a in spec.aliases) or "—"
        lines.append(f"| {spec.zh} | {spec.key} | {'是' if spec.required else '否'} | {others} |")
    return lines


def reference() -> str:
    out = ["# 参考：工作区里每个文件、每个键、每一列", "",
           "这份参考由 `docs/make_reference.py` 从程序里的定义生成，和程序一致。怎么开始见 README；"
           "表格怎么准备见 [tables.md](tables.md)。", "",
           "## noticeboard.yaml", "", "| 键 | 说明 |", "| --- | --- |"]
    for key in SETTINGS_KEYS:
        out.append(f"| `{key}` | {SETTINGS.get(key, '')} |")
    out += ["", "## 通知文件（notices/编号.yaml）共有的键", "", "| 键 | 中文 | 说明 |", "| --- | --- | --- |"]
    for key, label in COMMON_KEYS.items():
        out.append(f"| `{key}` | {label} | {COMMON.get(key, '')} |")
    out.append("")
    for name, kind in registry().items():
        out += [f"## {kind.label}（kind: {name}）", ""]
        if kind.keys:
            out += ["| 键 | 中文 |", "| --- | --- |"] + [f"| `{key}` | {label} |" for key, label in kind.keys.items()]
            out.append("")
        if kind.columns:
            out += ["数据表的列：", ""] + _columns(kind) + [""]
            if kind.open_columns:
                out += ["表里的其他列也可以用（名单用 `columns:` 选，入户信用 `{列名}` 引用）。", ""]
        else:
            out += ["不用数据表。", ""]
        out += [f"开始写一份：`noticeboard new {name} 编号`（生成带说明的 YAML" + ("和 Excel 模板）。" if kind.columns else "）。"), ""]
    out.append(MESSAGES)
    return "\n".join(out)


if __name__ == "__main__":
    (ROOT / "docs" / "reference.md").write_text(reference(), encoding="utf-8")
