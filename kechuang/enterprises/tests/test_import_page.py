"""The import page: templates to download, a file queued as a job, progress polled until done."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kechuang.enterprises.models import Enterprise, ImportJob, YearlyFigures
from kechuang.enterprises.tests.conftest import make_uscc, xlsx_bytes

URL = "/enterprises/import/"


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def upload(client, kind: str, name: str, content: bytes, **extra):
    return client.post(
        URL, {"kind": kind, "file": SimpleUploadedFile(name, content), **extra}, follow=False
    )


@pytest.mark.parametrize("who", ["reporter", "enterprise_user"])
def test_only_the_bureau_may_import(client_for, request, who):
    c = client_for(request.getfixturevalue(who))
    assert c.get(URL).status_code == 403
    assert c.get("/enterprises/templates/figures.xlsx").status_code == 403


def test_templates_have_a_bilingual_header_and_instructions(client_for, staff_user):
    c = client_for(staff_user)
    response = c.get("/enterprises/templates/figures.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["数据", "说明"]
    header = [cell.value for cell in wb["数据"][1]]
    assert header[:3] == ["统一社会信用代码 / uscc", "企业名称 / enterprise name", "年度 / year"]
    notes = " ".join(str(r[0]) for r in wb["说明"].iter_rows(values_only=True) if r[0])
    assert "全部不导入" in notes
    csv_text = c.get("/enterprises/templates/ip.csv").content.decode("utf-8-sig")
    assert csv_text.startswith("统一社会信用代码 / uscc,知识产权类型 / kind")


def test_templates_carry_the_declarations_the_rules_need(client_for, staff_user):
    c = client_for(staff_user)
    wb = load_workbook(io.BytesIO(c.get("/enterprises/templates/enterprises.xlsx").content))
    header = [cell.value for cell in wb["数据"][1]]
    for column in (
        "境内注册居民企业 / resident enterprise",
        "产品属于禁止限制淘汰类 / restricted products",
        "研发组织管理制度 / R&D management system",
        "研发费用辅助账 / R&D auxiliary ledger",
        "人才绩效评价奖励制度 / performance rewards",
        "知识产权技术先进程度（预评） / IP advancement (pre-assessment)",
        "知识产权核心支持作用（预评） / IP core support (pre-assessment)",
    ):
        assert column in header, column
    figures = c.get("/enterprises/templates/figures.csv").content.decode("utf-8-sig")
    assert "科技成果转化数 / technology conversions" in figures.splitlines()[0]


def test_declarations_import_and_blank_stays_undeclared(client_for, staff_user, industries):
    c = client_for(staff_user)
    header = c.get("/enterprises/templates/enterprises.csv").content.decode("utf-8-sig")
    columns = header.splitlines()[0].split(",")
    row = dict.fromkeys(columns, "")
    row["统一社会信用代码 / uscc"] = make_uscc(12)
    row["企业名称 / name"] = "新疆独山子申报测试有限公司"
    row["境内注册居民企业 / resident enterprise"] = "是"
    row["产品属于禁止限制淘汰类 / restricted products"] = "否"
    row["知识产权技术先进程度（预评） / IP advancement (pre-assessment)"] = "high"
    body = ",".join(columns) + "\n" + ",".join(row.values()) + "\n"
    upload(c, "enterprises", "declared.csv", body.encode("utf-8-sig"))
    e = Enterprise.objects.get()
    assert (e.resident, e.restricted_products, e.rd_ledger) == (True, False, None)
    assert (e.ip_advancement, e.ip_core_support) == ("high", "")


def test_a_downloaded_template_filled_in_and_uploaded_imports(
    client_for, staff_user, industries, park
):
    c = client_for(staff_user)
    wb = load_workbook(io.BytesIO(c.get("/enterprises/templates/enterprises.xlsx").content))
    ws = wb["数据"]
    header = [cell.value for cell in ws[1]]
    row = dict.fromkeys(header)
    row["统一社会信用代码 / uscc"] = make_uscc(11)
    row["企业名称 / name"] = "新疆独山子模板测试有限公司"
    row["行业代码 / industry"] = "C26"
    row["园区代码 / park"] = "独山子经济技术开发区"
    ws.append(list(row.values()))
    out = io.BytesIO()
    wb.save(out)
    response = upload(c, "enterprises", "filled.xlsx", out.getvalue())
    job = ImportJob.objects.get()
    assert response["Location"] == f"/enterprises/import/{job.pk}/"
    assert (job.status, job.rows_done, job.result["created"]) == ("done", 1, 1)
    assert Enterprise.objects.get().park == park


def test_a_csv_template_filled_in_imports(client_for, staff_user, industries):
    c = client_for(staff_user)
    header = c.get("/enterprises/templates/enterprises.csv").content.decode("utf-8-sig")
    body = header + f"{make_uscc(12)},新疆独山子某某有限公司,,C26,,,,,,,\r\n"
    upload(c, "enterprises", "filled.csv", body.encode("utf-8-sig"))
    assert ImportJob.objects.get().status == "done"
    assert Enterprise.objects.filter(uscc=make_uscc(12)).exists()


def test_a_thousand_rows_go_through_the_task_with_progress_to_the_end(
    client_for, staff_user, industries
):
    c = client_for(staff_user)
    firms = [[make_uscc(i), f"企业{i}", "C26"] for i in range(1, 335)]
    upload(
        c,
        "enterprises",
        "firms.xlsx",
        xlsx_bytes(["统一社会信用代码", "企业名称", "行业代码"], firms),
    )
    rows = [
        [make_uscc(i), year, 1_000_000 + i, 20, 5]
        for i in range(1, 335)
        for year in (2022, 2023, 2024)
    ][:1000]
    response = upload(
        c,
        "figures",
        "figures.xlsx",
        xlsx_bytes(["统一社会信用代码", "年度", "营业收入", "职工总数", "科技人员数"], rows),
    )
    job = ImportJob.objects.get(kind="figures")
    assert (job.status, job.phase, job.rows_checked, job.rows_done, job.rows_total) == (
        "done",
        "finished",
        1000,
        1000,
        1000,
    )
    assert YearlyFigures.objects.count() == 1000
    page = c.get(response["Location"]).content.decode()
    assert "已写入 1000 / 1000 行" in page and "导入完成" in page
    progress = c.get(f"/enterprises/import/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in progress  # finished: polling stops


def test_a_running_job_polls_every_second(client_for, staff_user):
    job = ImportJob.objects.create(
        kind="figures",
        original_name="f.xlsx",
        created_by=staff_user,
        status="running",
        rows_total=10,
        rows_checked=4,
    )
    html = client_for(staff_user).get(f"/enterprises/import/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in html and "已校验 4 行" in html


def test_a_bad_file_fails_with_every_row_problem_shown(client_for, staff_user, industries):
    c = client_for(staff_user)
    rows = [[make_uscc(1), "甲"], [make_uscc(1)[:-1] + "0", "乙"], [make_uscc(1), "丙"]]
    response = upload(
        c, "enterprises", "bad.xlsx", xlsx_bytes(["统一社会信用代码", "企业名称"], rows)
    )
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.problem_count == 2
    html = c.get(response["Location"]).content.decode()
    assert "bad.xlsx 第3行 / row 3 · 统一社会信用代码 / uscc" in html
    assert "与第2行重复" in html and "未写入任何数据" in html
    assert not Enterprise.objects.exists()


def test_a_file_of_the_wrong_type_is_refused_at_once(client_for, staff_user):
    response = upload(client_for(staff_user), "figures", "report.pdf", b"%PDF-1.4")
    assert response.status_code == 200 and "只支持 .xlsx 或 .csv" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_is_kept_under_media_imports(client_for, staff_user, industries, media):
    upload(client_for(staff_user), "enterprises", "a.csv", "统一社会信用代码,企业名称\n".encode())
    job = ImportJob.objects.get()
    assert job.file.name.startswith("imports/") and (media / job.file.name).exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_a_job_waits_for_the_worker_then_runs(
    client_for, staff_user, industries, settings
):
    """The production set-up: the upload is queued, `kechuang db_worker` takes it."""
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    c = client_for(staff_user)
    rows = [[make_uscc(i), f"企业{i}"] for i in range(1, 6)]
    response = upload(
        c, "enterprises", "firms.xlsx", xlsx_bytes(["统一社会信用代码", "企业名称"], rows)
    )
    job = ImportJob.objects.get()
    assert job.status == "queued"
    assert "kechuang db_worker" in c.get(response["Location"]).content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.rows_done) == ("done", 5)
    assert Enterprise.objects.count() == 5
