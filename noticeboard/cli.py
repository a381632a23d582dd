"""The command line: a thin face over the library. Nothing else imports this module."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sys
import time
import unicodedata
from pathlib import Path

import click

from . import commands, pipeline, starter
from .dates import chinese_date, local_time
from .load.yamlsrc import date_problem
from .privacy import masked_text
from .problems import UnreadableInput, Where, error, os_reason
from .publish import verification
from .render import tile
from .schedule import timeline, workdays


def _report(result: pipeline.Result, done: str) -> int:
    for problem in result.problems:
        click.echo(str(problem))
    errors = sum(1 for p in result.problems if p.is_error)
    warnings = len(result.problems) - errors
    for path in result.written:
        click.echo(f"已生成 {path}")
    for notice_id, revision in result.registered:
        click.echo(f"已登记 {notice_id} 第{revision}版")
    if result.refused:
        click.echo(masked_text(f"未生成：{'、'.join(result.refused)}（请先改正上面的错误）"))
    click.echo(f"{done}：{errors} 个错误，{warnings} 个警告。")
    # errors come sorted by file and line, so the first line printed is the place to start;
    # after a clean build the place to look is the first preview
    if not errors and (previews := [p for p in result.written if p.parent.name == "preview"]):
        click.echo(f"先打开预览图看一看：{previews[0]}")
    if any(p.unreadable for p in result.problems):
        return 2  # a file that could not be read at all, as SPEC §4 says, not merely content with errors
    return 0 if result.ok else 1


class TerminalProgress(pipeline.Progress):
    """A bar for long letter runs: only on a terminal, and only once the run has taken a second."""

    DELAY = 1.0  # seconds: a short run finishes before a bar would be any use

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None

    def start(self, total: int, label: str) -> None:
        self.total, self.label, self.done = total, label, 0
        self.started = self.drawn = time.monotonic()

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.bar is None:
            if now - self.started < self.DELAY:
                return
            self.bar = click.progressbar(
                length=self.total,
                label=f"正在排印 {self.label}",
                file=self.stream,
                show_eta=False,
                show_percent=True,
                show_pos=True,
            )
            self.bar.__enter__()
        elif now - self.drawn < 0.1 and self.done < self.total:
            return  # redrawing for each of 10,000 letters costs more than it tells
        self.bar.update(self.done - self.bar.pos)
        self.drawn = now

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _guarded(action) -> None:
    """The single error boundary: every failure becomes a message and an exit status, never a traceback."""
    try:
        status = action()
    except UnreadableInput as exc:
        click.echo(str(exc.problem))
        status = 2
    except KeyboardInterrupt:
        click.echo("已中断，之前生成的文件保持不变。")
        status = 1
    except OSError as exc:  # a full disk, a name too long, a file held by another program: said in words
        place = exc.filename if exc.filename else "noticeboard"
        click.echo(str(error(Where(str(place)), f"无法读写（{os_reason(exc)}）。之前生成的文件保持不变。")))
        status = 2
    except Exception as exc:  # the boundary itself: whatever it was, a message, never a traceback
        if os.environ.get("NOTICEBOARD_DEBUG"):
            raise
        click.echo(
            f"noticeboard: 错误: 程序内部出错（{type(exc).__name__}: {exc}）。"
            "之前生成的文件保持不变，请把这条信息发给维护人员。"
        )
        status = 1
    sys.exit(status)


def _usage_in_chinese(exc: click.UsageError) -> str:
    """click's usage errors, said in Chinese (click itself only speaks English)."""
    if isinstance(exc, click.NoSuchOption):
        return f"没有「{exc.option_name}」这个选项。"
    if isinstance(exc, click.BadOptionUsage):
        return f"选项「{exc.option_name}」用得不对，它后面要跟一个值。"
    if isinstance(exc, click.MissingParameter):
        name = exc.param.human_readable_name if exc.param else "参数"
        return f"缺少「{name}」。"
    if isinstance(exc, click.BadParameter):
        name = exc.param.human_readable_name if exc.param else "参数"
        given = re.search(r"'([^']*)'", exc.message)
        value = given[1] if given else ""
        kind = exc.param.type if exc.param else None
        if isinstance(kind, click.Choice):
            return f"「{name}」不能是「{value}」，只能是：{'、'.join(map(str, kind.choices))}。"
        if isinstance(kind, click.DateTime):
            return f"「{name}」{date_problem(value)}"
        if isinstance(kind, (click.types.FloatParamType, click.types.IntParamType)):
            return f"「{name}」应当是一个数，现在是「{value}」。"
        return f"「{name}」的值「{value}」不对。"
    match = re.match(r"No such command '(.+)'", exc.message)
    if match:
        return f"没有「{match[1]}」这个命令，可用的命令有：{'、'.join(sorted(main.commands))}。"
    if exc.message.startswith("Got unexpected extra argument"):
        return "多了参数。"
    return "命令用法不对。"


