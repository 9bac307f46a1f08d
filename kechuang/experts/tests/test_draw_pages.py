"""The public draw pages: the record from creation, the result once drawn, nothing personal."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.utils import timezone

from kechuang.core import draw as D
from kechuang.experts import identity, services
from kechuang.experts.models import Draw
from kechuang.experts.tests.conftest import id_number


@pytest.fixture
def committed(staff_user, make_expert, org, expert_user):
    for n, unit in enumerate(["甲所", "甲所", "乙所", "丙所", "丁所"], start=1):
        make_expert(
            n,
            name=f"秘密姓名{n}",
            organization_name=unit,
            phone=f"1390000000{n}",
            email=f"e{n}@example.invalid",
            specialty=f"特长{n}",
            user=expert_user if n == 1 else None,
        )
    make_expert(
        6,
        name="秘密姓名6",
        organization=org,
        available=False,
        unavailable_reason="住院（私密）",
    )
    candidates, exclusions = services.expert_pool(
        fields=["新材料"], applicant_orgs=[org], on=timezone.localdate()
    )
    return services.create_draw(
        staff_user,
        purpose="评审专家抽取",
        kind="review",
        candidates=candidates,
        exclusions=exclusions,
        k=2,
        max_per=services.DEFAULT_MAX_PER,
        require_field_overlap=True,
        application_fields=["新材料"],
        subject_label="项目 X 评审",
    )


@pytest.fixture
def published(committed, staff_user):
    return services.perform_draw(staff_user, committed)


def page(client, draw) -> str:
    response = client.get(f"/draws/{draw.draw_id}/")
    assert response.status_code == 200
    return response.content.decode()


def assert_nothing_personal(html: str) -> None:
    for n in range(1, 7):
        for secret in (f"秘密姓名{n}", f"1390000000{n}", f"e{n}@example.invalid", id_number(n)):
            assert secret not in html
        assert identity.mask(id_number(n)) not in html
    assert "住院" not in html and "特长1" not in html


def test_anyone_sees_the_list(client, committed):
    html = client.get("/draws/").content.decode()
    assert committed.draw_id in html and "评审专家抽取" in html and "6 / 1 / 2" in html


def test_the_list_filters_and_stays_within_a_few_queries(
    client, committed, published, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        assert client.get("/draws/?state=published").status_code == 200
    assert client.get("/draws/?q=no-such").content.decode().count("暂无抽取记录") == 1


def test_an_empty_list_says_what_will_appear(client, db):
    assert "暂无抽取记录" in client.get("/draws/").content.decode()


def test_before_the_draw_the_page_shows_record_commitment_and_hash_not_the_seed(client, committed):
    html = page(client, committed)
    assert committed.commitment in html and committed.record_sha256 in html
    assert "抽取前保密" in html and "项目 X 评审" in html
    assert "E00006" in html and "同单位 / same organisation as the applicant" in html
    seed = identity.decrypt(committed.seed_token)
    assert seed not in html
    assert "执行抽取" not in html
    assert client.get(f"/draws/{committed.draw_id}.json").status_code == 404
    assert_nothing_personal(html)


def test_the_record_file_hashes_to_the_published_value(client, committed):
    response = client.get(f"/draws/{committed.draw_id}/record.json")
    assert hashlib.sha256(response.content).hexdigest() == committed.record_sha256
    assert identity.decrypt(committed.seed_token) not in response.content.decode()
    assert_nothing_personal(response.content.decode())


def test_after_the_draw_everything_is_shown_and_downloadable(client, published, tmp_path):
    html = page(client, published)
    assert published.seed_hex in html
    for code in services.chosen(published):
        assert code in html
    assert f"kechuang verify-draw {published.draw_id}.json --record-sha256 " in html
    assert published.record_sha256 in html
    first_key = published.result["order"][0]["key"]
    assert first_key in html
    assert_nothing_personal(html)
    export = client.get(f"/draws/{published.draw_id}.json")
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    data = json.loads(export.content)
    assert D.verify(data, published_record_sha256=published.record_sha256).ok
    assert_nothing_personal(export.content.decode())


def test_skips_during_the_choice_show_their_reason(client, published):
    html = page(client, published)
    for s in published.result["skipped"]:
        if s["phase"] == "chosen":
            assert s["reason_zh"] in html


def test_bureau_users_see_the_names_of_those_drawn(client_for, staff_user, published):
    html = page(client_for(staff_user), published)
    names = [e.name for e in services.experts_by_code(services.chosen(published))]
    assert names and all(n in html for n in names)
    assert "秘密姓名6" not in html  # excluded: never drawn, so not named


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_other_logins_see_the_public_page_only(as_role, who, published):
    html = page(as_role(who), published)
    assert "执行抽取" not in html
    assert_nothing_personal(html)


def test_the_bureau_performs_the_draw_from_the_page(client_for, staff_user, committed):
    c = client_for(staff_user)
    assert "执行抽取" in page(c, committed)
    response = c.post(f"/draws/{committed.draw_id}/perform/", follow=True)
    assert "种子与结果已公布" in response.content.decode()
    committed.refresh_from_db()
    assert committed.state == Draw.State.PUBLISHED
    again = c.post(f"/draws/{committed.draw_id}/perform/", follow=True)
    assert "已经完成，不能再次抽取" in again.content.decode()


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_nobody_else_can_perform_it(as_role, who, committed):
    assert as_role(who).post(f"/draws/{committed.draw_id}/perform/").status_code == 403
    committed.refresh_from_db()
    assert committed.state == Draw.State.COMMITTED


def test_anonymous_visitors_cannot_perform_it(client, committed):
    assert client.post(f"/draws/{committed.draw_id}/perform/").status_code == 302
    committed.refresh_from_db()
    assert committed.state == Draw.State.COMMITTED


def test_an_unknown_draw_is_404(client, db):
    assert client.get("/draws/DR-2000-0001/").status_code == 404
    assert client.get("/draws/DR-2000-0001.json").status_code == 404


def test_the_api_shows_the_same_public_facts(client, committed, staff_user):
    listed = client.get("/api/draws").json()
    assert listed["items"][0]["draw_id"] == committed.draw_id
    one = client.get(f"/api/draws/{committed.draw_id}").json()
    assert one["seed"] is None and one["result"] is None and one["record"] == committed.record
    assert client.get(f"/api/draws/{committed.draw_id}/export").status_code == 404
    services.perform_draw(staff_user, committed)
    one = client.get(f"/api/draws/{committed.draw_id}").json()
    assert one["seed"] and one["result"]["chosen"]
    export = client.get(f"/api/draws/{committed.draw_id}/export").json()
    assert D.verify(export, published_record_sha256=committed.record_sha256).ok
    assert_nothing_personal(json.dumps(one, ensure_ascii=False))


def test_the_api_documents_the_draws_and_the_library(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/draws", "/api/draws/{draw_id}", "/api/draws/{draw_id}/export"} <= set(paths)
    assert "/api/experts" in paths
