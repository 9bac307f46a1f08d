"""Properties that must hold for any enterprise, checked on generated facts (hypothesis)."""

from dataclasses import fields, replace
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.core.criteria import CODES, Outcome, assess
from kechuang.core.criteria.facts import (
    Acquisition,
    AdvancementView,
    EnterpriseFacts,
    ExpertViews,
    Incident,
    IncidentKind,
    IPClass,
    IPKind,
    IPRight,
    IPStatus,
    Management,
    RDExpense,
    SupportView,
    YearFigures,
)
from kechuang.core.criteria.sme_size import TABLE

ON = date(2025, 6, 30)
RANK = {Outcome.NOT_ELIGIBLE: 0, Outcome.NEEDS_REVIEW: 1, Outcome.ELIGIBLE: 2}
CLASS_RANK = {"micro": 0, "small": 1, "medium": 2, "large": 3}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def money(low: int = 0, high: int = 500_000_000) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high * 100).map(lambda fen: Decimal(fen) / 100)


def maybe(strategy, chance_of_none: bool = True):
    return st.one_of(st.none(), strategy) if chance_of_none else strategy


@st.composite
def rd_expense(draw, partial: bool):
    return RDExpense(
        personnel=draw(money(0, 20_000_000)),
        direct_inputs=draw(money(0, 5_000_000)),
        design=draw(money(0, 1_000_000)),
        outsourced_domestic=draw(money(0, 5_000_000)),
        outsourced_overseas=draw(st.sampled_from([Decimal(0), Decimal(0), Decimal(1_000_000)])),
        other=draw(money(0, 5_000_000)),
        domestic=draw(maybe(money(0, 20_000_000))) if partial else None,
    )


@st.composite
def year_figures(draw, year: int, partial: bool):
    def opt(strategy):
        return draw(maybe(strategy)) if partial else draw(strategy)

    employees = draw(st.integers(1, 2000))
    main = opt(money(0, 400_000_000))
    total_income = None if main is None else main + draw(money(0, 5_000_000))
    assets = opt(money(1, 400_000_000))
    return YearFigures(
        year=year,
        main_revenue=main,
        other_revenue=draw(money(0, 5_000_000)),
        total_income=total_income if not partial or draw(st.booleans()) else None,
        high_tech_income=None if total_income is None else draw(money(0, 400_000_000)),
        rd=opt(rd_expense(partial)),
        employees=Decimal(employees),
        employees_year_end=Decimal(employees + draw(st.integers(0, 50))),
        st_staff=Decimal(draw(st.integers(0, employees))),
        rd_staff=Decimal(draw(st.integers(0, employees))),
        total_assets=assets,
        liabilities=None if assets is None else draw(money(0, 400_000_000)),
        net_profit=opt(money(0, 50_000_000)),
        cost_and_expense_total=opt(money(1, 400_000_000)),
        conversions=opt(st.integers(0, 9)),
    )


ip_rights = st.builds(
    IPRight,
    kind=st.sampled_from(
        [IPKind.INVENTION_PATENT, IPKind.UTILITY_MODEL, IPKind.SOFTWARE_COPYRIGHT]
    ),
    ip_class=st.just(IPClass.II),
    status=st.sampled_from(list(IPStatus)),
    valid=st.booleans(),
    acquisition=st.sampled_from(list(Acquisition)),
    used_for_hnte=st.booleans(),
    high_value=st.booleans(),
).map(lambda r: replace(r, ip_class=IPClass.I if r.kind is IPKind.INVENTION_PATENT else IPClass.II))


@st.composite
def enterprises(draw, partial: bool = False):
    def opt(strategy):
        return draw(maybe(strategy)) if partial else draw(strategy)

    years = tuple(draw(year_figures(y, partial)) for y in (2022, 2023, 2024))
    flags = st.booleans()
    management = Management(**{f.name: opt(flags) for f in fields(Management) if f.init})
    views = ExpertViews(
        ip_advancement=draw(maybe(st.sampled_from(list(AdvancementView)))),
        ip_core_support=draw(maybe(st.sampled_from(list(SupportView)))),
    )
    return EnterpriseFacts(
        name="生成企业",
        registered_on=opt(st.dates(date(2015, 1, 1), date(2025, 6, 1))),
        application_date=ON,
        size_industry=opt(st.sampled_from([row.code for row in TABLE.rows])),
        high_tech_field=opt(st.sampled_from(["新材料", "4.1", "9.9", "石油化工"])),
        resident=opt(flags),
        independent_legal_person=opt(flags),
        restricted_products=opt(flags),
        strategic_emerging_product=opt(flags),
        niche_since=opt(st.dates(date(2010, 1, 1), date(2025, 6, 1))),
        digital_level=opt(st.integers(0, 4)),
        quality_items=opt(st.integers(0, 3)),
        years=years,
        ip=opt(st.lists(ip_rights, max_size=8).map(tuple)),
        incidents=() if not partial else opt(st.just(())),
        listings=opt(st.just(())),
        awards=opt(st.just(())),
        standards=opt(st.just(())),
        rd_institutions=opt(st.just(())),
        certifications=opt(st.just(())),
        financing=opt(st.just(())),
        management=management if not partial or draw(flags) else None,
        expert_views=views,
    )


