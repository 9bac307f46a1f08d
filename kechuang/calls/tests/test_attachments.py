"""Attachments: PDF, Word and Excel only, judged by content; stored privately; served only to
the applicant, the bureau (and, through the permission, whoever the reviews app lets in)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.calls import services
from kechuang.calls.models import Attachment
from kechuang.core.problems import Rejected
from kechuang.supervision.tests.files import CONTENTS


def files_on_disk(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def attached(own_user, draft, upload):
    [a] = services.add_attachment(own_user, draft, [upload("可行性报告.pdf")])
    return a


def url(a) -> str:
    return f"/calls/attachments/{a.pk}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- adding and removing ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["申报书.pdf", "预算.xlsx", "说明.docx", "旧版.doc", "旧表.xls"])
def test_documents_are_attached_under_a_private_random_name(own_user, draft, upload, media, name):
    [a] = services.add_attachment(own_user, draft, [upload(name)])
    assert a.original_name == name and a.uploaded_by == own_user
    assert a.file.name.startswith("applications/") and name not in a.file.name
    assert (media / a.file.name).read_bytes() == CONTENTS[name.rsplit(".", 1)[1]]
    assert len(a.sha256) == 64 and a.size == len(CONTENTS[a.kind])


@pytest.mark.parametrize(
    ("name", "kind"), [("申报书.pdf", "docx"), ("预算.xlsx", "exe"), ("说明.docx", "pdf")]
)
def test_content_that_does_not_match_the_extension_is_refused(
    own_user, draft, upload, media, name, kind
):
    with pytest.raises(Rejected) as exc:
        services.add_attachment(own_user, draft, [upload(name, kind=kind)])
    assert "与扩展名" in exc.value.problems[0].message_zh
    assert name in exc.value.problems[0].where
    assert not Attachment.objects.exists() and not files_on_disk(media)


@pytest.mark.parametrize("name", ["照片.png", "图.jpg", "程序.exe", "无扩展名"])
def test_images_and_other_files_are_not_accepted(own_user, draft, upload, name):
    content = CONTENTS["png"] if name.endswith(".png") else CONTENTS["jpeg"]
    with pytest.raises(Rejected) as exc:
        services.add_attachment(own_user, draft, [upload(name, content=content)])
    assert "只接受 PDF、Word（.docx）、Word（.doc）、Excel（.xlsx）、Excel（.xls）" in (
        exc.value.problems[0].message_zh
    )


def test_a_file_over_the_size_limit_is_refused(own_user, draft, upload, settings, media):
    settings.KECHUANG_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = CONTENTS["pdf"] + b"0" * (1024 * 1024)
    with pytest.raises(Rejected) as exc:
        services.add_attachment(own_user, draft, [upload("大文件.pdf", content=big)])
    assert "超过上限 1 MB" in exc.value.problems[0].message_zh
    assert not files_on_disk(media)


def test_one_bad_file_refuses_the_whole_upload(own_user, draft, upload, media):
    with pytest.raises(Rejected):
        services.add_attachment(own_user, draft, [upload("好.pdf"), upload("坏.xlsx", kind="pdf")])
    assert not Attachment.objects.exists() and not files_on_disk(media)


def test_at_most_twenty_attachments(own_user, draft, upload):
    services.add_attachment(own_user, draft, [upload(f"{i}.pdf") for i in range(10)])
    services.add_attachment(own_user, draft, [upload(f"b{i}.pdf") for i in range(10)])
    with pytest.raises(Rejected) as exc:
        services.add_attachment(own_user, draft, [upload("多余.pdf")])
    assert "最多 20 个附件（已有 20 个）" in exc.value.problems[0].message_zh


def test_nothing_is_attached_after_submission(own_user, submitted, upload):
    with pytest.raises(Rejected) as exc:
        services.add_attachment(own_user, submitted, [upload("补充.pdf")])
    assert "不能再修改" in exc.value.problems[0].message_zh


@pytest.mark.parametrize("who", ["other_user", "staff_user", "expert_user"])
def test_only_the_applicant_attaches(role, draft, upload, who):
    with pytest.raises(PermissionDenied):
        services.add_attachment(role(who), draft, [upload("x.pdf")])


def test_removing_deletes_the_row_and_the_file(
    own_user, attached, media, django_capture_on_commit_callbacks
):
    path = media / attached.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(own_user, attached)
    assert not Attachment.objects.exists() and not path.exists()


def test_a_returned_application_may_drop_an_attachment(staff_user, own_user, attached):
    app = services.submit(own_user, attached.application)
    services.formal_check(staff_user, app, False, "附件有误", returned=True)
    attached.refresh_from_db()
    services.remove_attachment(own_user, attached)
    assert not Attachment.objects.exists()


def test_attachments_of_a_submitted_application_stay(own_user, attached):
    services.submit(own_user, attached.application)
    attached.refresh_from_db()
    with pytest.raises(Rejected):
        services.remove_attachment(own_user, attached)
    assert Attachment.objects.count() == 1


def test_another_enterprise_cannot_remove_an_attachment(other_user, attached):
    with pytest.raises(PermissionDenied):
        services.remove_attachment(other_user, attached)


# --- serving ------------------------------------------------------------------------------------


def test_the_applicant_downloads_its_file_under_its_original_name(client_for, own_user, attached):
    response = client_for(own_user).get(url(attached))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "%E5%8F%AF%E8%A1%8C" in response["Content-Disposition"]  # 可行
    assert body(response) == CONTENTS["pdf"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["staff_user", "admin_user"])
def test_the_bureau_downloads_any_attachment(role, client_for, attached, who):
    assert client_for(role(who)).get(url(attached)).status_code == 200


@pytest.mark.parametrize(
    "who", ["other_user", "enterprise_user", "reporter", "expert_user", "provider_user"]
)
def test_anyone_else_is_told_the_file_does_not_exist(role, client_for, attached, who):
    assert client_for(role(who)).get(url(attached)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, attached):
    response = client.get(url(attached))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_permission_decides_so_the_reviews_app_can_let_experts_in(
    client_for, expert_user, attached
):
    import rules

    from kechuang.calls.rules import can_view_application

    @rules.predicate
    def assigned(user, application):
        return user.role == "expert"

    # Whatever is registered now (the reviews app has already widened it) is put back after.
    registered = rules.permissions.permissions["calls.view_application"]
    rules.set_perm("calls.view_application", can_view_application | assigned)
    try:
        assert client_for(expert_user).get(url(attached)).status_code == 200
    finally:
        rules.set_perm("calls.view_application", registered)


def test_a_missing_file_or_unknown_attachment_is_not_found(client_for, staff_user, attached, media):
    c = client_for(staff_user)
    assert c.get("/calls/attachments/999999/").status_code == 404
    (media / attached.file.name).unlink()
    assert c.get(url(attached)).status_code == 404


def test_files_are_not_reachable_under_media_url(client_for, staff_user, attached):
    assert client_for(staff_user).get(f"/media/{attached.file.name}").status_code == 404
