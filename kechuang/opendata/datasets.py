"""The public datasets, each defined once: its name, its fields with their dictionary text, and
where its rows come from. The CSV, Excel and JSON files, the data-dictionary page and the API
are all generated from these definitions.

A row source may return more than a dataset declares; only the declared fields ever leave
(``Dataset.records``), so a field added to another app's rows is not published by accident.
Sources belong to other apps and are looked up by name: a missing one makes its dataset
unavailable (listed, without files) rather than breaking the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Max
from django.utils import timezone, translation

from kechuang.indicators.models import DataValue
from kechuang.indicators.selectors import compute_plan
from kechuang.plans.models import Plan
from kechuang.reports.selectors import optional

LICENCE_ZH = (
    "本数据由区科学技术局依法公开，可免费下载、复制和再利用，使用时请注明“来源：独山子区科学"
    "技术局开放数据”；标注为演示的数据为合成数据，不得作为正式统计数据使用。"
)
LICENCE_EN = (
    "Published by the district S&T bureau; free to download, copy and reuse with the "
    "attribution “Source: Dushanzi District S&T Bureau open data”. Rows marked as demo are "
    "synthetic and are not official statistics."
)

TYPES = {
    "string": ("文本", "text"),
    "integer": ("整数", "integer"),
    "decimal": ("数值", "decimal number (as text, full precision)"),
    "date": ("日期（YYYY-MM-DD）", "date (YYYY-MM-DD)"),
    "boolean": ("是/否", "true/false"),
    "list": ("列表（CSV、Excel 中以“；”分隔）", "list (joined with “；” in CSV and Excel)"),
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    meaning_zh: str
    meaning_en: str
    unit: str = ""

    @property
    def type_zh(self) -> str:
        return TYPES[self.type][0]

    @property
    def type_en(self) -> str:
        return TYPES[self.type][1]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    fields: tuple[Field, ...]
    # Finds the row source when asked (None: its app does not provide one); looked up late, so
    # an app that gains its source later, or a test that swaps it, is seen.
    source: Callable[[], Callable[[], Iterable[dict]] | None]
    updated: Callable[[], dt.datetime | None] = lambda: None
    frequency_zh: str = "随数据实时更新"
    notes_zh: str = ""
    provider_zh: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.source() is not None

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def records(self) -> Iterator[dict]:
        """The rows with the declared fields only, in declared order, as plain values."""
        rows = self.source()
        if rows is None:
            return
        names = self.field_names
        # Labels are published in Chinese, the datasets' language, whatever the visitor's.
        with translation.override("zh-hans"):
            for row in rows():
                yield {name: _plain(row.get(name)) for name in names}


def _plain(value):
    """JSON-ready: Decimals as text (no float rounding), dates ISO, lists of plain values."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _latest(label: str, field_name: str = "updated_at", **filters) -> Callable:
    def latest() -> dt.datetime | None:
        try:
            model = apps.get_model(label)
        except LookupError:
            return None
        return model.objects.filter(**filters).aggregate(t=Max(field_name))["t"]

    return latest


# --- indicators --------------------------------------------------------------------------------


def indicator_rows() -> Iterator[dict]:
    """Each plan's indicators, one row per year with an approved value: the value, the target
    and the status as it stood at the end of that year."""
    for plan in Plan.objects.select_related("region").order_by("-period_start", "code"):
        current = compute_plan(plan)
        years = [
            y
            for y in plan.years
            if any(
                v.year == y and v.value is not None for r in current.indicators for v in r.values
            )
        ]
        by_year = {y: compute_plan(plan, as_of_year=y) for y in years}
        for r in current.indicators:
            ind = r.indicator
            for v in r.values:
                if v.value is None or v.year not in by_year:
                    continue
                status = next(
                    x.assessment.status
                    for x in by_year[v.year].indicators
                    if x.indicator.pk == ind.pk
                )
                yield {
                    "plan": plan.code,
                    "plan_title": plan.title,
                    "indicator": ind.code,
                    "number": ind.number,
                    "name": ind.name,
                    "key": ind.is_key,
                    "unit": ind.unit,
                    "year": v.year,
                    "value": v.value.quantize(Decimal(1).scaleb(-ind.decimals)),
                    "is_demo": v.is_demo,
                    "target_kind": ind.target_kind,
                    "target_value": ind.target_value.quantize(Decimal(1).scaleb(-ind.decimals))
                    if ind.target_value is not None
                    else None,
                    "target_year": ind.target_year,
                    "status": status.value,
                    "status_label": status.label_zh,
                    "source": ind.target_source,
                }


