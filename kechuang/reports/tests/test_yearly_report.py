"""The yearly monitoring report, written from the demo data."""

import pytest

from kechuang.core.problems import Rejected
from kechuang.reports import builders, charts, selectors
from kechuang.reports.tests.conftest import headings, open_docx, paragraphs, table_texts

SECTIONS = [
    "一、规划基本情况",
    "二、关键指标监测情况",
    "三、重点任务推进情况",
    "四、企业培育情况",
    "五、科技项目管理情况",
    "六、政策、创新券与人才",
    "七、创新载体、成果转化与科学普及",
    "八、数据质量说明",
]


def _key(plan):
    return list(plan.indicators.filter(is_key=True).order_by("sort_order"))


def test_the_report_has_its_title_every_section_and_the_annex(yearly_2024):
    texts = paragraphs(yearly_2024)
    assert texts[0] == "独山子区科技创新“十四五”发展规划"
    assert texts[1] == "2024年度实施监测报告"
    top = [h for h in headings(yearly_2024) if h[:2] in {s[:2] for s in SECTIONS}]
    assert top == SECTIONS
    assert "附件" in texts
    assert "指标数据来源与审核情况表" in texts
    assert "附件：指标数据来源与审核情况表" in texts


def test_the_metadata_names_the_plan_its_number_issuer_and_period(yearly_2024, demo):
    body = "\n".join(paragraphs(yearly_2024))
    assert "克独政发〔2022〕19号" in body
    assert "克拉玛依市独山子区人民政府" in body
    assert "规划期2021—2025年" in body


def test_the_summary_table_has_every_key_indicator_with_value_target_and_status(yearly_2024, demo):
    table = table_texts(yearly_2024)[0]
    assert table[0] == ["序号", "指标", "单位", "2024年", "目标值", "目标年", "状态"]
    key = _key(demo)
    assert [row[1] for row in table[1:]] == [i.name for i in key]
    result = selectors.plan_result(demo, as_of_year=2024)
    by_code = {r.indicator.code: r for r in result.indicators}
    for row, ind in zip(table[1:], key, strict=True):
        assert row[6] == by_code[ind.code].assessment.status.label_zh
        assert row[3] != "—"  # the demo has every key figure for 2024


def test_each_key_indicator_has_a_heading_its_status_reason_and_a_chart(yearly_2024, demo):
    names = [i.name for i in _key(demo)]
    heads = headings(yearly_2024)
    for n, name in enumerate(names, 1):
        assert f"{n}. {name}" in heads
    body = "\n".join(paragraphs(yearly_2024))
    assert body.count("监测状态：") >= len(names)
    assert "判断依据：" in body
    assert len(yearly_2024.inline_shapes) == len(names)
    assert all(f"图{n}" in body for n in range(1, len(names) + 1))


def test_task_completion_is_shown_by_department(yearly_2024):
    tables = table_texts(yearly_2024)
    by_department = next(t for t in tables if t[0][0] == "责任单位")
    assert by_department[0][1:] == [
        "牵头任务",
        "完成",
        "正常",
        "临期",
        "逾期",
        "未报告",
        "配合任务",
    ]
    assert "独山子区科学技术局" in [row[0] for row in by_department[1:]]


def test_the_cultivation_funnel_has_a_row_per_year_of_the_plan(yearly_2024):
    funnel = next(
        t for t in table_texts(yearly_2024) if t[0][:3] == ["年度", "发现（入库）", "服务"]
    )
    assert [row[:3] for row in funnel[1:]] == [
        ["2021", "0", "0"],
        ["2022", "1", "0"],
        ["2023", "0", "1"],
        ["2024", "0", "0"],
    ]


def test_the_annex_lists_every_figure_with_year_unit_value_source_and_approval(yearly_2024, demo):
    annex = table_texts(yearly_2024)[-1]
    assert annex[0] == ["序号", "数据项", "年份", "数值", "单位", "来源", "审核"]
    used = list(selectors.provenance(demo, range(2020, 2025)))
    assert len(annex) - 1 == len(used)
    gdp_2020 = next(r for r in annex[1:] if r[1] == "地区生产总值（现价）" and r[2] == "2020")
    assert gdp_2020[4] == "万元"
    assert gdp_2020[5]  # the plan's own source for its baseline
    assert all(row[6] for row in annex[1:])  # who approved, and when