def _more_rd(facts: EnterpriseFacts, year: int, extra: Decimal) -> EnterpriseFacts:
    figures = []
    for y in facts.years:
        if y.year == year and y.rd is not None:
            rd = replace(y.rd, personnel=y.rd.personnel + extra)
            if rd.domestic is not None:
                rd = replace(rd, domestic=rd.domestic + extra)
            y = replace(y, rd=rd)
        figures.append(y)
    return replace(facts, years=tuple(figures))


@SETTINGS
@given(
    enterprises(partial=True),
    st.sampled_from([2022, 2023, 2024]),
    money(1, 50_000_000),
)
def test_more_r_and_d_never_turns_an_hnte_pass_into_a_fail(facts, year, extra):
    before = assess("hnte", facts, ON)
    after = assess("hnte", _more_rd(facts, year, extra), ON)
    assert RANK[after.outcome] >= RANK[before.outcome]
    statuses = {c.code: c.status.value for c in before.criteria}
    for c in after.criteria:
        if statuses[c.code] == "pass" and c.code in ("hnte.rd_ratio", "hnte.rd_domestic"):
            assert c.status.value == "pass", c.explanation_en


@SETTINGS
@given(
    st.sampled_from(TABLE.rows),
    st.integers(0, 5000),
    money(0, 3_000_000_000),
    money(0, 3_000_000_000),
    st.integers(0, 5000),
    money(0, 1_000_000_000),
)
def test_size_class_never_falls_as_employees_and_revenue_rise(
    row, employees, revenue, assets, more_people, more_revenue
):
    def size(e, r):
        figures = YearFigures(
            2024,
            operating_revenue_declared=r,
            employees_year_end=Decimal(e),
            total_assets=assets,
        )
        facts = EnterpriseFacts(name="x", size_industry=row.code, years=(figures,))
        return assess("sme_size", facts, ON).classification.code

    assert (
        CLASS_RANK[size(employees + more_people, revenue + more_revenue)]
        >= CLASS_RANK[size(employees, revenue)]
    )


@SETTINGS
@given(enterprises(), st.integers(0, 2000))
def test_more_st_staff_never_lowers_the_tech_sme_score(facts, more):
    latest = facts.year(2024)
    raised = min(latest.employees, latest.st_staff + more)
    richer = replace(
        facts,
        years=tuple(replace(y, st_staff=raised) if y.year == 2024 else y for y in facts.years),
    )
    before = assess("tech_sme", facts, ON).score
    after = assess("tech_sme", richer, ON).score
    assert after.min_points >= before.min_points
    assert after.max_points >= before.max_points


@SETTINGS
@given(enterprises(partial=True), st.sampled_from(CODES), st.sampled_from([ON, date(2026, 4, 1)]))
def test_score_range_is_ordered_and_every_result_explains_itself(facts, code, on):
    r = assess(code, facts, on)
    if r.score is not None:
        s = r.score
        assert 0 <= s.min_points <= s.max_points <= s.full_marks
        for it in s.items:
            assert 0 <= it.min_points <= it.max_points <= it.full_marks, it.code
        for cat in s.categories:
            assert cat.min_points <= cat.max_points <= cat.full_marks, cat.code
        assert s.min_points == sum(c.min_points for c in s.categories)
        assert s.max_points == sum(c.max_points for c in s.categories)
    for c in r.criteria:
        assert c.explanation_zh and c.explanation_en, c.code
        if c.status.value == "needs_review" and c.missing:
            assert c.explanation_zh.startswith("缺少数据") or "缺少数据" in c.explanation_zh
    assert r.outcome in RANK


@SETTINGS
@given(enterprises(), st.integers(1, 365))
def test_an_incident_within_the_year_always_fails_hnte(facts, days_before):
    from datetime import timedelta

    incident = Incident(IncidentKind.SAFETY, ON - timedelta(days=days_before))
    r = assess("hnte", replace(facts, incidents=(incident,)), ON)
    assert r.outcome is Outcome.NOT_ELIGIBLE
