"""The public plan page, the staff dashboard and an indicator's page."""

import pytest

from kechuang.indicators.models import DataElement, DataValue, OrgUnit

pytestmark = pytest.mark.django_db

NINE = [
    "RD_INTENSITY",
    "FISCAL_ST",
    "IND_RD_INTENSITY",
    "IND_RD_FIRM_SHARE",
    "HNTE_PER_10K_ENT",
    "HNTE_REVENUE_SHARE",
    "RD_PERSONNEL_PER_10K",
    "TECH_CONTRACT",
    "INVENTION_PATENTS_PER_10K",
]


def test_the_home_page_opens_the_only_plan(client, plan):
    r = client.get("/")
    assert r.status_code == 302 and r["Location"] == f"/plans/{plan.code}/"


def test_the_public_page_shows_the_plan_its_nine_indicators_and_tasks(client, demo):
    r = client.get(f"/plans/{demo.code}/")
    body = r.content.decode()
    assert "克独政发〔2022〕19号" in body
    assert [c[0].indicator.code for c in r.context["cards"]] == NINE
    assert "高新技术企业培育行动" in body
    assert "演示数据" in body, "demo figures are labelled"


def test_the_public_page_is_chinese_even_for_an_english_browser(client, plan):
    body = client.get(f"/plans/{plan.code}/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "关键指标" in body


def test_anonymous_visitors_never_see_a_draft_figure(client, plan):
    DataValue.objects.create(
        element=DataElement.objects.get(code="RD_EXP"),
        org_unit=OrgUnit.objects.get(code="650202"),
        year=2020,
        value=2448640000,
        status="draft",
        source="draft only",
    )
    r = client.get(f"/plans/{plan.code}/indicators/RD_INTENSITY/")
    assert "draft only" not in r.content.decode()
    assert r.context["data"]["series"][0]["value"] is None


def test_the_dashboard_needs_a_login(client, plan):
    r = client.get("/dashboard/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_an_enterprise_user_has_no_dashboard(client_for, enterprise_user):
    assert client_for(enterprise_user).get("/dashboard/").status_code == 403


def test_the_dashboard_has_a_card_and_chart_for_each_key_indicator(client_for, staff_user, demo):
    r = client_for(staff_user).get("/dashboard/")
    body = r.content.decode()
    assert [c[0].indicator.code for c in r.context["cards"]] == NINE
    assert body.count("data-chart") >= 9
    assert "/static/vendor/plotly/plotly.min.js" in body
    counts = r.context["status_counts"]
    assert sum(counts.values()) == len(r.context["cards"]) + len(r.context["supporting"])


def test_the_dashboard_query_count_is_flat(
    client_for, staff_user, demo, django_assert_max_num_queries
):
    """One query fetches every figure; more indicators or years add none."""
    c = client_for(staff_user)
    with django_assert_max_num_queries(13):
        assert c.get("/dashboard/").status_code == 200


def test_the_indicator_page_shows_provenance_and_warnings(client_for, staff_user, demo):
    r = client_for(staff_user).get(f"/plans/{demo.code}/indicators/INVENTION_PATENTS_PER_10K/")
    body = r.content.decode()
    assert "target_below_baseline" in {w["code"] for w in r.context["data"]["warnings"]}
    assert "演示数据（合成）" in body  # the source of each figure
    assert "INVENTION_PATENTS" in body and "POPULATION" in body


def test_an_unknown_indicator_is_404(client, plan):
    assert client.get(f"/plans/{plan.code}/indicators/NOPE/").status_code == 404


def test_english_is_one_click_away(client, plan):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(f"/plans/{plan.code}/").content.decode()
    assert "Dushanzi District S&amp;T Innovation Plan" in body


def test_the_dashboard_replays_an_earlier_year_with_a_forecast(client_for, staff_user, demo):
    r = client_for(staff_user).get("/dashboard/?as_of=2023")
    cards = {c[0].indicator.code: c[1] for c in r.context["cards"]}
    rd = cards["RD_INTENSITY"]
    assert rd["year"] == 2023 and rd["value"] == "1.60"
    assert [p["year"] for p in rd["series"]] == [2020, 2021, 2022, 2023]
    assert rd["forecast"]["value"] is not None, "two years left: the trend is projected"


def test_the_dashboard_exports_to_excel(client_for, staff_user, demo):
    import io

    from openpyxl import load_workbook

    r = client_for(staff_user).get(f"/dashboard/{demo.code}/export.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][3] == "2020" and rows[0][-3] == "状态 status"
    first = rows[1]
    assert first[0] == 1 and first[1].startswith("全社会研究与试验发展经费")
    assert first[-3] == "存在风险"
