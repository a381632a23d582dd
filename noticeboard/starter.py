"""A clerk's start: ``noticeboard init`` (a workspace holding the sample town, ``init_workspace``)
and ``noticeboard new KIND [ID]`` (a first notice of their own, not a copy of the sample town).

It writes ``notices/ID.yaml`` with every key of the kind explained in a comment beside it,
and, for a kind that takes a table, ``notices/ID.xlsx``: the headers the kind reads, one
grey sample row marked as such (the table reader refuses it if it is left in), and a 说明
sheet that lists each column, whether it is needed and the other names it may go by.
Every key a kind declares must appear in its template (tests/test_starter.py), so the
templates cannot fall behind the kinds.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .dates import chinese_date
from .kinds.registry import registry
from .load.tables.header import ColumnSpec
from .load.tables.reader import SAMPLE_MARK  # the table reader names a row that still holds it
from .problems import Problem, Where, error
from .resources import samples_dir

SAMPLE_TOWN = "town"  # the sample workspace init copies: 两城镇
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# names Windows keeps for devices: no file of that name (with any suffix) can be made there, so a
# notice so named could not be copied to, or built on, a township's Windows computer
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)})


def reserved_id_message(notice_id: str) -> str | None:
    """The clerk's message when ``notice_id`` is a name Windows keeps for a device, else None."""
    if notice_id.lower() not in WINDOWS_RESERVED:
        return None
    return f"编号「{notice_id}」是 Windows 的保留名字，那里建不了这个文件。请换一个，比如 {notice_id}-2026。"


COMMON = """\
# {label}：由 noticeboard new {kind} 生成。井号（#）后面是说明，改完可以删掉。
# 改好后运行：noticeboard check，再运行 noticeboard build（正式印发前要有签批）。
id: {id}                       # 编号：小写字母、数字和连字符，同时是文件名和网址的一部分
kind: {kind}                   # 类型：{label}
title: {title}                 # 标题：印在最上面，要写全（单位、年份、事项）
date: {date}                   # 发布日期：印作「{date_text}」
# display_days: 10             # 公示期（天）：印作「公示期：某年某月某日至某年某月某日」
# display_workdays: 7          # 或者：公示期按工作日算（法定节假日和调休都算进去）；两者只写一个
paper: {paper}                 # 纸张：A0 A1 A2 A3 A4 A5
# orientation: landscape       # 横版；不写就是竖版
# catalogue: finance           # 属于 noticeboard.yaml 里的哪个公开目录项（可以不写）
# period: 2026-Q1              # 所属期间：2026（年）、2026-Q1（季度）或 2026-03（月）
# issuer: 两城镇人民政府        # 落款：不写就用 noticeboard.yaml 里的 issuer
# hotline: 0537-1234567        # 监督电话：不写就用 noticeboard.yaml 里的 hotline
"""

DATA = """\
data: {data}                   # 数据表：同一个文件夹里的 xlsx、xls 或 CSV，照 Excel/WPS 里原样用
# sheet: 收支表                # 工作表名：不写就读第一个；几个工作表写成 [收入, 支出]
"""

REVIEWS = """\
# 签批：每个审核环节审过以后，写上审核人和日期（正式印发时一个都不能少）
# reviews:
#   初审: {{by: 王小红, date: {date}}}
#   审核: {{by: 李建国, date: {date}}}
#   保密审查: {{by: 赵敏, date: {date}}}
"""

