"""Write docs/reference.md, the reference of every key and column, from the code that reads them.

    python docs/make_reference.py

The key names, their Chinese labels and explanations, each kind's keys and each kind's columns
with their other names come from the declared options the loader reads with (noticeboard.load.options:
workspace.SETTINGS and workspace.COMMON, each kind's KindSpec.options), so the reference cannot
fall behind; tests/test_readme.py fails when the committed file differs from what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from noticeboard.kinds.registry import registry  # noqa: E402
from noticeboard.load.workspace import COMMON as COMMON_SCHEMA  # noqa: E402
from noticeboard.load.workspace import COMMON_KEYS, SETTINGS_KEYS  # noqa: E402
from noticeboard.load.workspace import SETTINGS as SETTINGS_SCHEMA  # noqa: E402

# the explanations are declared beside each option (noticeboard/load/workspace.py)
SETTINGS = {option.name: option.help for option in SETTINGS_SCHEMA.options}
COMMON = {option.name: option.help for option in COMMON_SCHEMA.options}
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
  同样要用「实际大小」打印。海报按最少的张数等分成条，每张只印自己那一条，边上的小张不会大半空白；
  各张的白边按角线剪掉（或被压住），编号和粘贴区说明都印在海报内容之外。
- 二维码在 150 dpi 下能识别；缩小打印会让二维码变小，最好不要缩。
"""


def _columns(kind) -> list[str]:
    lines = ["| 列 | 英文别名 | 必填 | 也认得的写法 |", "| --- | --- | --- | --- |"]
    for spec in kind.columns:
        others = "、".join(a if not a.startswith("re:") else "1-3月累计（任何月份）" for a in spec.aliases) or "—"
        lines.append(f"| {spec.zh} | {spec.key} | {'是' if spec.required else '否'} | {others} |")
    return lines


def reference() -> str:
    out = [
        "# 参考：工作区里每个文件、每个键、每一列",
        "",
        "这份参考由 `docs/make_reference.py` 从程序里的定义生成，和程序一致。怎么开始见 README；"
        "表格怎么准备见 [tables.md](tables.md)。",
        "",
        "## noticeboard.yaml",
        "",
        "| 键 | 说明 |",
        "| --- | --- |",
    ]
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
        out += [
            f"开始写一份：`noticeboard new {name} 编号`（生成带说明的 YAML"
            + ("和 Excel 模板）。" if kind.columns else "）。"),
            "",
        ]
    out.append(MESSAGES)
    return "\n".join(out)


if __name__ == "__main__":
    (ROOT / "docs" / "reference.md").write_text(reference(), encoding="utf-8")
