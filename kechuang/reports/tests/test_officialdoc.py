"""The official-document format (GB/T 9704), read back from the generated document's XML."""

import datetime as dt

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from kechuang.reports.officialdoc import (
    BODY_FONT,
    OfficialDocument,
    chinese_number,
    signature_indents,
)
from kechuang.reports.tests.conftest import open_docx


@pytest.fixture
def document():
    d = OfficialDocument(title="测试规划\n2024年度实施监测报告")
    d.h1("规划基本情况")
    d.h2("总体情况")
    d.h3("研发投入强度")
    d.para("正文段落。")
    d.table(["指标", "数值"], [["研发投入强度", "1.86"]], caption="关键指标")
    d.signature("独山子区科学技术局", dt.date(2025, 3, 1))
    d.annex(None, "指标数据来源与审核情况表")
    return open_docx(d.save())


def east_asian(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_the_page_is_a4_with_the_standard_margins(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37
    assert round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28
    assert round(section.right_margin.mm) == 26


def test_the_title_is_xiaobiaosong_erhao_centred(document):
    title = document.styles["Title"]
    assert east_asian(title) == "方正小标宋简体"
    assert title.font.size == Pt(22)
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [p.text for p in document.paragraphs[:2]] == ["测试规划", "2024年度实施监测报告"]


def test_body_text_is_fangsong_sanhao_on_a_fixed_28_point_line(document):
    body = document.styles["Normal"]
    assert east_asian(body) == "仿宋_GB2312"
    assert body.font.size == Pt(16)
    pf = body.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert pf.line_spacing == Pt(28)
    assert pf.first_line_indent == Pt(32)  # two characters


def test_east_asian_fonts_are_named_and_not_left_to_the_theme(document):
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsiaTheme")) is None
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    default_fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert default_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert default_fonts.get(qn("w:eastAsiaTheme")) is None


def test_the_three_heading_levels_use_hei_kai_and_bold_fangsong(document):
    h1, h2, h3 = (document.styles[f"Heading {n}"] for n in (1, 2, 3))
    assert (east_asian(h1), east_asian(h2), east_asian(h3)) == (
        "黑体",
        "楷体_GB2312",
        "仿宋_GB2312",
    )
    assert h3.font.bold and not h1.font.bold and not h2.font.bold
    assert all(h.font.size == Pt(16) for h in (h1, h2, h3))
    texts = [p.text for p in document.paragraphs]
    assert {"一、规划基本情况", "（一）总体情况", "1. 研发投入强度"} <= set(texts)


def test_the_font_table_gives_each_official_font_its_fallbacks(document):
    part = next(
        r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")
    )
    from docx.oxml import parse_xml

    table = parse_xml(part.blob)
    fonts = {f.get(qn("w:name")): f for f in table.findall(qn("w:font"))}
    fangsong = fonts["仿宋_GB2312"]
    assert fangsong.find(qn("w:altName")).get(qn("w:val")) == "仿宋;FangSong;Noto Serif CJK SC"
    assert fangsong.find(qn("w:charset")).get(qn("w:val")) == "86"
    assert BODY_FONT.fallbacks[-1] == "Noto Serif CJK SC"
    assert (
        fonts["方正小标宋简体"].find(qn("w:altName")).get(qn("w:val")).endswith("Noto Serif CJK SC")
    )


def test_page_numbers_are_centred_at_the_foot_between_dashes(document):
    footer = document.sections[0].footer.paragraphs[0]
    assert footer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    xml = footer._p.xml
    assert "PAGE" in xml
    assert footer.text.startswith("— ") and footer.text.endswith(" —")


def test_the_issuer_and_date_are_right_aligned_the_date_two_characters_in(document):
    texts = [p.text for p in document.paragraphs]
    issuer = document.paragraphs[texts.index("独山子区科学技术局")]
    date = document.paragraphs[texts.index("2025年3月1日")]
    assert issuer.style.name == date.style.name == "KC Signature"
    assert issuer.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert issuer.paragraph_format.right_indent == Pt(32)
    assert date.paragraph_format.right_indent == Pt(48)


def test_a_date_longer_than_the_issuer_keeps_two_characters_and_moves_the_issuer():
    # The date (7 characters wide) ends two in; the issuer starts two before the date starts.
    assert signature_indents("区科技局", "2025年12月31日") == (7.0, 2)


def test_the_annex_starts_a_new_page_with_its_label_and_title(document):
    texts = [p.text for p in document.paragraphs]
    at = texts.index("附件")
    assert 'w:type="page"' in document.paragraphs[at - 1]._p.xml
    assert texts[at + 1] == "指标数据来源与审核情况表"


def test_tables_have_a_numbered_caption_and_a_repeating_header(document):
    assert "表1  关键指标" in [p.text for p in document.paragraphs]
    header = document.tables[0].rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十")]
)
def test_heading_numbers_are_chinese(n, text):
    assert chinese_number(n) == text
