"""File imports: every bad row is named by row and field, a file is all-or-nothing, and a
re-import updates instead of duplicating."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.enterprises.imports import FileRejected, import_file
from kechuang.enterprises.models import Enterprise, IntellectualProperty, YearlyFigures
from kechuang.enterprises.tables import ENTERPRISE_COLUMNS, FIGURE_COLUMNS, IP_COLUMNS
from kechuang.enterprises.tests.conftest import make_uscc

E_HEAD = ["统一社会信用代码", "企业名称", "成立日期", "行业代码", "园区代码", "高新技术领域"]
F_HEAD = [
    "统一社会信用代码 / uscc",
    "年度 / year",
    "营业收入 / operating revenue",
    "主营业务收入",
    "职工总数",
    "科技人员数",
    "研发-人员人工费用",
    "境内研究开发费用",
    "收入总额",
    "高新技术产品（服务）收入",
    "数据来源",
]
IP_HEAD = ["统一社会信用代码", "知识产权类型", "号码", "名称", "授权日"]


def firms(n: int, start: int = 1) -> list[list]:
    return [
        [make_uscc(i), f"新疆独山子第{i}化工有限公司", "2015-06-01", "C26", "dsz-etdz", "新材料"]
        for i in range(start, start + n)
    ]


def figure_row(uscc: str, year: int = 2024, **over) -> list:
    row = {
        "uscc": uscc,
        "year": year,
        "revenue": 10_000_000,
        "main": 9_000_000,
        "employees": 50,
        "st": 10,
        "rd": 600_000,
        "domestic": 500_000,
        "income": 10_200_000,
        "high": 7_000_000,
        "source": "纳税申报表",
    } | over
    return list(row.values())


def rejected(*args, **kwargs) -> FileRejected:
    with pytest.raises(FileRejected) as exc:
        import_file(*args, **kwargs)
    return exc.value


def texts(exc: FileRejected) -> list[str]:
    return [str(p) for p in exc.problems]


@pytest.fixture
def registered(staff_user, park, industries, write_file):
    import_file(staff_user, write_file("firms.xlsx", E_HEAD, firms(3)), "enterprises")
    return [make_uscc(i) for i in range(1, 4)]


# --- enterprises -----------------------------------------------------------------------------


def test_enterprises_are_created_with_their_organisations(staff_user, park, industries, write_file):
    result = import_file(staff_user, write_file("firms.xlsx", E_HEAD, firms(3)), "enterprises")
    assert (result.rows, result.created, result.updated) == (3, 3, 0)
    e = Enterprise.objects.select_related("industry", "park", "organization").get(uscc=make_uscc(2))
    assert (e.industry.code, e.park, e.high_tech_field, e.organization.kind) == (
        "C26",
        park,
        "新材料",
        "enterprise",
    )
    assert LogEntry.objects.filter(additional_data__bulk=True).count() == 3


def test_a_reimport_updates_and_never_duplicates(staff_user, registered, write_file):
    rows = firms(3)
    rows[0][1] = "新疆独山子改名化工有限公司"
    result = import_file(staff_user, write_file("again.csv", E_HEAD, rows), "enterprises")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert Enterprise.objects.count() == 3
    assert Organization.objects.get(code=f"ent-{make_uscc(1).lower()}").name == rows[0][1]


def test_a_wrong_check_character_names_row_field_and_the_expected_character(
    staff_user, park, industries, write_file
):
    from stdnum.cn import uscc

    rows = firms(3)
    good = rows[1][0]
    rows[1][0] = good[:-1] + ("0" if good[-1] != "0" else "1")
    exc = rejected(staff_user, write_file("firms.xlsx", E_HEAD, rows), "enterprises")
    (problem,) = texts(exc)
    assert "firms.xlsx 第3行 / row 3 · 统一社会信用代码 / uscc" in problem
    assert f"应为「{uscc.calc_check_digit(good[:-1])}」" in problem
    assert not Enterprise.objects.exists() and not Organization.objects.filter(kind="enterprise")


def test_the_same_uscc_twice_in_a_file_is_refused(staff_user, park, industries, write_file):
    rows = firms(2) + firms(1)
    exc = rejected(staff_user, write_file("firms.csv", E_HEAD, rows), "enterprises")
    assert any("第4行" in p and "与第2行重复" in p for p in texts(exc))
    assert not Enterprise.objects.exists()


def test_unknown_codes_and_bad_dates_are_named(staff_user, park, industries, write_file):
    rows = firms(2)
    rows[0][3] = "X99"
    rows[1][2] = "2020-13-45"
    exc = rejected(staff_user, write_file("firms.csv", E_HEAD, rows), "enterprises")
    joined = "\n".join(texts(exc))
    assert "第2行 / row 2 · 行业代码 / industry" in joined and "X99" in joined
    assert "第3行 / row 3 · 成立日期 / registered_on" in joined


def test_a_missing_required_column_is_named(staff_user, industries, write_file):
    exc = rejected(staff_user, write_file("firms.csv", ["企业名称"], [["某公司"]]), "enterprises")
    assert "第1行" in texts(exc)[0] and "统一社会信用代码" in texts(exc)[0]


def test_an_excel_csv_in_gb18030_is_read(staff_user, park, industries, write_file):
    path = write_file("gbk.csv", E_HEAD, firms(2), encoding="gb18030")
    assert import_file(staff_user, path, "enterprises").created == 2
    assert Enterprise.objects.filter(name__startswith="新疆独山子").count() == 2


@pytest.mark.parametrize("role", ["reporter", "enterprise"])
def test_only_the_bureau_imports(plan, role, write_file):
    from kechuang.accounts.models import User

    user = User.objects.create_user(username="t_x", password="x", role=role)
    with pytest.raises(PermissionDenied):
        import_file(user, write_file("f.csv", E_HEAD, firms(1)), "enterprises")


# --- yearly figures --------------------------------------------------------------------------


def test_figures_are_imported_and_reimported_by_uscc_and_year(staff_user, registered, write_file):
    rows = [figure_row(u, y) for u in registered for y in (2023, 2024)]
    result = import_file(staff_user, write_file("f.xlsx", F_HEAD, rows), "figures")
    assert (result.created, YearlyFigures.objects.count()) == (6, 6)
    f = YearlyFigures.objects.get(enterprise__uscc=registered[0], year=2024)
    assert (f.operating_revenue, f.st_staff, f.status, f.source) == (
        Decimal("10000000.00"),
        Decimal("10"),
        "submitted",
        "纳税申报表",
    )
    rows[0][2] = 12_000_000
    again = import_file(staff_user, write_file("f2.xlsx", F_HEAD, rows), "figures")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 5)
    assert YearlyFigures.objects.count() == 6


def test_imported_figures_can_be_approved_at_once_by_the_bureau(staff_user, registered, write_file):
    path = write_file("f.csv", F_HEAD, [figure_row(registered[0])])
    import_file(staff_user, path, "figures", approve=True)
    f = YearlyFigures.objects.get()
    assert (f.status, f.approved_by) == ("approved", staff_user)


def test_a_reimport_over_approved_figures_sends_them_back_for_review(
    staff_user, registered, write_file
):
    import_file(
        staff_user,
        write_file("a.csv", F_HEAD, [figure_row(registered[0])]),
        "figures",
        approve=True,
    )
    changed = figure_row(registered[0], employees=60)
    import_file(staff_user, write_file("b.csv", F_HEAD, [changed]), "figures")
    f = YearlyFigures.objects.get()
    assert (f.status, f.employees, f.approved_by) == ("submitted", 60, None)
    entry = LogEntry.objects.get_for_object(f).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["employees"] == ["50.00", "60.00"]


@pytest.mark.parametrize(
    ("over", "field", "says"),
    [
        ({"revenue": -5}, "营业收入 / operating_revenue", "不能为负数"),
        ({"st": 80}, "科技人员数 / st_staff", "超过职工总数"),
        ({"domestic": 700_000}, "境内研究开发费用 / rd_domestic", "超过研发费用合计"),
        ({"high": 11_000_000}, "高新技术产品（服务）收入 / high_tech_income", "超过总收入"),
        ({"year": 2999}, "年度 / year", "尚未开始"),
        ({"revenue": "一千万"}, "营业收入 / operating_revenue", "不是数字"),
    ],
)
def test_each_bad_figure_names_row_and_field_and_nothing_is_written(
    staff_user, registered, write_file, over, field, says
):
    rows = [figure_row(registered[0]), figure_row(registered[1], **over)]
    exc = rejected(staff_user, write_file("f.xlsx", F_HEAD, rows), "figures")
    assert any(f"f.xlsx 第3行 / row 3 · {field}" in p and says in p for p in texts(exc)), texts(exc)
    assert not YearlyFigures.objects.exists()


def test_figures_for_an_unregistered_enterprise_are_refused(staff_user, registered, write_file):
    exc = rejected(staff_user, write_file("f.csv", F_HEAD, [figure_row(make_uscc(99))]), "figures")
    assert "尚未登记" in texts(exc)[0] and "第2行" in texts(exc)[0]


def test_the_same_enterprise_and_year_twice_is_refused(staff_user, registered, write_file):
    rows = [figure_row(registered[0]), figure_row(registered[0])]
    exc = rejected(staff_user, write_file("f.csv", F_HEAD, rows), "figures")
    assert "与第2行重复" in texts(exc)[0]


def test_problems_are_capped_and_counted(staff_user, registered, write_file):
    rows = [figure_row(registered[0], year=2000 + i % 20, revenue=-1) for i in range(1200)]
    exc = rejected(staff_user, write_file("many.csv", F_HEAD, rows), "figures")
    assert len(exc.problems) == 1000
    assert exc.count > 1000 and exc.rows == 1200


def test_a_file_with_no_rows_is_refused(staff_user, registered, write_file):
    exc = rejected(staff_user, write_file("empty.csv", F_HEAD, []), "figures")
    assert "没有数据行" in texts(exc)[0]


# --- IP --------------------------------------------------------------------------------------


def test_ip_is_imported_and_upserted_by_kind_and_number(staff_user, registered, write_file):
    rows = [
        [registered[0], "发明专利", "ZL202310123456.6", "一种催化剂", "2024-03-01"],
        [registered[0], "software_copyright", "2023SR0123456", "生产管理软件", ""],
        [registered[1], "实用新型专利", "202320123456.1", "一种反应釜", "2024-01-05"],
    ]
    result = import_file(staff_user, write_file("ip.xlsx", IP_HEAD, rows), "ip")
    assert result.created == 3
    patent = IntellectualProperty.objects.get(kind="invention_patent")
    assert (patent.number, patent.ip_class, patent.status) == ("202310123456.6", "I", "granted")
    rows[0][3] = "一种改进的催化剂"
    again = import_file(staff_user, write_file("ip.csv", IP_HEAD, rows), "ip")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)


def test_a_malformed_ip_number_names_row_and_field(staff_user, registered, write_file):
    rows = [
        [registered[0], "发明专利", "202310123456.6", "一种催化剂", ""],
        [registered[0], "发明专利", "2023101234", "另一种催化剂", ""],
    ]
    exc = rejected(staff_user, write_file("ip.xlsx", IP_HEAD, rows), "ip")
    (problem,) = texts(exc)
    assert "ip.xlsx 第3行 / row 3 · 号码 / number" in problem and "格式错误" in problem
    assert not IntellectualProperty.objects.exists()


def test_an_exported_table_reimports_unchanged(staff_user, registered, write_file):
    from openpyxl import load_workbook

    from kechuang.enterprises import selectors, tables

    import_file(staff_user, write_file("f.csv", F_HEAD, [figure_row(registered[0])]), "figures")
    for kind, header, rows in (
        (
            "enterprises",
            selectors.ENTERPRISE_EXPORT_HEADER,
            selectors.enterprise_export_rows(selectors.enterprise_list(selectors.Filters())),
        ),
        ("figures", selectors.FIGURES_EXPORT_HEADER, selectors.figures_export_rows()),
    ):
        path = write_file(f"{kind}.xlsx", [], [])
        path.write_bytes(tables.workbook(header, rows))
        assert load_workbook(path).active.max_row > 1
        result = import_file(staff_user, path, kind)
        assert result.created == result.updated == 0, kind


def test_the_columns_have_unique_headers():
    for columns in (ENTERPRISE_COLUMNS, FIGURE_COLUMNS, IP_COLUMNS):
        names = [c.zh for c in columns]
        assert len(names) == len(set(names))


def test_a_future_grant_date_is_refused(staff_user, registered, write_file):
    tomorrow = timezone.localdate().replace(year=timezone.localdate().year + 1)
    rows = [[registered[0], "发明专利", "202310123456.6", "一种催化剂", f"{tomorrow:%Y-%m-%d}"]]
    exc = rejected(staff_user, write_file("ip.csv", IP_HEAD, rows), "ip")
    assert "授权日 / granted_on" in texts(exc)[0]
