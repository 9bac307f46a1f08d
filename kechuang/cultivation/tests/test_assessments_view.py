"""The assessment pages, per role: the bureau sees any enterprise, an enterprise user only its
own (another's answers 404), a reporter is refused, anyone not logged in is sent to log in."""

import pytest
from django.urls import reverse


def url(e):
    return reverse("cultivation:assessments", kwargs={"uscc": e.uscc})


@pytest.mark.django_db
class TestWhoMayRead:
    def test_staff_sees_every_rule_set_with_criteria_and_sources(
        self, client_for, staff_user, example_enterprise
    ):
        r = client_for(staff_user).get(url(example_enterprise))
        assert r.status_code == 200
        text = r.content.decode()
        for name in ("高新技术企业认定", "科技型中小企业评价", "中小企业划型"):
            assert name in text
        assert "国科发火〔2016〕32号" in text
        assert "差距分析" in text or "符合条件" in text

    def test_own_enterprise_user_sees_it(self, client_for, own_user, enterprise):
        assert client_for(own_user).get(url(enterprise)).status_code == 200

    def test_enterprise_user_never_reads_another(self, client_for, other_user, enterprise):
        assert client_for(other_user).get(url(enterprise)).status_code == 404

    def test_reporter_is_refused(self, client_for, reporter, enterprise):
        assert client_for(reporter).get(url(enterprise)).status_code == 403

    def test_anonymous_goes_to_login(self, client, enterprise):
        r = client.get(url(enterprise))
        assert r.status_code == 302 and "login" in r["Location"]

    def test_unknown_enterprise_is_404_for_staff(self, client_for, staff_user, uscc):
        from kechuang.enterprises.models import Enterprise

        e = Enterprise(uscc=uscc(999))
        assert client_for(staff_user).get(url(e)).status_code == 404


@pytest.mark.django_db
class TestSummaryOnRegistryPages:
    def test_detail_page_includes_the_summary(self, client_for, staff_user, example_enterprise):
        r = client_for(staff_user).get(
            reverse("enterprises:detail", kwargs={"uscc": example_enterprise.uscc})
        )
        assert "认定条件评估" in r.content.decode()

    def test_portal_shows_own_summary_only(self, client_for, own_user, enterprise):
        r = client_for(own_user).get(reverse("enterprises:mine"))
        text = r.content.decode()
        assert "认定条件评估" in text
        assert reverse("cultivation:assessments", kwargs={"uscc": enterprise.uscc}) in text
        assert "培育与服务记录" not in text  # the bureau's page is not linked for the enterprise


@pytest.mark.django_db
def test_gap_analysis_gives_numbers(client_for, staff_user, make_enterprise):
    import datetime as dt
    from decimal import Decimal

    from kechuang.enterprises.models import YearlyFigures

    e = make_enterprise(30, registered_on=dt.date(2015, 1, 1), high_tech_field="新材料")
    for year in (2023, 2024, 2025):
        YearlyFigures.objects.create(
            enterprise=e,
            year=year,
            status="approved",
            main_revenue=Decimal("100000000"),
            high_tech_income=Decimal("70000000"),
            rd_personnel=Decimal("1000000"),
            employees=Decimal(100),
            st_staff=Decimal(20),
        )
    r = client_for(staff_user).get(url(e))
    text = r.content.decode()
    assert "差距分析" in text
    assert "万元" in text
