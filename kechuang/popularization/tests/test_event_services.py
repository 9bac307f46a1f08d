"""Recording events: turnout never negative, never before the organiser existed or before the
base was recognised; attachments judged by their content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kechuang.core.problems import Rejected
from kechuang.popularization import services
from kechuang.popularization.models import Event, EventAttachment
from kechuang.supervision.tests.files import CONTENTS


def test_an_event_is_recorded_with_its_organiser_base_and_turnout(make_event, base):
    e = make_event(participants=1500, base=base, ends_on=dt.date(2024, 9, 16))
    assert (e.participants, e.base, e.ends_on) == (1500, base, dt.date(2024, 9, 16))
    assert e.organizer_display == "独山子区科学技术协会"


def test_a_one_day_event_ends_the_day_it_starts(make_event):
    e = make_event(starts_on=dt.date(2024, 5, 20))
    assert e.ends_on == dt.date(2024, 5, 20)


def test_negative_participants_are_refused(make_event):
    with pytest.raises(Rejected) as exc:
        make_event(participants=-20)
    (p,) = exc.value.problems
    assert "参加人数不能为负数（-20）" in p.message_zh and "participants" in p.where
    assert not Event.objects.exists()


def test_an_event_before_its_organiser_was_registered_is_refused(make_event, make_enterprise):
    firm = make_enterprise(1, registered_on=dt.date(2023, 3, 1))
    with pytest.raises(Rejected) as exc:
        make_event(organizer=firm.organization, starts_on=dt.date(2022, 6, 18))
    assert "早于主办单位" in str(exc.value) and "成立（2023-03-01）" in str(exc.value)
    assert make_event(organizer=firm.organization, starts_on=dt.date(2023, 6, 18)).pk


def test_an_event_before_its_base_was_recognised_is_refused(make_event, make_carrier):
    late = make_carrier(
        "新科普基地", "popularization_base", "city", recognised_on=dt.date(2023, 9, 1)
    )
    with pytest.raises(Rejected) as exc:
        make_event(base=late, starts_on=dt.date(2023, 5, 20))
    assert "早于科普基地「新科普基地」认定（2023-09-01）" in str(exc.value)


def test_only_a_popularization_base_can_be_the_base(make_event, make_carrier):
    lab = make_carrier("某实验室", "key_lab", "city")
    with pytest.raises(Rejected) as exc:
        make_event(base=lab)
    assert "所选载体不是科普基地" in str(exc.value)


def test_turnout_waits_until_the_event_has_happened(make_event):
    later = timezone.localdate() + dt.timedelta(days=10)
    with pytest.raises(Rejected) as exc:
        make_event(starts_on=later, participants=100)
    assert "尚未开始" in str(exc.value)
    assert make_event(starts_on=later).participants is None


def test_dates_venue_and_organiser_are_checked_together(staff_user):
    with pytest.raises(Rejected) as exc:
        services.create_event(
            staff_user,
            title="",
            kind="party",
            starts_on=dt.date(2024, 5, 2),
            ends_on=dt.date(2024, 5, 1),
            venue="",
            audience="aliens",
        )
    text = str(exc.value)
    for part in ("活动名称", "活动类型", "面向人群", "地点", "主办单位", "早于开始日期"):
        assert part in text


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user"])
def test_only_the_bureau_records_events(request, who, kx):
    with pytest.raises(PermissionDenied):
        services.create_event(request.getfixturevalue(who), title="x", organizer=kx)


def test_photos_and_reports_are_kept_and_judged_by_content(staff_user, make_event, media):
    e = make_event()
    photo = SimpleUploadedFile("合影.png", CONTENTS["png"])
    (att,) = services.attach(staff_user, e, [photo], "photo")
    assert att.content_type == "image/png" and att.original_name == "合影.png"
    assert (media / att.file.name).exists() and "合影" not in att.file.name
    fake = SimpleUploadedFile("总结.pdf", CONTENTS["exe"])
    with pytest.raises(Rejected) as exc:
        services.attach(staff_user, e, [fake], "report")
    assert "与扩展名 .pdf 不符" in str(exc.value)
    word = SimpleUploadedFile("总结.docx", CONTENTS["docx"])
    with pytest.raises(Rejected):
        services.attach(staff_user, e, [word], "photo")
    assert EventAttachment.objects.count() == 1


def test_an_event_can_be_recorded_with_its_photos_at_once(make_event):
    e = make_event(files=[SimpleUploadedFile("a.jpg", CONTENTS["jpeg"])], file_kind="photo")
    assert e.attachments.count() == 1