KIND_KEYS = {
    "finance": """\
period: {quarter}              # 所属期间：核对累计数要用它（第一季度累计数等于本期数）
unit: 万元                     # 金额单位：元 或 万元；表里写了「单位：万元」时要和这里一致，不写就用表里的
""",
    "contacts": """\
departments:                   # 部门职能：每个部门一项，排列顺序就是海报上的顺序
  - {name: 党政办公室, duties: 负责镇党委、政府日常事务的综合协调。}
# mask: [办公电话]              # 遮盖列：这些列里的手机号只印前3位和后4位
# public_mobiles: [13905370001] # 公开的工作手机：一个一个列出，只有这些手机号原样印出
""",
    "tasks": """\
# 任务表的「进度」写 0 到 100（可以带 %）；到了完成时限还没到 100 的，自动标为「滞后」
""",
    "roster": """\
columns: [序号, 姓名, 村民小组]  # 列：要印哪几列、按什么顺序（用表头里的名字）
# group_by: 村民小组           # 分组列：按这一列分节，每节有人数
# count_unit: 户               # 计数单位：人 或 户
# mask: [身份证号, 联系电话]    # 遮盖列：身份证号只印前3位和后2位，手机号只印前3位和后4位
# sum: [保障金额（元）]         # 合计列：每组有小计，最后有合计
""",
    "ledger": """\
period: {month}                # 所属期间：每一笔的日期都要在这个月（或季度、年）里
opening_balance: 0             # 期初余额（上月结余）：改成上月公示的期末余额；表里有「期初余额」行时删去这一行
# closing_balance: 23456.78    # 期末余额：表里没有「期末余额」「本月结余」行时写这里（会和算出来的核对）
""",
    "notice": """\
# to: 各村（居）民委员会：      # 主送机关
body: |                        # 正文：一段一行，段与段之间空一行；一、（一）1.（1）开头的行自动当作标题
  为做好……工作，现将有关事项公告如下：

  一、时间安排
  ……

  特此公告。
# tables: [选举日程.csv]        # 表格：正文里写【表1】的地方放第一张表
# attachments: [选民登记表]     # 附件：附件名称；写 {title: 附件名称, data: 文件.xlsx} 时另起一页印出
# mask: true                   # 遮盖号码：遮盖正文和表格里全部身份证号、手机号和银行卡号
# seal: true                   # 盖章：成文日期右空四字，发文机关居中在上面，留出 42 毫米的章位
""",
    "letter": """\
body: |                        # 正文：{户主}、{地址} 这样的写法会换成这一户的内容；一段一行
  尊敬的{户主}户：
  ……
  此致
  敬礼！
# sort_by: [村民小组, 户号]     # 排序列：按这些列的顺序印
# qr_per_household: true       # 每户二维码：二维码带上户号
# imposition: 2up              # 拼版：paper: A5 时两封拼一张 A4
# mask: [身份证号]              # 遮盖列
""",
    "guide": """\
conditions:                    # 申请条件：一段话，或一条一行
  - 本镇户籍居民。
materials:                     # 申请材料：一行一种；要写份数和要求时写 {name: …, copies: 1份, requirement: …}
  - 居民身份证
steps:                         # 办理流程：按先后顺序一步一行；days 是几个工作日
  - {step: 提交申请材料, who: 申请人, days: 0}
  - {if: 材料齐全, then: next, else: 一次性告知需补正的材料}
  - {step: 窗口受理并办结, who: 便民服务中心, days: 1}
time_limit: 1个工作日           # 办结时限：各步骤 days 加起来不能超过它；「即办」算 0
place: 镇便民服务中心一楼       # 办理地点
hours: 周一至周五 上午8:30—12:00，下午13:30—17:30   # 办公时间
phone: 0537-1234567            # 咨询电话
# fees: 不收费                 # 收费标准：不写就是「不收费」
# basis: 《……条例》第……条      # 设定依据
""",
}

TITLES = {
    "finance": "两城镇2026年第一季度财政收支情况公示",
    "contacts": "两城镇机构设置、部门职能及联系电话",
    "tasks": "两城镇2026年重点工作目标完成情况",
    "roster": "小庄村2026年农村低保对象公示",
    "ledger": "小庄村2026年3月村级财务收支公开",
    "notice": "关于……的公告",
    "letter": "致全体村民的一封信",
    "guide": "……办事指南",
}
PAPER = {
    "finance": "A3",
    "contacts": "A2",
    "tasks": "A2",
    "roster": "A3",
    "ledger": "A3",
    "notice": "A4",
    "letter": "A4",
    "guide": "A3",
}

# One plausible row per kind, in the order of the kind's columns; None leaves a cell empty.
SAMPLE_ROWS: dict[str, list[object]] = {
    "finance": ["101", f"税收收入（{SAMPLE_MARK}）", 3069.0, 680.99, 680.99, 612.4, None, None],
    "contacts": ["领导班子", f"张明远（{SAMPLE_MARK}）", "党委书记", "主持镇党委全面工作", "0537-1234501", "办公楼301"],
    "tasks": [
        1,
        f"农村人居环境整治（{SAMPLE_MARK}）",
        "农业农村办",
        "李建国",
        "完成12个村改厕",
        "80%",
        "2026年12月",
        None,
    ],
    "roster": [1, f"梁平（{SAMPLE_MARK}）", "男", "1956-03", "第一村民小组", "0101", "梁平", 2, None, None, None, None],
    "ledger": [
        "2026-03-02",
        "记-001",
        "上级补助收入",
        f"上级拨付村级组织运转经费（{SAMPLE_MARK}）",
        18000.0,
        None,
        None,
        "孔令华",
        "颜廷玉",
    ],
    "letter": ["0101", f"梁平（{SAMPLE_MARK}）", "第一村民小组", "小庄村东街1号"],
}