def test_the_issuer_and_date_close_the_body(yearly_2024):
    texts = paragraphs(yearly_2024)
    annex_at = texts.index("附件")
    closing = [t for t in texts[:annex_at] if t]
    assert closing[-2] == "独山子区科学技术局"
    assert closing[-1].endswith("日") and "年" in closing[-1]


def test_data_quality_notes_carry_the_engines_warnings_and_the_demo_flag(yearly_2024, demo):
    texts = paragraphs(yearly_2024)
    start = texts.index("八、数据质量说明")
    notes = "\n".join(texts[start : texts.index("附件")])
    assert "演示数据" in notes
    result = selectors.plan_result(demo, as_of_year=2024)
    warned = [r for r in result.indicators if r.warnings]
    assert warned, "the demo data raises at least one data-quality warning"
    assert warned[0].indicator.name in notes


def test_a_year_without_approved_data_is_refused_saying_what_is_missing(plan):
    with pytest.raises(Rejected) as exc:
        builders.yearly_report(plan, 2023)
    (problem,) = exc.value.problems
    assert problem.where == "year"
    assert "独山子区科技创新“十四五”发展规划" in problem.message_zh
    assert "2023年没有审核通过的数据" in problem.message_zh
    assert "9项关键指标均无审核通过的数值" in problem.message_zh
    assert "2023" in problem.message_en


def test_a_year_outside_the_plan_period_is_refused(demo):
    with pytest.raises(Rejected) as exc:
        builders.yearly_report(demo, 2027)
    assert "2027年不在规划" in exc.value.problems[0].message_zh


def test_charts_are_drawn_without_a_chinese_font_and_the_report_says_so(demo, monkeypatch):
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    built = builders.yearly_report(demo, 2024)
    assert any("未安装中文字体" in n for n in built.notes)
    doc = open_docx(built.content)
    assert len(doc.inline_shapes) == len(_key(demo))
    assert any("未安装中文字体" in t for t in paragraphs(doc))


def test_with_a_chinese_font_the_report_has_no_font_note(demo):
    if charts.find_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    built = builders.yearly_report(demo, 2024)
    assert not any("中文字体" in n for n in built.notes)


def test_the_font_finder_prefers_simplified_chinese_and_says_none_when_there_is_none(
    monkeypatch,
):
    from types import SimpleNamespace

    from matplotlib import font_manager

    def installed(*names):
        fonts = [SimpleNamespace(name=n) for n in names]
        monkeypatch.setattr(font_manager.fontManager, "ttflist", fonts)
        return charts.find_cjk_font.__wrapped__()

    assert installed("DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK SC") == "Noto Sans CJK SC"
    assert installed("WenQuanYi Zen Hei") == "WenQuanYi Zen Hei"
    assert installed("DejaVu Sans") is None


def test_a_source_that_is_missing_drops_only_its_section_with_a_note(demo, monkeypatch):
    real = selectors.optional

    def without_vouchers(app, module, name):
        return None if app == "vouchers" else real(app, module, name)

    monkeypatch.setattr(selectors, "optional", without_vouchers)
    built = builders.yearly_report(demo, 2024)
    texts = paragraphs(open_docx(built.content))
    assert "暂无数据：创新券模块未提供年度统计。" in texts
    assert any("vouchers.selectors.yearly_figures" in n for n in built.notes)
    assert "（二）创新载体" not in texts  # numbering restarts under the next heading
    assert any(t.endswith("技术合同") for t in texts)


def test_a_source_whose_figures_changed_shape_is_left_out_not_fatal(demo, monkeypatch):
    real = selectors.optional

    def odd_vouchers(app, module, name):
        if app == "vouchers":
            return lambda: [{"year": 2024}]
        return real(app, module, name)

    monkeypatch.setattr(selectors, "optional", odd_vouchers)
    built = builders.yearly_report(demo, 2024)
    assert any("创新券" in n and "格式" in n for n in built.notes)
