"""One report's page: progress while it is generated (polled by htmx), versions, regenerate."""

import pytest
from django.urls import reverse

from kechuang.reports import builders
from kechuang.reports.models import Report


def test_a_report_being_generated_shows_its_progress_and_polls(
    demo, make_report, staff_user, client_for
):
    report = make_report("yearly", state="running", plan=demo, year=2024)
    Report.objects.filter(pk=report.pk).update(progress=46, step="绘制指标图表：财政科技支出")
    client = client_for(staff_user)
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'aria-valuenow="46"' in html
    assert "绘制指标图表：财政科技支出" in html
    assert f'hx-get="{reverse("reports:progress", args=[report.pk])}"' in html
    partial = client.get(reverse("reports:progress", args=[report.pk]))
    assert partial.status_code == 200
    assert "46%" in partial.content.decode()
    assert "no-cache" in partial["Cache-Control"]


def test_a_finished_report_stops_polling_and_offers_the_download_and_its_notes(
    reports, staff_user, client_for
):
    report = reports["yearly"]
    Report.objects.filter(pk=report.pk).update(notes=["图表未使用中文字体"])
    html = client_for(staff_user).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "hx-trigger" not in html.split('id="report-progress"')[1].split(">")[0]
    assert reverse("reports:download", args=[report.pk]) in html
    assert "图表未使用中文字体" in html
    assert "按最新数据重新生成" in html


def test_a_failed_report_says_why(demo, make_report, staff_user, client_for):
    report = make_report("yearly", state="failed", plan=demo, year=2024)
    Report.objects.filter(pk=report.pk).update(error="生成时发生内部错误，请联系管理员。")
    html = client_for(staff_user).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "报告未能生成" in html and "生成时发生内部错误" in html


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [
        ("own_user", "enterprise", 200),
        ("other_enterprise_user", "enterprise", 404),
        ("reporter", "department", 200),
        ("other_reporter", "department", 404),
        ("reporter", "yearly", 404),
        ("expert_user", "yearly", 404),
        ("admin_user", "department", 200),
    ],
)
def test_the_page_and_its_progress_are_shown_only_to_those_who_may_see_the_report(
    reports, who, kind, status, request, client_for
):
    client = client_for(request.getfixturevalue(who))
    pk = reports[kind].pk
    assert client.get(reverse("reports:detail", args=[pk])).status_code == status
    assert client.get(reverse("reports:progress", args=[pk])).status_code == status


def test_non_bureau_readers_see_no_regenerate_button(reports, own_user, client_for):
    html = (
        client_for(own_user)
        .get(reverse("reports:detail", args=[reports["enterprise"].pk]))
        .content.decode()
    )
    assert "按最新数据重新生成" not in html


def test_regenerate_makes_a_new_version_and_lists_both(
    reports, demo, staff_user, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        builders,
        "yearly_report",
        lambda plan, year, *, progress: builders.Built(b"new", "t", []),
    )
    old = reports["yearly"]
    client = client_for(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:regenerate", args=[old.pk]))
    new = Report.objects.get(subject=old.subject, version=2)
    assert response["Location"] == reverse("reports:detail", args=[new.pk])
    html = client.get(response["Location"]).content.decode()
    assert "v1" in html and "v2" in html
    assert client.get(reverse("reports:download", args=[old.pk])).status_code == 200


def test_regenerate_is_refused_to_readers_outside_the_bureau(reports, own_user, client_for):
    response = client_for(own_user).post(
        reverse("reports:regenerate", args=[reports["enterprise"].pk])
    )
    assert response.status_code == 403
    assert Report.objects.count() == 3