def _tolerant_output() -> None:
    """Write in the console's own encoding (GBK on a Chinese Windows, whatever a pipe was given)
    and put a ? for a character it cannot show (a rare name character, a lone surrogate), rather
    than fail on the message that was to explain a problem."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):  # already closed, or not a text stream of ours
                stream.reconfigure(errors="replace")


_CLICK_WORDS = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
    "Positional arguments": "参数",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "Aborted!": "已中断。",
    "Missing command.": "缺少命令。",
    "Show this message and exit.": "显示这份说明，然后退出。",
    "Show the version and exit.": "显示版本号，然后退出。",
}


def _chinese(text: str) -> str:
    return _CLICK_WORDS.get(text, text)


# click says its own few words (Options, default: …) through gettext with no Chinese catalogue;
# these modules' lookups are pointed at the table above so that every help screen is Chinese.
for _module in (click.core, click.formatting, click.decorators):
    _module._ = _chinese  # type: ignore[attr-defined]


def _display_width(text: str) -> int:
    """Terminal columns: a Chinese character takes two, so help columns line up."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in plain)


click.formatting.term_len = _display_width  # type: ignore[assignment]


class ChineseFormatter(click.HelpFormatter):
    """click's own words (Usage, Options, Commands) in Chinese, like the rest of the help."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = (
            args.replace("[OPTIONS]", "[选项]")
            .replace("[COMMAND] [ARGS]...", "[命令] [参数]...")
            .replace("COMMAND [ARGS]...", "命令 [参数]...")
        )
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_chinese(heading)}：\n")


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


class ChineseHelp:
    """The -h/--help option described in Chinese, for commands and the group alike."""

    context_class: type[click.Context] = ChineseContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示这份说明，然后退出。"
        return option


class ChineseCommand(ChineseHelp, click.Command):
    pass


class ChineseGroup(ChineseHelp, click.Group):
    """Usage errors in Chinese, with exit status 2, instead of click's English banner."""

    command_class = ChineseCommand

    def main(self, *args, **kwargs):
        kwargs.pop("standalone_mode", None)
        _tolerant_output()
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:  # bare `noticeboard` (or a group with no command)
            click.echo(exc.ctx.get_help() if exc.ctx else self.get_help(click.Context(self)))
            sys.exit(0)
        except click.UsageError as exc:
            click.echo(f"noticeboard: 错误: {_usage_in_chinese(exc)}运行 noticeboard --help 查看用法。")
            sys.exit(2)
        except click.exceptions.Abort:
            sys.exit(1)
        except click.ClickException as exc:
            click.echo(f"noticeboard: 错误: {exc.format_message()}")
            sys.exit(exc.exit_code)


workspace_option = click.option(
    "-w",
    "--workspace",
    "workspace",
    type=click.Path(path_type=Path),
    default=Path("."),
    metavar="目录",
    show_default=True,
    help="工作区目录（含 noticeboard.yaml）。",
)


@click.group(
    name="noticeboard",
    cls=ChineseGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    invoke_without_command=True,
    no_args_is_help=True,
)
@click.version_option(package_name="noticeboard", message="noticeboard %(version)s", help="显示版本号，然后退出。")
def main() -> None:
    """noticeboard：乡镇、村务公开栏的公示海报、入户信和网上公开版本。"""