INDICATORS = Dataset(
    slug="indicators",
    title_zh="规划指标监测数据",
    title_en="Plan indicators",
    description_zh="各规划关键指标和监测指标的逐年计算值（按审核通过的数据计算）、目标值和当年年底"
    "的监测状态。",
    description_en="Each plan's indicators by year: the value computed from approved figures, "
    "the target and the status as it stood at the end of that year.",
    fields=(
        Field("plan", "string", "规划代码", "plan code"),
        Field("plan_title", "string", "规划名称", "plan title"),
        Field("indicator", "string", "指标代码", "indicator code"),
        Field("number", "integer", "规划表1中的序号（监测指标为空）", "number in the plan's table"),
        Field("name", "string", "指标名称", "indicator name"),
        Field("key", "boolean", "是否规划关键指标", "a key indicator of the plan"),
        Field("unit", "string", "计量单位", "unit of measure"),
        Field("year", "integer", "年份", "year"),
        Field("value", "decimal", "当年计算值（按指标发布精度）", "the year's value", "见 unit"),
        Field("is_demo", "boolean", "含演示（合成）数据", "computed from demo data"),
        Field(
            "target_kind",
            "string",
            "目标类型：value 数值目标，non_decreasing 只增不减，non_increasing 只减不增",
            "target kind",
        ),
        Field("target_value", "decimal", "目标值（数值目标）", "target value", "见 unit"),
        Field("target_year", "integer", "目标年", "target year"),
        Field(
            "status",
            "string",
            "当年年底的状态代码：achieved、on_track、at_risk、lagging、no_data",
            "status code at the end of the year",
        ),
        Field(
            "status_label",
            "string",
            "状态：已达成、预计达成、存在风险、严重滞后、暂无数据",
            "status label",
        ),
        Field("source", "string", "指标出处", "where the indicator comes from"),
    ),
    source=lambda: indicator_rows,
    updated=lambda: DataValue.objects.filter(is_current=True).aggregate(t=Max("reviewed_at"))["t"],
    frequency_zh="数据审核通过后即时更新",
    provider_zh="各责任单位填报、科技局审核的统计数据",
)


# --- policies ----------------------------------------------------------------------------------


def _policy_rows() -> Callable | None:
    if not apps.is_installed("kechuang.policies"):
        return None
    from kechuang.policies import selectors as P

    def rows() -> Iterator[dict]:
        today = timezone.localdate()
        for p in P.policy_list(P.Filters(), today=today):
            yield {
                "code": p.code,
                "title": p.title,
                "document_number": p.document_number,
                "issuer": p.issuer,
                "level": p.get_level_display(),
                "category": p.get_category_display(),
                "issued_on": p.issued_on,
                "effective_from": p.effective_from,
                "expires_on": p.expires_on,
                "status": P.status_of(p, today),
                "department": p.department,
                "address": p.address,
                "auto_grant": p.auto_grant,
                "summary": p.summary,
            }

    return rows


POLICIES = Dataset(
    slug="policies",
    title_zh="惠企政策目录",
    title_en="Policy catalog",
    description_zh="已发布（含已失效）的惠企政策：文号、发文单位、有效期、落实部门和办理地点。",
    description_en="Published (and expired) support policies with their validity and the office "
    "that delivers them.",
    fields=(
        Field("code", "string", "政策代码", "policy code"),
        Field("title", "string", "政策名称", "title"),
        Field("document_number", "string", "文号", "document number"),
        Field("issuer", "string", "发文单位", "issuer"),
        Field("level", "string", "层级（国家、自治区、市、区）", "level"),
        Field("category", "string", "类别", "category"),
        Field("issued_on", "date", "发布日期", "issued on"),
        Field("effective_from", "date", "施行日期", "in force from"),
        Field("expires_on", "date", "有效期至", "expires on"),
        Field("status", "string", "in_force 有效、expired 已失效、upcoming 尚未施行", "status"),
        Field("department", "string", "落实部门", "delivering office"),
        Field("address", "string", "办理地点", "where to apply"),
        Field("auto_grant", "boolean", "免申即享", "granted without application"),
        Field("summary", "string", "政策摘要", "summary"),
    ),
    source=_policy_rows,
    updated=_latest("policies.Policy", state__in=("published", "expired")),
    notes_zh="联系电话请见政策服务页面。",
    provider_zh="科技局政策服务",
)


# --- other apps' public rows -------------------------------------------------------------------


CARRIERS = Dataset(
    slug="carriers",
    title_zh="科技创新载体名录",
    title_en="Innovation carriers",
    description_zh="经认定的重点实验室、工程技术研究中心、众创空间、孵化器等创新载体。",
    description_en="Recognised laboratories, engineering centres, maker spaces, incubators and "
    "other innovation carriers.",
    fields=(
        Field("name", "string", "载体名称", "name"),
        Field("kind", "string", "载体类型代码", "kind code"),
        Field("kind_label", "string", "载体类型", "kind"),
        Field("level", "string", "级别代码", "level code"),
        Field("level_label", "string", "级别（国家级、自治区级、市级、区级）", "level"),
        Field("host", "string", "依托单位", "host organisation"),
        Field("recognised_on", "date", "认定（成立）日期", "recognised on"),
        Field("recognised_by", "string", "认定部门", "recognised by"),
        Field("valid_until", "date", "认定有效期至", "valid until"),
        Field("status", "string", "状态代码", "status code"),
        Field("status_label", "string", "状态", "status"),
    ),
    source=lambda: optional("carriers", "selectors", "public_rows"),
    updated=_latest("carriers.Carrier", is_public=True),
    provider_zh="科技局创新载体管理",
)