@dataclass
class Started:
    files: list[Path]
    problems: list[Problem]


def init_workspace(directory: Path | str) -> Started:
    """A new workspace at ``directory`` holding the sample town (两城镇), to build at once and then
    change; an error and nothing written when the directory already holds anything."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        return Started([], [error(Where(str(directory)), "这个目录不是空的。请换一个新目录名，以免覆盖已有文件。")])
    shutil.copytree(
        samples_dir() / SAMPLE_TOWN, directory, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "out")
    )
    return Started(sorted(p for p in directory.rglob("*") if p.is_file()), [])


def _title_cell(spec: ColumnSpec) -> str:
    return spec.zh


def _workbook(kind_name: str, label: str, specs: list[ColumnSpec], path: Path, today: dt.date) -> None:
    import openpyxl  # imported here: only `new` writes spreadsheets
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    sheet.append([_title_cell(spec) for spec in specs])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F4E1E1")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sample = list(SAMPLE_ROWS.get(kind_name, []))
    if kind_name == "ledger":  # the sample entry falls in the template's own period
        sample[0] = f"{today:%Y-%m}-01"
    sheet.append(sample + [None] * (len(specs) - len(sample)))
    for cell in sheet[2]:
        cell.font = Font(color="808080")
    for index, spec in enumerate(specs, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(10, min(40, len(spec.zh) * 2 + 6))
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("说明")
    guide.append([f"{label}的数据表怎么填"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append(["第2行灰色的是示例，请改写成真实内容，或者删去。留着示例行时 noticeboard check 会提醒。"])
    guide.append(
        ["表头上面可以加标题行和「单位：万元」行，表格下面可以写「注：……」和「制表人：……」行，都会照原样处理。"]
    )
    guide.append([])
    guide.append(["列名", "是否必填", "也可以写作"])
    for cell in guide[5]:
        cell.font = Font(bold=True)
    for spec in specs:
        others = "、".join(a for a in spec.aliases if not a.startswith("re:"))
        guide.append([spec.zh, "必填" if spec.required else "可以不要", others or "—"])
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 80
    workbook.save(path)


def new_notice(root: Path | str, kind_name: str, notice_id: str | None = None, today: dt.date | None = None) -> Started:
    """Start a notice of ``kind_name`` in the workspace at ``root``; nothing is overwritten."""
    root = Path(root)
    kinds = registry()
    where = Where("noticeboard new")
    if kind_name not in kinds:
        return Started([], [error(where, f"没有「{kind_name}」这种类型，只能是：{'、'.join(kinds)}。")])
    today = today or dt.date.today()
    notice_id = notice_id or f"{kind_name}-{today:%Y%m%d}"
    if not ID_PATTERN.fullmatch(notice_id):  # fullmatch: "$" would let a trailing newline through
        return Started(
            [], [error(where, (f"编号「{notice_id}」只能由小写字母、数字和连字符组成，例如 2026q1-finance。"))]
        )
    reserved = reserved_id_message(notice_id)
    if reserved is not None:
        return Started([], [error(where, reserved)])
    kind = kinds[kind_name]
    folder = root / "notices"
    yaml_path = folder / f"{notice_id}.yaml"
    table_path = folder / f"{notice_id}.xlsx"
    taken = [p for p in (yaml_path, table_path if kind.columns else None) if p is not None and p.exists()]
    if taken:
        listed = "、".join(str(p.relative_to(root)) for p in taken)
        return Started(
            [],
            [
                error(
                    Where(str(taken[0].relative_to(root))),
                    (
                        f"{listed} 已经有了，不会覆盖。请换一个编号（noticeboard new {kind_name} 新编号），"
                        "或者先把旧文件挪走。"
                    ),
                )
            ],
        )
    fields = {
        "label": kind.label,
        "kind": kind_name,
        "id": notice_id,
        "title": TITLES[kind_name],
        "date": today.isoformat(),
        "date_text": chinese_date(today),
        "paper": PAPER[kind_name],
        "data": table_path.name,
        "month": f"{today:%Y-%m}",
    }
    text = COMMON.format(**fields)
    if kind.columns is not None:
        text += DATA.format(**fields)
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    text += KIND_KEYS[kind_name].replace("{month}", fields["month"]).replace("{quarter}", quarter)
    text += REVIEWS.format(**fields)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if kind.columns is not None:
        _workbook(kind_name, kind.label, kind.columns, table_path, today)
        written.append(table_path)
    yaml_path.write_text(text, encoding="utf-8")
    written.insert(0, yaml_path)
    return Started(written, [])