@main.command()
@click.argument("directory", type=click.Path(path_type=Path), metavar="目录")
def init(directory: Path) -> None:
    """新建一个工作区，内含示例「两城镇」。"""

    def action() -> int:
        started = starter.init_workspace(directory)
        for problem in started.problems:
            click.echo(str(problem))
        if started.problems:
            return 2
        click.echo(f"已在 {directory} 新建示例工作区（两城镇）。下一步：noticeboard build -w {directory}")
        return 0

    _guarded(action)


@main.command(name="new")
@click.argument("kind", metavar="类型")
@click.argument("notice_id", required=False, metavar="[编号]")
@workspace_option
def new_command(kind: str, notice_id: str | None, workspace: Path) -> None:
    """开始写一条自己的公示：生成 notices/编号.yaml（每个键都有说明）和要填的 Excel 表格模板。

    类型：finance contacts tasks roster ledger notice letter guide。编号不写就用「类型-今天的日期」。"""

    def action() -> int:
        started = starter.new_notice(workspace, kind, notice_id)
        for problem in started.problems:
            click.echo(str(problem))
        if started.problems:
            return 2 if "这种类型" in started.problems[0].message or "编号「" in started.problems[0].message else 1
        for path in started.files:
            click.echo(f"已生成 {path}")
        yaml_file = started.files[0]
        if len(started.files) > 1:
            click.echo(
                f"下一步：用 Excel 或 WPS 打开 {started.files[1]} 填好（第2行灰色的是示例，改写或删去），"
                f"再改 {yaml_file} 里的标题和日期，然后运行 noticeboard check -w {workspace}。"
            )
        else:
            click.echo(f"下一步：改 {yaml_file} 里的标题、日期和内容，然后运行 noticeboard check -w {workspace}。")
        return 0

    _guarded(action)


@main.command()
@workspace_option
@click.argument("ids", nargs=-1, metavar="[编号]...")
def check(workspace: Path, ids: tuple[str, ...]) -> None:
    """检查所有通知（或指定编号的通知），逐条列出问题。"""
    _guarded(lambda: _report(pipeline.check(workspace, list(ids) or None), "检查完成"))


@main.command()
@workspace_option
@click.option(
    "-o", "--out", type=click.Path(path_type=Path), default=None, metavar="目录", help="输出目录，默认是 工作区/out。"
)
@click.option("--draft", is_flag=True, help="出草稿：每张加「草稿」水印，不要求签批。")
@click.option(
    "--tile",
    "tile_sheet",
    type=click.Choice(tile.SHEETS, case_sensitive=False),
    default=None,
    help="另把比这种纸大的海报拆成小张拼贴：print/编号-tiles.pdf。",
)
@click.argument("ids", nargs=-1, metavar="[编号]...")
def build(workspace: Path, out: Path | None, draft: bool, tile_sheet: str | None, ids: tuple[str, ...]) -> None:
    """检查后生成印刷 PDF 和预览图。"""
    sheet = tile_sheet.upper() if tile_sheet else None
    progress = TerminalProgress() if sys.stderr.isatty() else None  # never in a log or a pipe
    _guarded(
        lambda: _report(
            pipeline.build(workspace, out, list(ids) or None, draft, tile_sheet=sheet, progress=progress), "生成完成"
        )
    )


@main.command()
@click.argument("file", type=click.Path(path_type=Path), metavar="通知文件.yaml")
@click.option(
    "-o", "--out", "output", type=click.Path(path_type=Path), required=True, metavar="文件", help="输出的 PDF 文件。"
)
@click.option("--draft", is_flag=True, help="出草稿：每张加「草稿」水印，不要求签批。")
def render(file: Path, output: Path, draft: bool) -> None:
    """不用工作区，直接把一个通知文件排成 PDF。

    设置（落款、网址、监督电话）取自同一文件夹或上一层的 noticeboard.yaml；没有时写在通知文件里。"""
    _guarded(lambda: _report(pipeline.render_file(file, output, draft=draft), "生成完成"))


