"""A .docx writer in the official-document style of GB/T 9704-2012 (党政机关公文格式).

A4 with the standard margins, the title in 方正小标宋 二号, body text in 仿宋_GB2312 三号 on a
fixed 28 pt line pitch, headings 一、 (黑体) （一） (楷体) 1. (仿宋 bold), the page number centred
at the foot as "— 1 —", and the issuer and date at the end.

Chinese text only takes a CJK font when the run names one as ``w:eastAsia`` in ``w:rFonts``;
python-docx's ``font.name`` sets the Latin slots alone, so every style and run here sets all four.
A reader's Word may lack the official fonts: each one is declared in the font table with its
fallbacks as ``w:altName`` (LibreOffice reads the list; Word substitutes by the charset given),
and the last fallback is a free CJK font (Noto, Debian's fonts-noto-cjk).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph


@dataclass(frozen=True)
class FontChain:
    """The font a role names first, and what to fall back to where it is not installed."""

    name: str
    fallbacks: tuple[str, ...]
    family: str  # w:family for substitution: "roman" (serif), "modern", "script"

    @property
    def alt_name(self) -> str:
        return ";".join(self.fallbacks)


SERIF_CJK = "Noto Serif CJK SC"
SANS_CJK = "Noto Sans CJK SC"

TITLE_FONT = FontChain("方正小标宋简体", ("方正小标宋_GBK", "华文中宋", "宋体", SERIF_CJK), "roman")
BODY_FONT = FontChain("仿宋_GB2312", ("仿宋", "FangSong", SERIF_CJK), "roman")
HEI_FONT = FontChain("黑体", ("SimHei", SANS_CJK), "modern")
KAI_FONT = FontChain("楷体_GB2312", ("楷体", "KaiTi", SERIF_CJK), "script")
PAGE_NUMBER_FONT = FontChain("宋体", ("SimSun", SERIF_CJK), "roman")
LATIN_FONT = "Times New Roman"
FONT_CHAINS = (TITLE_FONT, BODY_FONT, HEI_FONT, KAI_FONT, PAGE_NUMBER_FONT)

# 字号 in points: 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5.
ERHAO, SANHAO, SIHAO, XIAOSI, WUHAO = Pt(22), Pt(16), Pt(14), Pt(12), Pt(10.5)
LINE_PITCH = Pt(28)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}

# Style ids: the headings keep Word's built-in names so the navigation pane shows them.
TITLE, BODY, H1, H2, H3 = "Title", "Normal", "Heading 1", "Heading 2", "Heading 3"
TABLE_TEXT, CAPTION, SIGNATURE = "KC Table Text", "Caption", "KC Signature"


def set_fonts(target, chain: FontChain, *, latin: str = LATIN_FONT) -> None:
    """Name ``chain`` for East-Asian text and ``latin`` for the rest, on a style or a run."""
    rpr = target.element.get_or_add_rPr() if hasattr(target, "element") else target
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(slot), None)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), latin)
    fonts.set(qn("w:eastAsia"), chain.name)
    fonts.set(qn("w:hint"), "eastAsia")


def _style_rpr(style):
    return style.element.get_or_add_rPr()


def _declare_fonts(document) -> None:
    """Put every official font with its fallbacks and GB2312 charset into the font table."""
    part = next(
        r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")
    )
    table = parse_xml(part.blob)
    known = {f.get(qn("w:name")): f for f in table.findall(qn("w:font"))}
    for chain in FONT_CHAINS:
        font = known.get(chain.name)
        if font is None:
            font = OxmlElement("w:font")
            font.set(qn("w:name"), chain.name)
            table.append(font)
        for child in list(font):
            font.remove(child)
        for tag, value in (
            ("w:altName", chain.alt_name),
            ("w:charset", "86"),  # GB2312
            ("w:family", chain.family),
            ("w:pitch", "variable"),
        ):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            font.append(el)
    # The font table is a plain part to python-docx: its bytes are what gets saved.
    part._blob = serialize_part_xml(table)


def _document_defaults(document) -> None:
    """The defaults name fonts through the theme, which would win over a style's own names."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _paragraph_style(document, name: str, *, base: str | None = None):
    styles = document.styles
    try:
        return styles[name]
    except KeyError:
        from docx.enum.style import WD_STYLE_TYPE

        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            style.base_style = styles[base]
        return style


