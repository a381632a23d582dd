"""Regenerate the sample town's key-task table (fictional tasks, units and people).

    pip install openpyxl && python samples/make_tasks.py

Written as an xlsx the way a 党政办 keeps it: a title row above the header, real date
cells for most deadlines, and a month ("2026年10月") or 长期 typed as text for others.
As of the notice date (2026-07-10) the mix gives 已完成, 推进中 and 滞后 rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent / "town" / "notices"
D = dt.date

HEADER = ["序号", "任务", "目标", "责任单位", "责任人", "进度", "完成时限", "备注"]
TASKS = [
    (
        "乡村振兴示范片区建设",
        "建成小庄、河东、前洼3个村示范片区，完成村庄绿化美化和产业路配套",
        "乡村振兴办",
        "孙立强",
        65,
        D(2026, 11, 30),
        "小庄村景观节点主体工程基本完工，河东村正在施工",
    ),
    (
        "农村人居环境整治",
        "完成28个村生活垃圾分类设施配置，改造户厕1200户",
        "农业农村办",
        "刘春梅",
        100,
        D(2026, 6, 30),
        "已通过县级验收",
    ),
    (
        "高标准农田建设",
        "新建高标准农田8000亩，配套灌溉渠系12公里",
        "农业农村办",
        "王建华",
        45,
        D(2026, 6, 30),
        "受连续降雨影响，渠系施工延后，计划8月底前完成",
    ),
    (
        "便民服务中心改造",
        "完成镇便民服务中心提升改造，实现“一窗受理、一次办好”",
        "党政办",
        "陈晓燕",
        100,
        D(2026, 5, 31),
        "6月1日起投入使用",
    ),
    (
        "农村道路硬化",
        "硬化村内主干道路15.6公里，完善错车道和安全设施",
        "交通城建办",
        "赵永刚",
        72.5,
        D(2026, 9, 30),
        "",
    ),
    (
        "农村饮水安全巩固提升",
        "更新改造供水管网23公里，覆盖9个村",
        "水利站",
        "周国栋",
        58,
        D(2026, 6, 30),
        "管材到货延迟，已督促施工单位增加班组",
    ),
    (
        "秸秆禁烧与综合利用",
        "秸秆综合利用率达到95%以上，全镇火点“零发生”",
        "生态环境办",
        "吴敏",
        100,
        D(2026, 6, 20),
        "",
    ),
    (
        "安全生产专项整治",
        "排查整改企业、自建房、燃气等领域隐患，整改率100%",
        "应急管理办",
        "郑海涛",
        80,
        D(2026, 12, 31),
        "排查隐患136处，已整改109处",
    ),
    ("招商引资", "引进5000万元以上产业项目2个", "经济发展办", "冯磊", 50, D(2026, 12, 31), "已签约1个，另1个正在洽谈"),
    ("村级集体经济增收", "集体经营性收入10万元以上的村达到80%", "经管站", "何丽", 60, "2026年10月", ""),
    (
        "新时代文明实践站点提升",
        "新建、提升新时代文明实践站5处",
        "宣传办",
        "林芳",
        40,
        D(2026, 6, 30),
        "2处已建成，3处选址调整",
    ),
    ("防汛抗旱准备", "完成主要河道清淤9.2公里，备齐防汛物资", "水利站", "周国栋", 100, D(2026, 6, 15), ""),
    (
        "信访矛盾纠纷排查化解",
        "每月开展一次矛盾纠纷排查，化解率保持在95%以上",
        "综治中心",
        "许文博",
        90,
        "长期",
        "上半年排查化解纠纷47起",
    ),
]


def main() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "重点工作"
    sheet.append(["两城镇2026年第二季度重点工作目标完成情况"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADER)
    for number, (task, target, unit, owner, progress, deadline, note) in enumerate(TASKS, start=1):
        sheet.append([number, task, target, unit, owner, progress, deadline, note or None])
        cell = sheet.cell(row=sheet.max_row, column=7)
        if isinstance(deadline, dt.date):
            cell.number_format = "yyyy-mm-dd"
        cell.alignment = Alignment(horizontal="center")
    for column, width in zip("ABCDEFGH", (6, 24, 40, 14, 10, 8, 14, 36)):
        sheet.column_dimensions[column].width = width
    book.save(HERE / "2026q2-tasks.xlsx")
    print("wrote 2026q2-tasks.xlsx")


if __name__ == "__main__":
    main()
