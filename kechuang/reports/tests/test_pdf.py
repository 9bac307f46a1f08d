"""The demo yearly report converts to PDF with LibreOffice and reads as it should.

Runs wherever soffice is installed (CI installs libreoffice-writer-nogui); skipped locally
without it. A throwaway LibreOffice profile keeps the run independent of any user's settings.
"""

import subprocess

from pypdf import PdfReader

from kechuang.reports import builders


def test_the_demo_yearly_report_becomes_a_pdf_with_its_headings_and_indicators(
    soffice, demo, cultivated, tmp_path
):
    built = builders.yearly_report(demo, 2024)
    source = tmp_path / "yearly-2024.docx"
    source.write_bytes(built.content)
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    reader = PdfReader(tmp_path / "yearly-2024.pdf")
    # Chinese lines may wrap anywhere: compare with every whitespace removed.
    text = "".join("".join((page.extract_text() or "").split()) for page in reader.pages)
    assert len(reader.pages) > 5
    for heading in (
        "2024年度实施监测报告",
        "一、规划基本情况",
        "二、关键指标监测情况",
        "三、重点任务推进情况",
        "四、企业培育情况",
        "八、数据质量说明",
        "指标数据来源与审核情况表",
    ):
        assert heading in text, heading
    for indicator in demo.indicators.filter(is_key=True):
        assert indicator.name in text, indicator.name
    assert "—1—" in text  # the page number, between dashes