ACHIEVEMENTS = Dataset(
    slug="achievements",
    title_zh="科技成果目录",
    title_en="S&T achievements",
    description_zh="完成单位同意公开的科技成果：领域、技术成熟度、完成年度和转化状态。",
    description_en="Achievements their owners agreed to publish: field, readiness, year and "
    "transfer status.",
    fields=(
        Field("id", "integer", "成果编号", "id"),
        Field("title", "string", "成果名称", "title"),
        Field("owners", "list", "完成单位", "owning organisations"),
        Field("field", "string", "技术领域", "technology field"),
        Field("trl", "integer", "技术成熟度（TRL 1–9）", "technology readiness level"),
        Field("year", "integer", "完成年度", "year completed"),
        Field("transfer_status", "string", "转化状态代码", "transfer status code"),
        Field("transfer_status_label", "string", "转化状态", "transfer status"),
        Field("transfer_mode", "string", "转化方式代码", "transfer mode code"),
        Field("transfer_mode_label", "string", "转化方式", "transfer mode"),
        Field("abstract", "string", "成果简介", "abstract"),
    ),
    source=lambda: optional("achievements", "selectors", "public_rows"),
    updated=_latest("achievements.Achievement", is_public=True),
    provider_zh="科技局科技成果库",
)

EVENTS = Dataset(
    slug="events",
    title_zh="科普活动",
    title_en="Science popularization events",
    description_zh="科普日历上公开的科普活动：时间、地点、主办单位、面向对象和参加人数。",
    description_en="Public science-popularization events: dates, venue, organiser, audience "
    "and turnout.",
    fields=(
        Field("id", "integer", "活动编号", "id"),
        Field("title", "string", "活动名称", "title"),
        Field("kind", "string", "活动类型代码", "kind code"),
        Field("kind_label", "string", "活动类型", "kind"),
        Field("starts_on", "date", "开始日期", "starts on"),
        Field("ends_on", "date", "结束日期", "ends on"),
        Field("venue", "string", "地点", "venue"),
        Field("organizer", "string", "主办单位", "organiser"),
        Field("audience", "string", "面向对象代码", "audience code"),
        Field("audience_label", "string", "面向对象", "audience"),
        Field("participants", "integer", "参加人数（未统计为空）", "participants", "人次"),
        Field("base", "string", "依托科普基地", "science-popularization base"),
    ),
    source=lambda: optional("popularization", "selectors", "public_rows"),
    updated=_latest("popularization.Event", is_public=True),
    provider_zh="科技局科普活动登记",
)


def _spot_check_rows() -> Callable | None:
    plans = optional("inspections", "selectors", "public_plans")
    if plans is None:
        return None

    def rows() -> Iterator[dict]:
        for plan in plans():
            for c in plan.checks.all():
                yield {
                    "plan": plan.title,
                    "year": plan.year,
                    "pool": plan.get_pool_display(),
                    "object_code": c.object_code,
                    "object_name": c.label,
                    "inspected_on": c.inspected_on,
                    "result": c.result,
                    "result_label": c.get_result_display() if c.result else "",
                    "findings": c.findings,
                    "rectification": c.get_rectification_display(),
                    "published_on": timezone.localtime(plan.published_at).date()
                    if plan.published_at
                    else None,
                }

    return rows


SPOT_CHECKS = Dataset(
    slug="spot-checks",
    title_zh="“双随机、一公开”抽查结果",
    title_en="Random spot-check results",
    description_zh="已公开的双随机抽查计划中每个检查对象的检查结果、公开的检查发现和整改情况。",
    description_en="Each object of a published random spot-check plan with its result, the "
    "published findings and the rectification.",
    fields=(
        Field("plan", "string", "抽查计划", "spot-check plan"),
        Field("year", "integer", "年度", "year"),
        Field("pool", "string", "检查对象库", "object pool"),
        Field("object_code", "string", "对象编号（项目编号或统一社会信用代码）", "object code"),
        Field("object_name", "string", "检查对象", "object"),
        Field("inspected_on", "date", "检查日期", "inspected on"),
        Field("result", "string", "检查结果代码：pass、basic、fail", "result code"),
        Field("result_label", "string", "检查结果（合格、基本合格、不合格）", "result"),
        Field("findings", "string", "检查发现（公开部分）", "published findings"),
        Field("rectification", "string", "整改情况", "rectification"),
        Field("published_on", "date", "结果公开日期", "published on"),
    ),
    source=_spot_check_rows,
    updated=_latest("inspections.InspectionPlan", "published_at", state="published"),
    provider_zh="科技局双随机抽查",
)

DATASETS: dict[str, Dataset] = {
    d.slug: d for d in (INDICATORS, POLICIES, CARRIERS, ACHIEVEMENTS, EVENTS, SPOT_CHECKS)
}
