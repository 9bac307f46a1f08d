"""The final evaluation report: the whole plan period, achievement per indicator."""

import pytest

from kechuang.core.problems import Rejected
from kechuang.reports import builders, selectors
from kechuang.reports.tests.conftest import headings, open_docx, paragraphs, table_texts


@pytest.fixture
def final(demo):
    return open_docx(builders.final_report(demo).content)


def test_the_final_report_covers_the_plan_period_with_every_section(final):
    texts = paragraphs(final)
    assert texts[:2] == ["独山子区科技创新“十四五”发展规划", "终期评估报告"]
    top = [h for h in headings(final) if "、" in h[:3]]
    assert top[:3] == ["一、规划基本情况", "二、目标完成情况", "三、重点任务完成情况"]
    assert "八、数据质量说明" in top
    assert "2021—2025年" in "\n".join(texts)


def test_each_key_indicator_shows_its_achievement_at_the_target_year(final, demo):
    table = next(t for t in table_texts(final) if "完成程度" in t[0])
    assert table[0] == ["序号", "指标", "单位", "基期值", "目标值", "终期值", "完成程度", "结论"]
    result = selectors.plan_result(demo, as_of_year=2025)
    key = [r for r in result.indicators if r.indicator.is_key]
    assert [row[1] for row in table[1:]] == [r.indicator.name for r in key]
    for row, r in zip(table[1:], key, strict=True):
        assert row[5].endswith(f"（{r.latest.year}年）")
        assert row[6] == builders.achievement(r)
        assert row[7] == r.assessment.status.label_zh
    assert len(final.inline_shapes) == len(key)


def test_achievement_is_done_the_share_of_the_way_or_unknown(demo):
    result = selectors.plan_result(demo, as_of_year=2025)
    for r in result.indicators:
        text = builders.achievement(r)
        if r.assessment.status.value == "achieved":
            assert text == "已完成"
        elif r.assessment.progress is not None:
            assert text == f"{r.assessment.progress * 100:.1f}%"


def test_a_plan_without_approved_data_in_its_period_is_refused(plan):
    with pytest.raises(Rejected) as exc:
        builders.final_report(plan)
    (problem,) = exc.value.problems
    assert "2021—2025年没有审核通过的数据" in problem.message_zh
    assert "项指标均无审核通过的数值" in problem.message_zh
