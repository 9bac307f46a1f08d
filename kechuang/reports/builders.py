"""The reports, written from the data: yearly monitoring, final evaluation, enterprise profile,
department task report. Each builder returns the .docx bytes and the notes the report carries.

Builders only read. What is missing is said in the report (a section with nothing to show says
so; a source that is not installed is named in the data-quality notes), except when a report
would have nothing at all to say: then ``check_*`` refuses it before anything is written.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.core.forecast import Status
from kechuang.core.problems import Problem, Rejected
from kechuang.indicators.presenters import rounded, target_display
from kechuang.indicators.selectors import IndicatorResult, PlanResult
from kechuang.plans.models import Plan, TaskNode
from kechuang.reports import charts, selectors
from kechuang.reports.officialdoc import OfficialDocument, chinese_date

Progress = Callable[[int, str], None]
log = logging.getLogger(__name__)

ANNEX_TITLE = "指标数据来源与审核情况表"
STATUS_ORDER = (Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.LAGGING, Status.NO_DATA)
SEVERITY = {"high": "重要", "medium": "一般", "low": "提示"}


def _quiet(percent: int, step: str) -> None:
    """The progress callback when nobody is watching."""


@dataclass
class Built:
    content: bytes
    title: str
    notes: list[str] = field(default_factory=list)


# --- formatting ---------------------------------------------------------------------------------


def number(value: Decimal | int | None, decimals: int = 2) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.{decimals}f}"


def count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def wan(yuan: Decimal | None) -> str:
    """Yuan as 万元 with two decimals, as bureau tables show money."""
    return "—" if yuan is None else f"{Decimal(yuan) / 10000:,.2f}"


def plain(value: Decimal) -> str:
    """A stored figure without trailing zeros (19130000000.000000 → 19,130,000,000)."""
    v = value.normalize()
    places = max(0, -v.as_tuple().exponent)
    return f"{v:,.{places}f}"


def _value_text(r: IndicatorResult, value: Decimal | None) -> str:
    ind = r.indicator
    if value is None:
        return "暂无审核通过的数据"
    return f"{rounded(value, ind.decimals)}{ind.unit}"


def _target_text(r: IndicatorResult) -> str:
    ind = r.indicator
    if ind.target_kind == "value":
        return f"{target_display(ind)}{ind.unit}（{ind.target_year}年）"
    return f"{target_display(ind)}（{ind.target_year}年）"


def _reasons(r: IndicatorResult) -> str:
    return "；".join(x.message_zh for x in r.assessment.reasons)


def _status_counts(results: Iterable[IndicatorResult]) -> str:
    counts = Counter(r.assessment.status for r in results)
    parts = [f"{s.label_zh}{counts[s]}项" for s in STATUS_ORDER if counts[s]]
    return "、".join(parts)


# --- shared sections ----------------------------------------------------------------------------


class Writer:
    """One report being written: the document, its notes, and progress reporting."""

    def __init__(self, title: str, *, subject: str, author: str, progress: Progress) -> None:
        self.doc = OfficialDocument(title=title, subject=subject, author=author)
        self.title = title.replace("\n", "")
        self.notes: list[str] = []
        self.progress = progress
        self._font_note = False

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def chart(self, r: IndicatorResult, years: range, *, caption: str) -> None:
        """The series over ``years`` (the report's years; later ones are not shown)."""
        ind = r.indicator
        shown_until = years.stop
        baseline = (
            (ind.baseline_year, ind.baseline_value)
            if ind.baseline_year is not None and ind.baseline_value is not None
            else None
        )
        # The axis runs on to the target year, so the target's point shows in a yearly report.
        years = range(years.start, max(years.stop, ind.target_year + 1))
        values = [selectors.value_in(r, y) if y < shown_until else None for y in years]
        chart = charts.indicator_chart(
            title=ind.name,
            unit=ind.unit,
            decimals=ind.decimals,
            years=list(years),
            values=[v.value if v else None for v in values],
            target=ind.target_value if ind.target_kind == "value" else None,
            target_year=ind.target_year,
            baseline=baseline,
        )
        if not chart.has_cjk_font and not self._font_note:
            self._font_note = True
            self.note(
                "本机未安装中文字体，图表中的文字以英文显示（安装 fonts-noto-cjk 等中文字体后"
                "重新生成即可）。"
            )
        self.doc.image(chart.png, caption=caption)

    def build(self) -> Built:
        return Built(self.doc.save(), self.title, self.notes)


def _plan_metadata(w: Writer, plan: Plan, result: PlanResult) -> None:
    doc = w.doc
    doc.h1("规划基本情况")
    issued = f"于{chinese_date(plan.issued_on)}" if plan.issued_on else ""
    number_part = f"（{plan.document_number}）" if plan.document_number else ""
    key = [r for r in result.indicators if r.indicator.is_key]
    tasks = Counter(plan.tasks.values_list("level", flat=True))
    doc.para(
        f"《{plan.title}》{number_part}由{plan.issuer or '规划编制单位'}{issued}印发，"
        f"规划期{plan.period_start}—{plan.period_end}年，基期年为{plan.baseline_year}年，"
        f"规划区域为{plan.region.name}。规划提出关键指标{len(key)}项，部署工程"
        f"{tasks.get(TaskNode.Level.PROJECT, 0)}项、行动{tasks.get(TaskNode.Level.ACTION, 0)}项、"
        f"举措{tasks.get(TaskNode.Level.MEASURE, 0)}项。"
    )
    if plan.summary:
        doc.para(plan.summary)


def _indicator_table(w: Writer, results: list[IndicatorResult], year: int, *, caption: str) -> None:
    rows = []
    for i, r in enumerate(results, 1):
        v = selectors.value_in(r, year)
        rows.append(
            [
                r.indicator.number or i,
                r.indicator.name,
                r.indicator.unit,
                rounded(v.value, r.indicator.decimals) if v and v.value is not None else None,
                target_display(r.indicator),
                r.indicator.target_year,
                r.assessment.status.label_zh,
            ]
        )
    w.doc.table(
        ["序号", "指标", "单位", f"{year}年", "目标值", "目标年", "状态"],
        rows,
        caption=caption,
        widths_mm=(12, 62, 16, 22, 22, 16, 22),
    )


def _indicator_details(
    w: Writer, results: list[IndicatorResult], year: int, years: range, *, start: int, span: int
) -> None:
    for i, r in enumerate(results):
        ind = r.indicator
        w.progress(start + span * i // max(len(results), 1), f"绘制指标图表：{ind.name}")
        w.doc.h3(ind.name)
        v = selectors.value_in(r, year)
        latest = r.latest
        text = f"{year}年{_value_text(r, v.value if v else None)}"
        if (v is None or v.value is None) and latest is not None and latest.year < year:
            text += f"（最近一期为{latest.year}年{_value_text(r, latest.value)}）"
        if ind.baseline_value is not None:
            text += f"，基期（{ind.baseline_year}年）{rounded(ind.baseline_value, ind.decimals)}"
            text += ind.unit
        text += f"；规划目标{_target_text(r)}。监测状态：{r.assessment.status.label_zh}。"
        reasons = _reasons(r)
        if reasons:
            text += f"判断依据：{reasons}。"
        if v is not None and v.is_demo:
            text += "（含演示数据）"
        w.doc.para(text)
        w.chart(r, years, caption=f"{ind.name}（{ind.unit}）")


def _quality_notes(w: Writer, result: PlanResult, years: range) -> None:
    """Warnings of the indicator engine, broken validation rules, gaps and demo figures."""
    doc = w.doc
    doc.h1("数据质量说明")
    lines: list[str] = []
    for r in result.indicators:
        for warning in r.warnings:
            if warning.year is not None and warning.year not in years:
                continue
            lines.append(
                f"{r.indicator.name}：{warning.message_zh}（{SEVERITY[warning.severity]}）"
            )
    for year, violation in result.violations:
        if year in years:
            lines.append(f"{year}年校验规则：{violation.message_zh}")
    missing = selectors.without_value(result, range(years.stop - 1, years.stop))
    if missing:
        names = "、".join(r.indicator.name for r in missing)
        lines.append(f"{years.stop - 1}年有{len(missing)}项关键指标没有审核通过的数值：{names}。")
    if result.has_demo:
        lines.append("部分数值为演示数据（合成），仅供演示，不得作为正式统计数据使用。")
    lines.extend(w.notes)
    if not lines:
        doc.para("本报告所用数据未发现需要说明的问题。")
        return
    doc.para("以下情况请在使用本报告时注意：")
    doc.bullets(lines)


def _tasks(w: Writer, plan: Plan, today: dt.date, *, final: bool) -> None:
    doc = w.doc
    doc.h1("重点任务完成情况" if final else "重点任务推进情况")
    board, overdue = selectors.task_board(plan, today=today)
    if board.total == 0:
        doc.para("规划尚未载入任务分解，暂无任务数据。")
        return
    t = board.totals
    doc.para(
        f"规划分解任务{board.total}项。截至{chinese_date(today)}，完成{t['done']}项、正常推进"
        f"{t['on_schedule']}项、临期{t['due_soon']}项、逾期{t['overdue']}项、尚未报告进展"
        f"{t['no_report']}项。"
    )
    doc.h2("各责任单位任务完成情况")
    doc.table(
        ["责任单位", "牵头任务", "完成", "正常", "临期", "逾期", "未报告", "配合任务"],
        (
            [
                d.department.name,
                d.led,
                d.done,
                d.on_schedule,
                d.due_soon,
                d.overdue,
                d.no_report,
                d.co,
            ]
            for d in board.departments
        ),
        caption="各责任单位任务完成情况",
        widths_mm=(56, 16, 14, 14, 14, 14, 14, 14),
    )
    doc.h2("逾期事项")
    if not overdue:
        doc.para("截至本报告生成之日，没有逾期未完成的里程碑。")
        return
    doc.para(f"逾期未完成的里程碑共{len(overdue)}个，按逾期时间排列如下：")
    doc.table(
        ["任务", "牵头单位", "里程碑", "计划完成", "逾期天数", "督办"],
        (
            [
                f"{r.task.code} {r.task.title}",
                r.task.lead_department.name if r.task.lead_department else None,
                r.milestone.title,
                r.milestone.due_on.isoformat(),
                r.days,
                "督办中" if r.open_supervision else "",
            ]
            for r in overdue
        ),
        caption="逾期事项",
        widths_mm=(50, 30, 40, 20, 16, 14),
    )


def _cultivation(w: Writer, years: range) -> None:
    doc = w.doc
    doc.h1("企业培育情况")
    figures = selectors.cultivation_figures(years)
    if figures is None:
        doc.para("暂无数据：高企培育模块未启用。")
        w.note("高企培育模块未启用，“企业培育情况”一节从略。")
        return
    rows = figures["funnel"]
    if not any(r.discovered or r.served or r.put_forward or r.certified for r in rows):
        doc.para("暂无数据：规划期内尚无入库、服务、推荐或认定记录。")
        return
    total = {
        k: sum(getattr(r, k) for r in rows)
        for k in ("discovered", "served", "put_forward", "certified")
    }
    doc.para(
        f"按照“发现一批、服务一批、推出一批、认定一批”的思路，{years.start}—{years.stop - 1}年"
        f"累计新入库企业{total['discovered']}家次，开展服务{total['served']}家次，推荐申报"
        f"{total['put_forward']}家次，新认定高新技术企业{total['certified']}家。"
    )
    doc.table(
        ["年度", "发现（入库）", "服务", "推出（推荐）", "认定"],
        ([r.year, r.discovered, r.served, r.put_forward, r.certified] for r in rows),
        caption="高新技术企业培育情况",
    )
    from kechuang.cultivation.models import Stage

    stages = figures["stages"]
    doc.para(
        "当前培育库："
        + "、".join(f"{label}{stages.get(value, 0)}家" for value, label in Stage.choices)
        + "。"
    )


def _projects(w: Writer, years: range) -> None:
    doc = w.doc
    doc.h1("科技项目管理情况")
    figures = selectors.project_figures(years)
    if figures is None:
        doc.para("暂无数据：项目申报与项目管理模块未启用。")
        w.note("项目申报与项目管理模块未启用，“科技项目管理情况”一节从略。")
        return
    rows = figures.years
    if not any(r.calls or r.applications or r.projects or r.disbursed for r in rows):
        doc.para("暂无数据：规划期内尚无申报指南、申报或立项记录。")
        return
    doc.table(
        [
            "年度",
            "申报指南",
            "申报项目",
            "立项（申报）",
            "新立项目",
            "批准资金（万元）",
            "拨付（万元）",
        ],
        (
            [
                r.year,
                r.calls,
                r.applications,
                r.approved_applications,
                r.projects,
                wan(r.approved_amount),
                wan(r.disbursed),
            ]
            for r in rows
        ),
        caption="科技项目申报与立项情况",
    )
    if figures.states and any(n for _, n in figures.states):
        doc.para(
            "目前项目状态：" + "、".join(f"{label}{n}项" for label, n in figures.states if n) + "。"
        )


def _vouchers(w: Writer, years: range) -> None:
    """创新券"""
    doc = w.doc
    doc.h2("创新券")
    fn = selectors.optional("vouchers", "selectors", "yearly_figures")
    if fn is None:
        doc.para("暂无数据：创新券模块未提供年度统计。")
        w.note("创新券模块未提供年度统计（vouchers.selectors.yearly_figures），“创新券”一节从略。")
        return
    rows = [r for r in fn() if r["year"] in years]
    if not rows:
        doc.para("暂无数据：规划期内尚未发放创新券。")
        return
    doc.table(
        [
            "年度",
            "发放（张）",
            "发放额（万元）",
            "兑付申请（笔）",
            "申请额（万元）",
            "已结算（万元）",
            "过期（万元）",
        ],
        (
            [
                r["year"],
                r["issued_count"],
                wan(r["issued_amount"]),
                r["redeemed_count"],
                wan(r["redeemed_amount"]),
                wan(r["settled_amount"]),
                wan(r["expired_amount"]),
            ]
            for r in rows
        ),
        caption="创新券发放与兑付情况",
    )


def _policies(w: Writer) -> None:
    """惠企政策"""
    doc = w.doc
    doc.h2("惠企政策")
    fn = selectors.optional("policies", "selectors", "match_figures")
    if fn is None:
        doc.para("暂无数据：政策服务模块未提供匹配统计。")
        w.note(
            "政策服务模块未提供匹配统计（policies.selectors.match_figures），“惠企政策”一节从略。"
        )
        return
    figures = [f for f in fn().values() if f.get("state") != "draft"]
    if not figures:
        doc.para("暂无数据：尚未发布政策。")
        return
    figures.sort(key=lambda f: (-f["granted"], -f["eligible"], f["title"]))
    doc.para(
        f"已发布政策{len(figures)}项，累计符合条件企业{sum(f['eligible'] for f in figures)}家次，"
        f"兑现{sum(f['granted'] for f in figures)}家次、金额"
        f"{wan(sum((f['granted_amount'] for f in figures), Decimal(0)))}万元（截至报告生成日）。"
    )
    doc.table(
        ["政策", "符合条件", "可能符合", "申请", "兑现", "兑现金额（万元）"],
        (
            [
                f["title"],
                f["eligible"],
                f["possibly"],
                f["applied"],
                f["granted"],
                wan(f["granted_amount"]),
            ]
            for f in figures[:20]
        ),
        caption="政策匹配与兑现情况（前20项）",
        widths_mm=(66, 18, 18, 16, 16, 22),
    )


def _talent(w: Writer, years: range) -> None:
    """科技人才"""
    doc = w.doc
    doc.h2("科技人才")
    fn = selectors.optional("talent", "selectors", "talent_figures")
    if fn is None:
        doc.para("暂无数据：人才模块未提供统计。")
        w.note("人才模块未提供统计（talent.selectors.talent_figures），“科技人才”一节从略。")
        return
    figures = fn()
    talents = [r for r in figures["talents"] if r["year"] in years]
    nominations = [r for r in figures["applications"] if r["year"] in years]
    if not talents and not nominations:
        doc.para("暂无数据：规划期内尚无人才推荐或入选记录。")
        return
    doc.para(
        f"{years.start}—{years.stop - 1}年各类人才项目入选{sum(r['talents'] for r in talents)}"
        f"人次，目前在支持期内{figures['active']}人。"
    )
    doc.table(
        ["年度", "人才项目", "推荐申报", "入选"],
        _talent_rows(talents, nominations),
        caption="人才项目推荐与入选情况",
        widths_mm=(16, 90, 24, 24),
    )


def _talent_rows(talents: list[dict], nominations: list[dict]) -> list[list]:
    rows: dict[tuple[int, str], list] = {}
    for r in nominations:
        rows[(r["year"], r["program"])] = [r["year"], r["program_name"], r["applications"], 0]
    for r in talents:
        row = rows.setdefault((r["year"], r["program"]), [r["year"], r["program_name"], None, 0])
        row[3] += r["talents"]
    return [rows[k] for k in sorted(rows)]


def _carriers(w: Writer, years: range) -> None:
    """创新载体"""
    doc = w.doc
    doc.h2("创新载体")
    fn = selectors.optional("carriers", "selectors", "carrier_figures")
    if fn is None:
        doc.para("暂无数据：创新载体模块未提供统计。")
        w.note("创新载体模块未提供统计（carriers.selectors.carrier_figures），“创新载体”一节从略。")
        return
    rows = [fn(y) for y in years]
    if not any(r["carriers"] for r in rows):
        doc.para("暂无数据：尚无认定的创新载体。")
        return
    doc.table(
        ["年度", "载体总数", "当年新增", "国家级和自治区级", "在孵企业", "毕业企业", "带动就业"],
        (
            [
                r["year"],
                r["carriers"],
                r["new"],
                r["national_or_regional"],
                r["incubation"].get("firms_incubating", 0),
                r["incubation"].get("firms_graduated", 0),
                r["incubation"].get("jobs", 0),
            ]
            for r in rows
        ),
        caption="创新载体情况",
    )


def _contracts(w: Writer, years: range) -> None:
    """技术合同"""
    doc = w.doc
    doc.h2("技术合同")
    fn = selectors.optional("achievements", "selectors", "contract_figures")
    if fn is None:
        doc.para("暂无数据：成果转化模块未提供技术合同统计。")
        w.note(
            "成果转化模块未提供技术合同统计（achievements.selectors.contract_figures），“技术合同”一节从略。"
        )
        return
    rows = [fn(y) for y in years]
    if not any(r["contracts"] for r in rows):
        doc.para("暂无数据：尚无登记的技术合同。")
        return
    doc.table(
        [
            "年度",
            "登记合同",
            "技术输出（项）",
            "成交额（万元）",
            "技术交易额（万元）",
            "技术吸纳（项）",
            "吸纳额（万元）",
        ],
        (
            [
                r["year"],
                r["contracts"],
                r["output"]["contracts"],
                wan(r["output"]["amount"]),
                wan(r["output"]["trade_value"]),
                r["absorbed"]["contracts"],
                wan(r["absorbed"]["amount"]),
            ]
            for r in rows
        ),
        caption="技术合同登记情况",
    )


def _events(w: Writer, years: range) -> None:
    """科学普及"""
    doc = w.doc
    doc.h2("科学普及")
    fn = selectors.optional("popularization", "selectors", "event_figures")
    if fn is None:
        doc.para("暂无数据：科普模块未提供活动统计。")
        w.note(
            "科普模块未提供活动统计（popularization.selectors.event_figures），“科学普及”一节从略。"
        )
        return
    rows = [fn(y) for y in years]
    if not any(r["events"] for r in rows):
        doc.para("暂无数据：尚无登记的科普活动。")
        return
    doc.table(
        ["年度", "活动（场）", "参与（人次）", "科技活动周", "全国科普日", "科技之冬", "科普基地"],
        (
            [
                r["year"],
                r["events"],
                count(r["participants"]),
                *(b["events"] for b in list(r["brands"].values())[:3]),
                r["bases"],
            ]
            for r in rows
        ),
        caption="科普活动情况",
    )


def _guarded(w: Writer, section: Callable, *args) -> None:
    """An optional source whose figures have changed shape drops its section, not the report."""
    try:
        section(w, *args)
    except (KeyError, TypeError, AttributeError):
        log.exception("report section %s failed", section.__name__)
        w.doc.para("本节数据格式与报告不一致，暂未列出。")
        w.note(f"“{section.__doc__ or section.__name__}”的统计格式与报告不一致，该节从略。")


def _other_sections(w: Writer, years: range) -> None:
    w.doc.h1("政策、创新券与人才")
    _guarded(w, _policies)
    _guarded(w, _vouchers, years)
    _guarded(w, _talent, years)
    w.doc.h1("创新载体、成果转化与科学普及")
    _guarded(w, _carriers, years)
    _guarded(w, _contracts, years)
    _guarded(w, _events, years)


def _annex(w: Writer, plan: Plan, years: range) -> None:
    w.doc.annex(None, ANNEX_TITLE)
    values = list(selectors.provenance(plan, years))
    if not values:
        w.doc.para("暂无审核通过的数据。")
        return
    w.doc.para(
        f"下表列出本报告计算指标所用的全部审核通过数据（{years.start}—{years.stop - 1}年，"
        f"{len(values)}条），金额单位为万元。"
    )

    def shown(dv) -> tuple[str, str]:
        if dv.element.value_type == "money":
            return wan(dv.value), "万元"
        return plain(dv.value), dv.element.unit

    rows = []
    for i, dv in enumerate(values, 1):
        value, unit = shown(dv)
        name = dv.element.name
        if dv.org_unit_id != plan.region_id:
            name += f"（{dv.org_unit.name}）"
        approved = [str(dv.reviewed_by) if dv.reviewed_by else ""]
        if dv.reviewed_at:
            approved.append(timezone.localtime(dv.reviewed_at).date().isoformat())
        rows.append([i, name, dv.year, value, unit, dv.source, " ".join(a for a in approved if a)])
    w.doc.table(
        ["序号", "数据项", "年份", "数值", "单位", "来源", "审核"],
        rows,
        widths_mm=(10, 40, 12, 26, 12, 32, 24),
    )


# --- the yearly monitoring report -------------------------------------------------------------


def _in_period(plan: Plan, year: int) -> list[Problem]:
    if plan.period_start <= year <= plan.period_end:
        return []
    return [
        Problem(
            "year",
            f"{year}年不在规划《{plan.title}》的规划期（{plan.period_start}—{plan.period_end}年）内",
            f"{year} is outside the period of plan {plan.code} "
            f"({plan.period_start}–{plan.period_end})",
        )
    ]


def check_yearly(plan: Plan, year: int) -> PlanResult:
    """The indicators as of ``year``; refused when the year has no approved figure at all."""
    problems = _in_period(plan, year)
    if problems:
        raise Rejected(problems)
    result = selectors.plan_result(plan, as_of_year=year)
    key = [r for r in result.indicators if r.indicator.is_key]
    missing = selectors.without_value(result, range(year, year + 1))
    if key and len(missing) == len(key):
        raise Rejected(
            [
                Problem(
                    "year",
                    f"规划《{plan.title}》{year}年没有审核通过的数据：{len(key)}项关键指标"
                    f"均无审核通过的数值，请先填报并审核{year}年数据",
                    f"plan {plan.code} has no approved figures for {year}: none of its "
                    f"{len(key)} key indicators has an approved value; enter and approve "
                    f"the {year} figures first",
                )
            ]
        )
    return result


def yearly_report(plan: Plan, year: int, *, progress: Progress = _quiet) -> Built:
    progress(5, "读取指标数据")
    result = check_yearly(plan, year)
    today = timezone.localdate()
    author = selectors.bureau_name(plan)
    w = Writer(
        f"{plan.title}\n{year}年度实施监测报告",
        subject=f"{plan.code} {year}",
        author=author,
        progress=progress,
    )
    years = range(plan.baseline_year, year + 1)
    key = [r for r in result.indicators if r.indicator.is_key]
    others = [r for r in result.indicators if not r.indicator.is_key]
    w.doc.para(
        f"为掌握《{plan.title}》实施进展，按照规划“监督检查”的要求，{author}依据截至"
        f"{chinese_date(today)}审核通过的数据，对{year}年度规划实施情况进行了监测。"
        "现将有关情况报告如下。"
    )
    _plan_metadata(w, plan, result)
    w.doc.h1("关键指标监测情况")
    w.doc.h2("总体情况")
    w.doc.para(
        f"规划{len(key)}项关键指标中，截至{year}年底{_status_counts(key)}。"
        "状态按最新审核数据、目标值与趋势外推判断。"
    )
    _indicator_table(w, key, year, caption=f"{year}年关键指标监测情况")
    w.doc.h2("分项情况")
    _indicator_details(w, key, year, years, start=10, span=55)
    if others:
        w.doc.h2("其他监测指标")
        _indicator_table(w, others, year, caption=f"{year}年其他监测指标")
    progress(70, "汇总任务督办情况")
    _tasks(w, plan, today, final=False)
    progress(78, "汇总企业培育与科技项目")
    _cultivation(w, range(plan.period_start, year + 1))
    _projects(w, range(plan.period_start, year + 1))
    progress(84, "汇总政策、创新券、人才、载体与科普")
    _other_sections(w, range(plan.period_start, year + 1))
    _quality_notes(w, result, years)
    w.doc.annex_note([ANNEX_TITLE])
    w.doc.signature(author, today)
    progress(90, "编制附件")
    _annex(w, plan, years)
    progress(95, "写入文件")
    return w.build()


# --- the final evaluation report ---------------------------------------------------------------


def check_final(plan: Plan) -> PlanResult:
    """The indicators at the target year; refused when the period has no approved figure."""
    result = selectors.plan_result(plan, as_of_year=plan.period_end)
    period = range(plan.period_start, plan.period_end + 1)
    missing = selectors.without_value(result, period, key_only=False)
    if result.indicators and len(missing) == len(result.indicators):
        raise Rejected(
            [
                Problem(
                    "plan",
                    f"规划《{plan.title}》{plan.period_start}—{plan.period_end}年没有审核通过的"
                    f"数据：{len(missing)}项指标均无审核通过的数值，无法开展终期评估",
                    f"plan {plan.code} has no approved figures for "
                    f"{plan.period_start}–{plan.period_end}: none of its {len(missing)} "
                    "indicators has an approved value, so it cannot be evaluated",
                )
            ]
        )
    return result


def achievement(r: IndicatorResult) -> str:
    """How far the indicator got: the share of the way from baseline to target, or met/not."""
    a = r.assessment
    if a.status is Status.NO_DATA:
        return "—"
    if a.status is Status.ACHIEVED:
        return "已完成"
    if a.progress is not None:
        return f"{a.progress * 100:.1f}%"
    return "未完成"


def final_report(plan: Plan, *, progress: Progress = _quiet) -> Built:
    progress(5, "读取指标数据")
    result = check_final(plan)
    today = timezone.localdate()
    author = selectors.bureau_name(plan)
    end = plan.period_end
    w = Writer(
        f"{plan.title}\n终期评估报告",
        subject=f"{plan.code} final",
        author=author,
        progress=progress,
    )
    years = range(plan.baseline_year, end + 1)
    key = [r for r in result.indicators if r.indicator.is_key]
    w.doc.para(
        f"按照《{plan.title}》“监督检查”的要求，{author}依据截至{chinese_date(today)}审核通过的"
        f"数据，对规划{plan.period_start}—{end}年实施情况开展了终期评估。现将评估情况报告如下。"
    )
    _plan_metadata(w, plan, result)
    w.doc.h1("目标完成情况")
    w.doc.h2("总体情况")
    achieved = sum(1 for r in key if r.assessment.status is Status.ACHIEVED)
    w.doc.para(
        f"规划{len(key)}项关键指标中，到目标年（{end}年）已完成{achieved}项；按状态分，"
        f"{_status_counts(key)}。完成程度为从基期值到目标值已走过的比例。"
    )
    rows = []
    for i, r in enumerate(key, 1):
        ind = r.indicator
        latest = r.latest
        final_value = (
            f"{rounded(latest.value, ind.decimals)}（{latest.year}年）" if latest else None
        )
        rows.append(
            [
                ind.number or i,
                ind.name,
                ind.unit,
                rounded(ind.baseline_value, ind.decimals),
                target_display(ind),
                final_value,
                achievement(r),
                r.assessment.status.label_zh,
            ]
        )
    w.doc.table(
        ["序号", "指标", "单位", "基期值", "目标值", "终期值", "完成程度", "结论"],
        rows,
        caption="关键指标目标完成情况",
        widths_mm=(10, 50, 14, 18, 18, 26, 18, 18),
    )
    w.doc.h2("分项评估")
    _indicator_details(w, key, end, years, start=10, span=55)
    progress(70, "汇总任务完成情况")
    _tasks(w, plan, today, final=True)
    period = range(plan.period_start, end + 1)
    progress(78, "汇总企业培育与科技项目")
    _cultivation(w, period)
    _projects(w, period)
    progress(84, "汇总政策、创新券、人才、载体与科普")
    _other_sections(w, period)
    _quality_notes(w, result, years)
    w.doc.annex_note([ANNEX_TITLE])
    w.doc.signature(author, today)
    progress(90, "编制附件")
    _annex(w, plan, years)
    progress(95, "写入文件")
    return w.build()


# --- one enterprise's profile -----------------------------------------------------------------


def enterprise_report(enterprise, *, progress: Progress = _quiet) -> Built:
    """A page on one enterprise: registry data, figures, certifications, stage, assessments."""
    from kechuang.enterprises.models import YearlyFigures

    progress(10, "读取企业信息")
    e = enterprise
    w = Writer(f"{e.name}\n企业概况", subject=e.uscc, author="", progress=progress)
    doc = w.doc
    doc.h1("基本信息")
    doc.table(
        ["项目", "内容", "项目", "内容"],
        [
            [
                "统一社会信用代码",
                e.uscc,
                "成立日期",
                e.registered_on and e.registered_on.isoformat(),
            ],
            ["所属行业", e.industry and f"{e.industry.code} {e.industry.name}", "所在园区", e.park],
            [
                "登记注册类型",
                e.get_ownership_display(),
                "高新技术领域",
                e.get_high_tech_field_display(),
            ],
            ["注册地址", e.address, "区内企业", "是" if e.in_district else "否"],
        ],
        widths_mm=(32, 50, 28, 46),
    )
    progress(30, "读取年度数据")
    doc.h1("年度数据")
    figures = list(e.figures.filter(status=YearlyFigures.Status.APPROVED).order_by("-year")[:3])
    if figures:
        doc.table(
            ["年度", "营业收入（万元）", "研发费用（万元）", "职工", "科技人员", "研发人员"],
            (
                [
                    f.year,
                    wan(f.operating_revenue),
                    wan(f.rd_total),
                    count(f.employees),
                    count(f.st_staff),
                    count(f.rd_staff),
                ]
                for f in figures
            ),
            caption="近三年经审核的年度数据",
        )
    else:
        doc.para("暂无数据：尚无经审核的年度数据。")
    doc.h1("资质认定")
    today = timezone.localdate()
    certs = list(e.certifications.order_by("-expires_on"))
    if certs:
        doc.table(
            ["类型", "证书编号", "发证日期", "有效期至", "状态"],
            (
                [
                    c.get_kind_display(),
                    c.number,
                    c.issued_on.isoformat(),
                    c.expires_on.isoformat(),
                    "有效" if c.expires_on >= today else "已过期",
                ]
                for c in certs
            ),
        )
    else:
        doc.para("暂无资质认定记录。")
    progress(55, "读取培育阶段与评估结论")
    _enterprise_cultivation(w, e)
    doc.signature(selectors.bureau_name(), today)
    progress(95, "写入文件")
    return w.build()


def _enterprise_cultivation(w: Writer, e) -> None:
    doc = w.doc
    doc.h1("培育阶段与认定条件评估")
    if not selectors.optional("cultivation", "selectors", "assessments"):
        doc.para("暂无数据：高企培育模块未启用。")
        return
    from kechuang.cultivation import selectors as C
    from kechuang.cultivation.models import PipelineEntry

    entry = PipelineEntry.objects.filter(enterprise=e).first()
    evaluation = C.latest_evaluation(e)
    if entry is None:
        doc.para("该企业尚未进入高新技术企业培育库。")
    else:
        text = f"培育阶段：{entry.get_stage_display()}（自{entry.since.isoformat()}起）。"
        if evaluation is not None:
            text += f"{evaluation.year}年度复评结论：{evaluation.hnte_label}。"
        doc.para(text)
    results = C.assessments(e)
    doc.table(
        ["认定类型", "结论", "主要差距"],
        (
            [
                r.rule_set.name_zh,
                r.outcome.label_zh,
                "；".join(g.message_zh for g in r.gaps[:2]),
            ]
            for r in results
        ),
        caption="按现行认定标准的自动评估（仅供参考）",
        widths_mm=(50, 26, 80),
    )


# --- one department's tasks -------------------------------------------------------------------


def check_department(plan: Plan, department: Organization) -> None:
    if not selectors.department_has_tasks(plan, department):
        raise Rejected(
            [
                Problem(
                    "department",
                    f"{department.name}在规划《{plan.title}》中没有牵头或配合的任务",
                    f"{department.name_en or department.code} leads or co-operates on no task "
                    f"of plan {plan.code}",
                )
            ]
        )


def department_report(
    plan: Plan, department: Organization, *, progress: Progress = _quiet
) -> Built:
    progress(10, "读取任务")
    check_department(plan, department)
    today = timezone.localdate()
    w = Writer(
        f"{department.name}\n《{plan.title}》任务落实情况报告",
        subject=f"{plan.code} {department.code}",
        author=selectors.bureau_name(plan),
        progress=progress,
    )
    doc = w.doc
    board, overdue = selectors.task_board(plan, department, today=today)
    led = [s for s in board.tasks if s.task.lead_department_id == department.pk]
    co = [s for s in board.tasks if s.task.lead_department_id != department.pk]
    t = Counter(s.state for s in led)
    doc.h1("总体情况")
    doc.para(
        f"截至{chinese_date(today)}，{department.name}牵头规划任务{len(led)}项、配合任务"
        f"{len(co)}项。牵头任务中完成{t['done']}项、正常推进{t['on_schedule']}项、临期"
        f"{t['due_soon']}项、逾期{t['overdue']}项、尚未报告进展{t['no_report']}项。"
    )
    progress(40, "汇总任务进展")
    for heading, items in (("牵头任务", led), ("配合任务", co)):
        doc.h1(heading)
        if not items:
            doc.para("无。")
            continue
        doc.table(
            ["编号", "任务", "进度", "最近报告", "里程碑（完成/总数）", "下一节点", "状态"],
            (
                [
                    s.task.code,
                    s.task.title,
                    f"{s.progress}%" if s.progress is not None else None,
                    s.last_reported_on and s.last_reported_on.isoformat(),
                    f"{s.tree_done}/{s.tree_milestones}",
                    s.next_due and s.next_due.isoformat(),
                    str(s.state_label),
                ]
                for s in items
            ),
            widths_mm=(14, 58, 14, 20, 20, 20, 14),
        )
    progress(70, "汇总逾期与督办")
    doc.h1("逾期事项")
    if overdue:
        doc.table(
            ["任务", "里程碑", "计划完成", "逾期天数", "最新进度"],
            (
                [
                    f"{r.task.code} {r.task.title}",
                    r.milestone.title,
                    r.milestone.due_on.isoformat(),
                    r.days,
                    f"{r.percent}%" if r.percent is not None else None,
                ]
                for r in overdue
            ),
            widths_mm=(56, 46, 20, 16, 18),
        )
    else:
        doc.para("没有逾期未完成的里程碑。")
    doc.h1("督办情况")
    supervisions = selectors.department_supervisions(plan, department)
    if supervisions:
        doc.table(
            ["任务", "督办事项", "回复期限", "回复", "状态"],
            (
                [
                    f"{s.task.code} {s.task.title}",
                    s.reason,
                    s.respond_by.isoformat(),
                    s.response or "尚未回复",
                    "已办结" if s.closed_at else "办理中",
                ]
                for s in supervisions
            ),
            widths_mm=(40, 46, 20, 34, 16),
        )
    else:
        doc.para("没有督办事项。")
    doc.signature(selectors.bureau_name(plan), today)
    progress(95, "写入文件")
    return w.build()