@main.command(name="tile")
@click.argument("pdf", type=click.Path(path_type=Path), metavar="海报.pdf")
@click.option(
    "--sheet", type=click.Choice(tile.SHEETS, case_sensitive=False), required=True, help="打印机的纸张：A4 或 A3。"
)
@click.option(
    "--overlap",
    type=float,
    default=tile.DEFAULT_OVERLAP_MM,
    show_default=True,
    metavar="毫米",
    help="相邻两张的重叠宽度（粘贴区），毫米。",
)
@click.option(
    "--scale", type=float, default=1.0, show_default=True, metavar="倍数", help="先放大或缩小：1 为原大，0.8 为八成。"
)
@click.option(
    "-o",
    "--out",
    "output",
    type=click.Path(path_type=Path),
    required=True,
    metavar="文件",
    help="输出的拼贴 PDF 文件。",
)
def tile_command(pdf: Path, sheet: str, overlap: float, scale: float, output: Path) -> None:
    """把大海报拆成 A4/A3 小张，用办公室打印机打印后拼贴；第一页是拼贴示意图。"""

    def action() -> int:
        tiled = commands.tile_file(pdf, output, sheet, overlap, scale)
        for problem in tiled.problems:
            if not problem.is_error:
                click.echo(str(problem))
        if tiled.qr_checked is False:
            click.echo(f"{pdf}: 提示: 没有安装 zxing-cpp，未检查二维码是否跨过拼缝。")
        for problem in tiled.problems:
            if problem.is_error:
                click.echo(str(problem))
        if not tiled.ok:
            return 2 if any(p.unreadable for p in tiled.problems) else 1
        grids = "；".join(f"{g.rows}行×{g.columns}列" for g in tiled.grids)
        click.echo(f"已生成 {output}：共{tiled.tile_count}张 {sheet.upper()}（{grids}），另有拼贴示意图。")
        return 0

    _guarded(action)


@main.command(name="register")
@workspace_option
@click.option("--year", type=int, default=None, metavar="年份", help="只看这一年：按目录项和类型统计，供年度报告使用。")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "xlsx", "csv"]),
    default="text",
    show_default=True,
    help="xlsx：把这一年（默认今年）的统计和发布登记另存为 out/register-年份.xlsx，供督查；"
    "csv：这一年的发布登记另存为 out/register-年份.csv（Excel 直接能打开）。",
)
def register_command(workspace: Path, year: int | None, output_format: str) -> None:
    """列出发布登记；加 --year 统计当年主动公开的条数。"""

    def action() -> int:
        if not (workspace / pipeline.SETTINGS_FILE).is_file():
            click.echo(f"{workspace}: 错误: 这里不是工作区（没有 noticeboard.yaml）。请用 -w 指明工作区目录。")
            return 2
        if output_format in commands.REGISTER_FORMATS:
            click.echo(f"已生成 {commands.export_register(workspace, year, output_format)}")
            return 0
        publications = pipeline.publications(workspace)
        if year is None:
            if not publications:
                click.echo("还没有发布登记：正式 build（不加 --draft）后才会登记。")
                return 0
            labels = {name: kind.label for name, kind in pipeline.registry().items()}
            rows = [["发布日期", "公示期至", "编号", "版次", "类型", "标题", "生成时间", "核验码", "SHA-256"]]
            for p in publications:
                rows.append(
                    [
                        chinese_date(p.date),
                        chinese_date(p.display_end) if p.display_end else "-",
                        p.id,
                        f"第{p.revision}版",
                        labels.get(p.kind, p.kind),
                        p.title,
                        local_time(p.built_at),
                        p.code or "-",
                        p.sha256[:12] + "…",
                    ]
                )
            for line in _aligned(rows):
                click.echo(line.rstrip())
            return 0
        figures = pipeline.year_figures(workspace, year)
        click.echo(f"{year}年主动公开：{figures.notices} 条（另有修订 {figures.revisions} 次）")
        click.echo("按公开目录：")
        for name, count in sorted(figures.by_catalogue.items(), key=lambda item: (-item[1], item[0])):
            click.echo(f"  {name or '未归类'}\t{count}")
        click.echo("按类型：")
        for name, count in sorted(figures.by_kind.items(), key=lambda item: (-item[1], item[0])):
            click.echo(f"  {name}\t{count}")
        return 0

    _guarded(action)