def _setup_styles(document) -> None:
    def style(name, chain, size, *, bold=False, align=None, indent=True, base=None, pitch=True):
        s = _paragraph_style(document, name, base=base)
        s.font.size = size
        s.font.bold = bold
        s.font.italic = False
        s.font.color.rgb = None
        set_fonts(s, chain)
        pf = s.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        if pitch:
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = LINE_PITCH
        else:
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.first_line_indent = Pt(size.pt * 2) if indent else Pt(0)
        pf.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.widow_control = True
        return s

    style(BODY, BODY_FONT, SANHAO)
    title = style(TITLE, TITLE_FONT, ERHAO, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    # The title takes a generous line and sits a blank line above the body.
    title.paragraph_format.line_spacing = Pt(35)
    title.paragraph_format.space_after = LINE_PITCH
    _no_borders(title)
    h1 = style(H1, HEI_FONT, SANHAO)
    h2 = style(H2, KAI_FONT, SANHAO)
    h3 = style(H3, BODY_FONT, SANHAO, bold=True)
    for h in (h1, h2, h3):
        h.paragraph_format.keep_with_next = True
    style(TABLE_TEXT, BODY_FONT, WUHAO, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, pitch=False)
    caption = style(CAPTION, BODY_FONT, SIHAO, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    caption.font.bold = False
    style(SIGNATURE, BODY_FONT, SANHAO, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def _no_borders(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for el in ppr.findall(qn("w:pBdr")):
        ppr.remove(el)


def _page_setup(document) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(28)
        _page_number_footer(section)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES…) in its own runs, so Word and LibreOffice both update it."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        run = paragraph.add_run()
        set_fonts(run._r.get_or_add_rPr(), PAGE_NUMBER_FONT)
        run.font.size = SIHAO
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
            if kind == "separate":
                placeholder = OxmlElement("w:t")
                placeholder.text = "1"
                run._r.append(placeholder)


def _page_number_footer(section) -> None:
    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.text = ""
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    for text in ("— ", None, " —"):
        if text is None:
            _field(p, "PAGE")
            continue
        run = p.add_run(text)
        set_fonts(run._r.get_or_add_rPr(), PAGE_NUMBER_FONT)
        run.font.size = SIHAO


def chinese_date(day: dt.date) -> str:
    """成文日期 with Arabic numerals and the year, month and day in full (GB/T 9704 7.3.5.2)."""
    return f"{day.year}年{day.month}月{day.day}日"


class OfficialDocument:
    """A document being written top to bottom: title, headings, paragraphs, tables, charts."""

    def __init__(self, *, title: str, subject: str = "", author: str = "") -> None:
        self.doc = Document()
        _document_defaults(self.doc)
        _setup_styles(self.doc)
        _page_setup(self.doc)
        _declare_fonts(self.doc)
        props = self.doc.core_properties
        props.title = title
        props.subject = subject
        props.author = author
        props.language = "zh-CN"
        self._h1 = self._h2 = self._h3 = 0
        self._tables = 0
        self._figures = 0
        for line in title.split("\n"):
            self.doc.add_paragraph(line, style=TITLE)

    # --- headings: the numbering is the style's, as a reader of 公文 expects ---------------

    def h1(self, text: str) -> Paragraph:
        self._h1 += 1
        self._h2 = self._h3 = 0
        return self.doc.add_paragraph(f"{chinese_number(self._h1)}、{text}", style=H1)

    def h2(self, text: str) -> Paragraph:
        self._h2 += 1
        self._h3 = 0
        return self.doc.add_paragraph(f"（{chinese_number(self._h2)}）{text}", style=H2)

    def h3(self, text: str) -> Paragraph:
        self._h3 += 1
        return self.doc.add_paragraph(f"{self._h3}. {text}", style=H3)

    def para(self, text: str) -> Paragraph:
        return self.doc.add_paragraph(text, style=BODY)

    def paras(self, texts: Iterable[str]) -> None:
        for t in texts:
            self.para(t)

    def bullets(self, texts: Iterable[str]) -> None:
        """Short items as numbered body paragraphs (公文 uses no bullet glyphs)."""
        for i, t in enumerate(texts, 1):
            self.para(f"（{i}）{t}")

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        caption: str = "",
        widths_mm: Sequence[float] | None = None,
    ):
        """A table with a bold header row that repeats on each page; ``None`` shows as —."""
        if caption:
            self._tables += 1
            self.doc.add_paragraph(f"表{self._tables}  {caption}", style=CAPTION)
        t = self.doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        head = t.rows[0]
        _repeat_header(head)
        for cell, text in zip(head.cells, header, strict=True):
            _cell_text(cell, text, bold=True)
        for row in rows:
            cells = t.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                _cell_text(cell, "—" if value is None or value == "" else str(value))
        if widths_mm:
            # Word reads the cells' widths, LibreOffice the grid's: both are set.
            t.autofit = False
            for column, w in zip(t.columns, widths_mm, strict=True):
                column.width = Mm(w)
            for row in t.rows:
                for cell, w in zip(row.cells, widths_mm, strict=True):
                    cell.width = Mm(w)
        # A blank line after the table keeps the next heading off its bottom border.
        self.doc.add_paragraph("", style=TABLE_TEXT)
        return t

    def image(self, png: bytes, *, caption: str, width_mm: float = 150) -> None:
        self._figures += 1
        p = self.doc.add_paragraph(style=TABLE_TEXT)
        p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
        self.doc.add_paragraph(f"图{self._figures}  {caption}", style=CAPTION)

    def annex_note(self, names: Sequence[str]) -> None:
        """附件说明: under the body, 左空二字 "附件：" then the annexes' names."""
        if not names:
            return
        self.para("")
        if len(names) == 1:
            self.para(f"附件：{names[0]}")
            return
        self.para(f"附件：1. {names[0]}")
        for i, name in enumerate(names[1:], 2):
            p = self.para(f"{i}. {name}")
            p.paragraph_format.first_line_indent = Pt(SANHAO.pt * 5)

    def signature(self, issuer: str, day: dt.date) -> None:
        """发文机关署名 and 成文日期 (GB/T 9704 7.3.5.2, no seal): the issuer right-aligned two
        characters in from the margin, the date on the next line starting two characters to the
        right of the issuer's first character; a date longer than that moves both left."""
        date = chinese_date(day)
        issuer_right, date_right = signature_indents(issuer, date)
        self.para("")
        for text, right in ((issuer, issuer_right), (date, date_right)):
            p = self.doc.add_paragraph(text, style=SIGNATURE)
            p.paragraph_format.right_indent = Pt(SANHAO.pt * right)

    def annex(self, number: int | None, title: str) -> None:
        """A new page for an annex: "附件" (黑体) at the top left, then its title centred."""
        p = self.doc.add_paragraph(style=BODY)
        p.add_run().add_break(WD_BREAK.PAGE)
        label = "附件" if number is None else f"附件{number}"
        head = self.doc.add_paragraph(label, style=BODY)
        head.paragraph_format.first_line_indent = Pt(0)
        for run in head.runs:
            set_fonts(run._r.get_or_add_rPr(), HEI_FONT)
        self.doc.add_paragraph(title, style=TITLE)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cell_text(cell, text: str, *, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.style = TABLE_TEXT
    run = p.add_run(text)
    if bold:
        run.bold = True
        set_fonts(run._r.get_or_add_rPr(), HEI_FONT)


def _width(text: str) -> float:
    """Width in characters of 三号: Arabic numerals and Latin letters are half-width."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def signature_indents(issuer: str, date: str) -> tuple[float, float]:
    """Right indents, in characters, of the issuer and the date lines."""
    date_right = _width(issuer) - _width(date)
    if date_right >= 2:
        return 2, date_right
    return 2 + (2 - date_right), 2


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (heading numbers up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"
