"""guide: the service guide with its flowchart (SPEC §2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import decode_qr, findable, make_workspace, pdf_pages, pdf_text, render_page, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticeboard.kinds.guide import flowchart
from noticeboard.layout.blocks import Ctx
from noticeboard.layout.flowchart import DECISION, END, STEP, Arrangement, Flowchart, FlowEdge, FlowNode
from noticeboard.load.workspace import load_workspace
from noticeboard.resources import samples_dir

SAMPLES = samples_dir() / "town" / "notices"
SIGNED = """reviews:
  初审: {by: 王小红, date: 2026-02-26}
  审核: {by: 李建国, date: 2026-02-27}
  保密审查: {by: 赵敏, date: 2026-02-27}
"""


@pytest.fixture(scope="module")
def guides(tmp_path_factory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("guides"), {})
    (root / "notices").mkdir()
    for name in ("guide-dibao.yaml", "guide-insurance.yaml"):  # without the town's catalogue
        text = (SAMPLES / name).read_text(encoding="utf-8").replace("catalogue: guides\n", "")
        (root / "notices" / name).write_text(text, encoding="utf-8")
    result = run("build", "-w", root)
    assert "生成完成：0 个错误，0 个警告" in result.output, result.output
    return root


def _ctx(root: Path, body: float = 11.0) -> Ctx:
    loaded = load_workspace(root)
    return Ctx(loaded.fonts, loaded.designs["guide"], body)


def _content(root: Path, notice_id: str):
    loaded = load_workspace(root)
    return next(n for n in loaded.workspace.notices if n.id == notice_id).content


def assert_sound(chart: Flowchart, arrangement: Arrangement, ctx: Ctx) -> None:
    """No two boxes overlap, every arrow joins its two boxes, all text sits inside its box."""
    boxes = {box.node: box for box in arrangement.boxes}
    assert len(boxes) == len(arrangement.boxes)  # one box a node
    for i, a in enumerate(arrangement.boxes):
        for b in arrangement.boxes[i + 1 :]:
            assert not a.overlaps(b), (chart.nodes[a.node].text, chart.nodes[b.node].text)
    for arrow in arrangement.arrows:
        if arrow.source is not None:
            assert boxes[arrow.source].touches(arrow.points[0])
        if arrow.target is not None:
            assert boxes[arrow.target].touches(arrow.points[-1])
        for (x1, y1), (x2, y2) in zip(arrow.points, arrow.points[1:]):
            assert x1 == pytest.approx(x2) or y1 == pytest.approx(y2)  # straight runs only
    for box in arrangement.boxes:
        for text, size, bold, left, baseline in box.lines:
            assert box.x - 0.01 <= left and left + ctx.stack.width(text, size, bold) <= box.x + box.w + 0.01, text
            assert box.y < baseline - size * 0.7 and baseline <= box.y + box.h, text
    shown = [line[0] for box in arrangement.boxes for line in box.lines]
    for node in boxes:
        assert "".join(line[0] for line in boxes[node].lines).startswith(chart.nodes[node].text[:4])
    assert shown


@pytest.mark.parametrize("notice_id", ["guide-dibao", "guide-insurance"])
@pytest.mark.parametrize("width, columns", [(700.0, None), (700.0, 1), (480.0, None), (480.0, 2)])
def test_sample_flowcharts_are_sound(guides: Path, notice_id: str, width: float, columns):
    chart = flowchart(_content(guides, notice_id))
    chart.columns = columns
    ctx = _ctx(guides)
    assert_sound(chart, chart.arrange(ctx, width), ctx)


def test_long_flow_wraps_into_two_columns_joined_through_the_gutter(guides: Path):
    chart = flowchart(_content(guides, "guide-dibao"))
    ctx = _ctx(guides)
    arrangement = chart.arrange(ctx, 700.0)
    lefts = sorted({round(box.x) for box in arrangement.boxes if chart.nodes[box.node].kind != END})
    assert len(lefts) == 2
    connector = next(a for a in arrangement.arrows if len(a.points) == 6)
    assert connector.points[0][1] > connector.points[-1][1]  # goes up into the top of the second column


def test_branch_is_a_diamond_with_yes_down_and_no_to_an_end(guides: Path):
    chart = flowchart(_content(guides, "guide-dibao"))
    decisions = [i for i, n in enumerate(chart.nodes) if n.kind == DECISION]
    assert len(decisions) == 2
    for decision in decisions:
        labels = {e.label: chart.nodes[e.target].kind for e in chart.edges if e.source == decision}
        assert labels == {"是": STEP, "否": END}


def test_every_text_of_the_guide_is_on_the_sheet(guides: Path):
    pdf = guides / "out" / "print" / "guide-dibao.pdf"
    text = pdf_text(pdf)
    for needle in (
        "农村最低生活保障申请办事指南",
        "一、申请条件",
        "持有本镇农业户口，并在本镇实际居住。",
        "二、申请材料",
        "低保申请书（本人签字）",
        "原件及复印件各1份",
        "三、办理流程",
        "提交申请材料",
        "材料齐全、符合受理条件",
        "一次性告知需补正的材料，退回申请人补正",
        "入户调查和家庭经济状况核对",
        "10个工作日",
        "是",
        "否",
        "审核确认并发放低保金",
        "四、办理须知",
        "办结时限",
        "30个工作日",
        "办理地点",
        "0537-1234521",
        "不收费",
        "《社会救助暂行办法》第九条至第十一条",
    ):
        assert findable(needle, text), needle
    assert len(pdf_pages(pdf)) == 1
    assert decode_qr(render_page(pdf, 0, dpi=150)) == ["https://gk.example.gov.cn/test/guide-dibao/"]


def test_online_copy_is_a_list_of_steps(guides: Path):
    html = (guides / "out" / "site" / "guide-dibao" / "index.html").read_text(encoding="utf-8")
    assert "<li>提交申请材料（申请人到镇便民服务中心社会救助窗口 · 当场办结）</li>" in html
    assert "<li>判断材料齐全、符合受理条件——是：转第3步；否：一次性告知需补正的材料，退回申请人补正</li>" in html
    assert html.index("办结时限") < html.index("办理地点") < html.index("办公时间")  # one pair a row online
    assert "<svg" not in html and "<img" not in html.split("</header>")[-1].split("<footer")[0]


def _guide(steps: str, **keys: str) -> str:
    base = {
        "id": "t-guide",
        "kind": "guide",
        "title": "测试办事指南",
        "date": "2026-03-02",
        "time_limit": "5个工作日",
        "place": "便民服务中心",
        "phone": "0537-1234521",
        "materials": "[居民身份证]",
    }
    base.update(keys)
    return "".join(f"{k}: {v}\n" for k, v in base.items()) + "steps:\n" + steps + SIGNED


def _check(tmp_path: Path, text: str) -> tuple[int, list[str]]:
    make_workspace(tmp_path, {"notices/t-guide.yaml": text})
    result = run("check", "-w", tmp_path)
    return result.exit_code, [line for line in result.output.splitlines() if ": 错误:" in line or ": 警告:" in line]


def test_a_step_without_text(tmp_path: Path):
    code, problems = _check(tmp_path, _guide("  - {step: 窗口受理}\n  - {who: 民政办, days: 2}\n"))
    assert code == 1
    assert problems == ["notices/t-guide.yaml:11: 错误: 办理流程第2步没有写办什么：请写 step: 例如「窗口受理」。"]


def test_a_branch_to_a_step_that_does_not_exist(tmp_path: Path):
    code, problems = _check(
        tmp_path,
        _guide(
            "  - {step: 窗口受理, id: accept}\n  - {if: 材料齐全, then: review, else: 退回补正}\n  - {step: 审核}\n"
        ),
    )
    assert code == 1
    assert problems == [
        "notices/t-guide.yaml:11: 错误: 判断「材料齐全」的「then」要去「review」，"
        "但没有哪一步的 id 是它。现有的 id：accept。"
    ]


def test_a_branch_back_to_an_earlier_step_is_a_cycle(tmp_path: Path):
    code, problems = _check(
        tmp_path, _guide("  - {step: 提交材料, id: apply}\n  - {if: 材料齐全, else: apply}\n  - {step: 审核}\n")
    )
    assert code == 1
    assert problems == [
        "notices/t-guide.yaml:11: 错误: 判断「材料齐全」的「else」回到了前面的「提交材料」，流程成了一个圈，"
        "海报上画不清楚。请把回头的那条路写成一句话结束，例如 else: 退回补正后重新提交。"
    ]


def test_working_days_beyond_the_time_limit(tmp_path: Path):
    code, problems = _check(
        tmp_path,
        _guide(
            "  - {step: 受理, days: 1}\n  - {if: 需要勘查, then: next, else: approve}\n"
            "  - {step: 现场勘查, days: 3}\n  - {step: 审批, days: 2, id: approve}\n"
        ),
    )
    assert code == 1
    assert problems == [
        "notices/t-guide.yaml:9: 错误: 办理流程各步骤合计要 6 个工作日，超过了办结时限「5个工作日」（5 个工作日）。"
        "请核对各步的 days 或办结时限。"
    ]


def test_a_rejoining_branch_counts_the_slower_path_only(tmp_path: Path):
    code, problems = _check(
        tmp_path,
        _guide(
            "  - {step: 受理, days: 1}\n  - {if: 需要勘查, then: next, else: approve}\n"
            "  - {step: 现场勘查, days: 2}\n  - {step: 审批, days: 2, id: approve}\n"
        ),
    )
    assert (code, problems) == (0, [])


def test_a_branch_without_else(tmp_path: Path):
    code, problems = _check(tmp_path, _guide("  - {step: 受理}\n  - {if: 材料齐全}\n  - {step: 审批}\n"))
    assert code == 1
    assert problems == [
        "notices/t-guide.yaml:11: 错误: 办理流程第2项的判断缺少「else」：不符合条件时怎么办（如「退回补正」）？"
    ]


def test_missing_place_and_phone_are_warned(tmp_path: Path):
    text = _guide("  - {step: 受理}\n").replace("place: 便民服务中心\n", "").replace("phone: 0537-1234521\n", "")
    code, problems = _check(tmp_path, text)
    assert code == 0
    assert problems == [
        "notices/t-guide.yaml:1: 警告: 没有写「place」（办理地点），办事群众最想知道这一项。",
        "notices/t-guide.yaml:1: 警告: 没有写「phone」（咨询电话），办事群众最想知道这一项。",
    ]


TEXT = st.text(alphabet="申请材料受理审核审批公示发放办结窗口村委会民政办镇政府（）、，", min_size=1, max_size=40)


@st.composite
def flows(draw):
    count = draw(st.integers(1, 12))
    nodes, edges = [], []
    for _ in range(count):
        nodes.append(FlowNode(STEP, draw(TEXT), draw(st.sampled_from(["", "民政办 · 2个工作日"]))))
    main = list(range(count))
    for position in range(count - 1):
        edges.append(FlowEdge(position, position + 1))
    # turn some steps into decisions whose other exit ends or skips ahead
    for position in range(count - 1):
        if draw(st.booleans()) and draw(st.booleans()):
            nodes[position] = FlowNode(DECISION, draw(TEXT))
            edges = [e for e in edges if e.source != position] + [FlowEdge(position, position + 1, "是")]
            skip = draw(st.integers(position + 2, count)) if position + 2 < count else count
            if skip < count and draw(st.booleans()):
                edges.append(FlowEdge(position, skip, "否"))
            else:
                nodes.append(FlowNode(END, draw(TEXT)))
                edges.append(FlowEdge(position, len(nodes) - 1, "否"))
    return Flowchart(nodes, edges, main=main)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chart=flows(), width=st.sampled_from([300.0, 480.0, 760.0]))
def test_any_flow_is_laid_out_soundly(guides: Path, chart: Flowchart, width: float):
    ctx = _ctx(guides)
    assert_sound(chart, chart.arrange(ctx, width), ctx)