@main.command(name="verify")
@click.argument("code", metavar="核验码")
@workspace_option
def verify_command(code: str, workspace: Path) -> None:
    """核对纸质版二维码旁的核验码：是哪一份通知的第几版；没有任何正式公开版本带这个码时退出码为 1。"""

    def action() -> int:
        status, lines = verification.describe(pipeline.publications(workspace), code)
        for line in lines:
            click.echo(line)
        return status

    _guarded(action)


_STATUS_COLOURS = {
    "逾期未公开": "red",
    "缺结果公开": "red",
    "需复核": "yellow",
    "待公开": "cyan",
    "逾期公开": "magenta",
}


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(_display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell + " " * (w - _display_width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _plan_note(row) -> str:
    notes = ["还没有公开过"] if row.status == "逾期未公开" and row.due is None else []
    return "，".join(notes + row.notes()) or "-"


def _print_plan(outcome) -> None:
    plan_ = outcome.plan
    source = "发布登记" if plan_.source == "register" else "通知文件的日期（还没有发布登记）"
    click.echo(f"截至 {plan_.on.isoformat()} 的公开计划，依据{source}：")
    if not plan_.rows:
        click.echo("没有应公开的事项。")
    header = ["目录项", "期间", "应公开日", "发布日", "情况", "责任单位", "公开栏"]
    groups = plan_.grouped()
    boards = {b.board.id: b.board.name or b.board.id for b in outcome.boards}  # people know a board by its name
    cells = [
        [
            r.title,
            r.period_label,
            workdays.long_date(r.due) if r.due else "-",
            chinese_date(r.published) if r.published else "-",
            _plan_note(r),
            r.owner or "-",
            boards.get(r.board, r.board) if r.board else "-",
        ]
        for _, rows in groups
        for r in rows
    ]
    lines = iter(_aligned([header, *cells])) if cells else iter([])
    header_line = next(lines, "")
    for status, rows in groups:
        colour = _STATUS_COLOURS.get(status)
        click.echo("")
        click.echo(click.style(f"{status}（{len(rows)}）", fg=colour, bold=True))
        click.echo("  " + header_line)
        for _ in rows:
            line = next(lines)
            click.echo("  " + (click.style(line, fg=colour) if colour else line))
    for line in _timeline_lines(plan_.timelines, plan_.on):
        click.echo(line)
    for board in outcome.boards:
        click.echo("")
        click.echo(
            f"公开栏「{board.board.name or board.board.id}」：贴 {len(board.placed)} 张"
            + (f"，放不下 {len(board.overflow)} 张" if board.overflow else "")
        )


def _timeline_lines(timelines, on: dt.date) -> list[str]:
    """Each event's timeline, counted back from its day, in date order."""
    lines = []
    for line in timelines:
        event = line.event
        name = "选举日" if event.type == timeline.ELECTION else "事件日期"
        today = "这一天是" + timeline.before(event, on)
        lines += ["", f"「{event.title or event.id}」时间表：{name} {workdays.long_date(event.date)}，{today}。"]
        table = [["日期", "倒数", "事项", "情况", "说明", "依据"]]
        table += [
            [
                workdays.long_date(s.due),
                timeline.before(event, s.due),
                s.what,
                s.status + ("（!）" if s.alert else ""),
                s.note or "-",
                s.basis,
            ]
            for s in line.steps
        ]
        lines += ["  " + text for text in _aligned(table)]
        if line.alerts:
            lines.append(f"  有 {len(line.alerts)} 步不合法定时限，请看上面标（!）的行。")
    return lines


def _print_years(lines, year: int) -> None:
    click.echo(f"{year}年公开计划完成情况：")
    table = [["目录项", "已公开", "应公开", "按时率", "逾期公开"]]
    for line in lines:
        rate = "-" if line.on_time_rate is None else f"{line.on_time_rate:.0%}"
        table.append([line.title, str(line.published), str(line.due), rate, str(line.late)])
    for text in _aligned(table):
        click.echo("  " + text)


@main.command(name="plan")
@workspace_option
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="日期",
    help="按这一天计算（YYYY-MM-DD），默认今天。",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "xlsx"]),
    default="text",
    show_default=True,
    help="text 给人看；json 给脚本用；xlsx 另存当年公开目录及完成情况（供督查），写到 out/plan/catalogue-年份.xlsx。",
)
@click.option(
    "--year",
    type=int,
    default=None,
    metavar="年份",
    help="只看这一年的各期：按目录项统计已公开、应公开、按时率、逾期。",
)
def plan_command(workspace: Path, on, output_format: str, year: int | None) -> None:
    """公开计划：哪些该公开、快到期、已逾期、该复核，每块公开栏怎么贴，以及选举等事件前后的时间表。有逾期时退出码为 1。"""  # noqa: E501 - one paragraph of help: a break would print as a space

    def action() -> int:
        day = on.date() if on else dt.date.today()
        xlsx = output_format == "xlsx"
        outcome = commands.make_plan(workspace, day, year=year, xlsx_file=xlsx)
        if xlsx:
            for problem in outcome.problems:
                click.echo(str(problem))
            for path in outcome.written:
                click.echo(f"已生成 {path}")
            return outcome.exit_code
        if output_format == "json":
            click.echo(
                json.dumps(
                    {
                        "on": day.isoformat(),
                        "source": outcome.plan.source,
                        "exit_code": outcome.exit_code,
                        "rows": [r.as_json() for r in outcome.plan.rows],
                        "boards": [
                            {
                                "id": b.board.id,
                                "name": b.board.name,
                                "width_mm": b.board.width_mm,
                                "height_mm": b.board.height_mm,
                                "placed": [p.__dict__ for p in b.placed],
                                "overflow": [p.__dict__ for p in b.overflow],
                            }
                            for b in outcome.boards
                        ],
                        "problems": [str(p) for p in outcome.problems],
                        "year": [line.as_json() for line in outcome.years] if outcome.years is not None else None,
                        "timelines": [t.as_json() for t in outcome.plan.timelines],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return outcome.exit_code
        for problem in outcome.problems:
            click.echo(str(problem))
        if outcome.years is not None:
            _print_years(outcome.years, year if year is not None else day.year)
        else:
            _print_plan(outcome)
        for path in outcome.written:
            click.echo(f"已生成 {path}")
        if outcome.plan.alerts:
            click.echo(f"有 {len(outcome.plan.alerts)} 项逾期或需复核，请尽快处理。")
        return outcome.exit_code

    _guarded(action)


class ChineseSubGroup(ChineseHelp, click.Group):
    command_class = ChineseCommand


def _workbench(action) -> int:
    """Runs a workbench step, saying in words what Django or the database would say in a traceback."""
    from django.db import Error as DatabaseError

    from .web.settings import WorkbenchError

    try:
        return action()
    except WorkbenchError as exc:
        click.echo(str(exc))
        return exc.status
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        click.echo(
            f"noticeboard: 错误: 数据库打不开或连不上（{reason}）。"
            "请检查数据库地址、用户和密码（PGPASSWORD 或 .pgpass）。"
        )
        return 1


def _read_password() -> str | None:
    """Twice, hidden, on a terminal; two lines of standard input otherwise (a script, a pipe). None:
    the two differ."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = click.prompt("密码", hide_input=True)
        second = click.prompt("再输入一次密码", hide_input=True)
    else:
        stream = sys.stdin
        first = stream.readline().rstrip("\r\n") if stream else ""
        second = stream.readline().rstrip("\r\n") if stream else ""
    return first if first == second else None


@main.group(name="user", cls=ChineseSubGroup)
def user_group() -> None:
    """工作台的账号：添加、列出、删除。角色有信息员、管理员和 noticeboard.yaml 里 reviews 的各审核角色。"""


@user_group.command(name="add")
@click.argument("name", metavar="名字")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    metavar="角色",
    help="账号的角色，可以写多次，或用逗号、顿号隔开：--role 初审,审核。",
)
@workspace_option
def user_add(name: str, roles: tuple[str, ...], workspace: Path) -> None:
    """添加账号（名字已有时，重新设置它的角色和密码）。密码要输入两遍，不写在命令行上。"""

    def action() -> int:
        def step() -> int:
            from .web import accounts

            accounts.check_roles(workspace, accounts.split_roles(roles))  # before the password is typed in vain
            password = _read_password()
            if password is None:
                click.echo("noticeboard: 错误: 两次输入的密码不一样，账号没有改动。")
                return 1
            created = accounts.add_user(workspace, name, list(roles), password)
            shown = "、".join(accounts.split_roles(roles))
            click.echo(f"{'已添加' if created else '已更新'}账号「{name}」，角色：{shown}。")
            return 0

        return _workbench(step)

    _guarded(action)


@user_group.command(name="list")
@workspace_option
def user_list(workspace: Path) -> None:
    """列出工作台的账号和角色。"""

    def action() -> int:
        def step() -> int:
            from .web import accounts

            found = accounts.list_users(workspace)
            if not found:
                click.echo(f"还没有账号。添加一个：noticeboard user add 名字 --role 管理员 -w {workspace}")
                return 0
            rows = [["名字", "角色", "上次登录"]]
            rows += [[a.name, "、".join(a.roles) or "-", a.last_login or "还没登录过"] for a in found]
            for line in _aligned(rows):
                click.echo(line)
            return 0

        return _workbench(step)

    _guarded(action)


@user_group.command(name="remove")
@click.argument("name", metavar="名字")
@workspace_option
def user_remove(name: str, workspace: Path) -> None:
    """删除账号。它做过的签批和审计记录都保留。"""

    def action() -> int:
        def step() -> int:
            from .web import accounts

            accounts.remove_user(workspace, name)
            click.echo(f"已删除账号「{name}」。")
            return 0

        return _workbench(step)

    _guarded(action)


@main.command(name="serve")
@workspace_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="地址",
    help="在哪个地址上开放。默认只有本机能打开；写 0.0.0.0 让同一网络的其他电脑也能打开（要先有账号）。",
)
@click.option("--port", type=int, default=8000, show_default=True, metavar="端口", help="端口号（1～65535）。")
@click.option("--no-browser", is_flag=True, help="启动后不自动打开浏览器（作为后台服务运行时用）。")
def serve_command(workspace: Path, host: str, port: int, no_browser: bool) -> None:
    """工作台：在浏览器里新建、修改、上传、预览、签批和正式生成公示。"""

    def action() -> int:
        def step() -> int:
            from .web import server

            if not 1 <= port <= 65535:
                click.echo(f"noticeboard: 错误: 端口要在 1 到 65535 之间，现在是 {port}。")
                return 2
            hint = server.prepare(workspace, host)
            try:
                running = server.listen(host, port)
            except OSError as exc:
                click.echo(
                    f"noticeboard: 错误: 不能在 {host} 的 {port} 端口上启动（{os_reason(exc)}）。"
                    f"可能已经开着一个工作台或别的程序占用了这个端口，请换一个：--port {port + 1}"
                )
                return 1
            here, others = server.addresses(host, port)
            # someone who started it by hand is at this computer: take them there; a service has no one
            browse = not no_browser and sys.stdout.isatty()

            def announce() -> None:
                click.echo(f"工作台已启动：{here} （关掉这个窗口或按 Ctrl+C 就停止）")
                if others:
                    click.echo(f"同一网络的其他电脑用 {others} 打开。")
                if hint:
                    click.echo(hint)
                if browse:
                    server.open_browser(here)

            server.run(running, announce)
            click.echo("工作台已停止。")
            return 0

        return _workbench(step)

    _guarded(action)


if __name__ == "__main__":  # pragma: no cover
    main()
