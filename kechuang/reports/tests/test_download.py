"""Downloads are served only after the permission check: to anyone else a report does not exist."""

import pytest
from django.urls import reverse

# Who may download which kind: the bureau everything; an enterprise's users its profile; a
# department's reporters its task report.
ALLOWED = {
    "admin_user": {"yearly", "enterprise", "department"},
    "staff_user": {"yearly", "enterprise", "department"},
    "reporter": {"department"},  # 统计局 (tjj), the department of the report
    "other_reporter": set(),  # 财政局
    "own_user": {"enterprise"},
    "other_enterprise_user": set(),
    "expert_user": set(),
    "provider_user": set(),
}


@pytest.mark.parametrize("who", ALLOWED)
@pytest.mark.parametrize("kind", ["yearly", "enterprise", "department"])
def test_each_role_downloads_exactly_the_reports_it_may(reports, who, kind, request, client_for):
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse("reports:download", args=[reports[kind].pk]))
    if kind in ALLOWED[who]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"PK-test-" + kind.encode()
        assert "attachment" in response["Content-Disposition"]
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    else:
        assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(reports, client):
    response = client.get(reverse("reports:download", args=[reports["yearly"].pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_report_still_being_generated_has_nothing_to_download(
    demo, make_report, staff_user, client_for
):
    queued = make_report("yearly", state="queued", plan=demo, year=2023)
    response = client_for(staff_user).get(reverse("reports:download", args=[queued.pk]))
    assert response.status_code == 404


def test_a_file_missing_on_disk_is_404_not_an_error(reports, staff_user, client_for):
    reports["yearly"].file.delete(save=False)
    response = client_for(staff_user).get(reverse("reports:download", args=[reports["yearly"].pk]))
    assert response.status_code == 404
