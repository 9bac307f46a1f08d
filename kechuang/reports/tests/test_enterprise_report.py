"""The one-page enterprise profile."""

from kechuang.reports import builders
from kechuang.reports.tests.conftest import headings, open_docx, paragraphs, table_texts


def test_the_profile_has_registry_figures_certifications_stage_and_assessments(cultivated):
    doc = open_docx(builders.enterprise_report(cultivated).content)
    assert paragraphs(doc)[:2] == ["新疆独山子报告测试新材料有限公司", "企业概况"]
    assert [h for h in headings(doc)] == [
        "一、基本信息",
        "二、年度数据",
        "三、资质认定",
        "四、培育阶段与认定条件评估",
    ]
    tables = table_texts(doc)
    assert tables[0][1][:2] == ["统一社会信用代码", cultivated.uscc]
    assert tables[1][1][:2] == ["2023", "5,200.00"]  # revenue in 万元
    assert tables[2][1][0] == "科技型中小企业"
    assert "培育阶段：入库培育企业" in "\n".join(paragraphs(doc))
    assessed = tables[3]
    assert assessed[0] == ["认定类型", "结论", "主要差距"]
    assert len(assessed) > 2  # every rule set


def test_an_enterprise_with_nothing_recorded_says_so(enterprise):
    enterprise.figures.all().delete()
    enterprise.certifications.all().delete()
    texts = paragraphs(open_docx(builders.enterprise_report(enterprise).content))
    assert "暂无数据：尚无经审核的年度数据。" in texts
    assert "暂无资质认定记录。" in texts
    assert "该企业尚未进入高新技术企业培育库。" in texts
