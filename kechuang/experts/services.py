"""Writes to the expert library and the draws. Each runs in one transaction.

Permission is checked here, on the object, so pages, API and other apps obey the same rules.
Every function checks all of its input first and raises ``Rejected`` listing each problem;
only then does it write. File imports are in ``imports``.

Draws follow docs/draw-protocol.md: ``create_draw`` fixes the record and publishes its
commitment, ``perform_draw`` runs it once and reveals the seed, ``export_draw`` hands anyone the
file ``kechuang verify-draw`` checks.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Length
from django.utils import timezone

from kechuang.accounts.models import Organization, User
from kechuang.audit.services import log_bulk
from kechuang.core import draw as D
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.checks import at
from kechuang.enterprises.models import Enterprise
from kechuang.experts import identity
from kechuang.experts.models import (
    Collaboration,
    Draw,
    DrawChoice,
    Expert,
    ExpertField,
    Relationship,
)

FIELDS = tuple(Enterprise.HighTechField.values)
COLLABORATION_YEARS = 3
DEFAULT_MAX_PER = {"organisation": 1}

# Profile keys the services accept; ``id_number`` arrives in the clear and leaves encrypted.
PROFILE_FIELDS = (
    "name",
    "id_number",
    "gender",
    "title",
    "title_name",
    "organization",
    "organization_name",
    "fields",
    "specialty",
    "phone",
    "email",
    "is_finance",
    "available",
    "unavailable_from",
    "unavailable_until",
    "unavailable_reason",
    "user",
)
# What the audit trail and bulk imports record: never the token or the hash.
AUDITED_FIELDS = [
    "name",
    "id_number_masked",
    "gender",
    "title",
    "title_name",
    "organization",
    "organization_name",
    "fields",
    "specialty",
    "phone",
    "email",
    "is_finance",
    "available",
    "unavailable_from",
    "unavailable_until",
    "unavailable_reason",
    "user",
]
_LABELS = {
    "name": "姓名",
    "id_number": "身份证号",
    "gender": "性别",
    "title": "职称级别",
    "title_name": "职称",
    "organization": "单位（平台内）",
    "organization_name": "工作单位",
    "fields": "技术领域",
    "specialty": "专业特长",
    "phone": "联系电话",
    "email": "电子邮箱",
    "is_finance": "科技金融专家",
    "available": "可参加评审",
    "unavailable_from": "不可参加起",
    "unavailable_until": "不可参加止",
    "unavailable_reason": "不可参加原因",
    "user": "登录账号",
}
_MAX_LENGTH = {
    "name": 50,
    "title_name": 100,
    "organization_name": 200,
    "specialty": 500,
    "phone": 50,
    "unavailable_reason": 200,
}


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def field_where(key: str, prefix: str = "") -> str:
    return at(prefix, _LABELS.get(key, key), key)


def normalise_organisation(name: str) -> str:
    """The form two spellings of one unit share: full-width folded (NFKC), no spaces, casefolded.
    ``独山子石化 公司`` and ``独山子石化公司`` are the same unit; ``（`` and ``(`` too."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def unavailable_on(expert: Expert, day: dt.date) -> bool:
    """Unavailable on ``day``: marked so, and ``day`` inside the period (both ends included)."""
    return _unavailable(expert.available, expert.unavailable_from, expert.unavailable_until, day)


def _unavailable(available: bool, start: dt.date | None, end: dt.date | None, day) -> bool:
    return not available and (start is None or start <= day) and (end is None or day <= end)


# --- checking expert input -------------------------------------------------------------------


def clean_fields(raw: object, where: str) -> tuple[list[str], list[Problem]]:
    """Fields in their canonical order (so equal sets give equal records), each one checked."""
    if isinstance(raw, str):
        raw = _split(raw)
    values = [str(v).strip() for v in (raw or []) if str(v).strip()]
    bad = [v for v in values if v not in FIELDS]
    problems = [
        Problem(
            where,
            f"「{v}」不是国家重点支持的高新技术领域（可选：{'、'.join(FIELDS)}）",
            f"'{v}' is not one of the state-supported high-tech fields",
        )
        for v in bad
    ]
    if not values:
        problems.append(Problem(where, "请至少选择一个技术领域", "choose at least one field"))
    return [f for f in FIELDS if f in values], problems


def _split(text: str) -> list[str]:
    for sep in "，,;；/|\n":
        text = text.replace(sep, "、")
    return [p.strip() for p in text.split("、")]


def check_profile(
    values: Mapping[str, object],
    where: Callable[[str], str],
    *,
    creating: bool,
) -> tuple[dict, list[Problem]]:
    """Profile values → model field values and every problem; no query (callers look up the
    ID-number duplicates and the login in bulk)."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown expert fields: {sorted(unknown)}")
    out: dict = {}
    problems: list[Problem] = []
    for key, value in values.items():
        if key in _MAX_LENGTH:
            text = str(value or "").strip()
            if len(text) > _MAX_LENGTH[key]:
                problems.append(
                    Problem(
                        where(key),
                        f"{_LABELS[key]}超过 {_MAX_LENGTH[key]} 字",
                        f"{key} is longer than {_MAX_LENGTH[key]} characters",
                    )
                )
            out[key] = text
        elif key in {"is_finance", "available"}:
            out[key] = bool(value) if value is not None else key == "available"
        else:
            out[key] = value
    if "name" in out and not out["name"]:
        problems.append(Problem(where("name"), "请填写姓名", "the name is required"))
    if "id_number" in out or creating:
        number, more = identity.check_id_number(values.get("id_number"), where("id_number"))
        problems += more
        out.pop("id_number", None)
        if number and not more:
            out["id_number_token"] = identity.encrypt(number)
            out["id_number_hash"] = identity.lookup_hash(number)
            out["id_number_masked"] = identity.mask(number)
    if "gender" in out:
        out["gender"] = out["gender"] or ""
        if out["gender"] not in {"", *Expert.Gender.values}:
            problems.append(
                Problem(where("gender"), "性别应为男或女", "gender must be male/female")
            )
    if ("title" in out or creating) and values.get("title") not in Expert.Title.values:
        labels = "、".join(str(label) for _, label in Expert.Title.choices)
        problems.append(
            Problem(where("title"), f"请选择职称级别（{labels}）", "choose the title level")
        )
    if "fields" in out or creating:
        out["fields"], more = clean_fields(values.get("fields"), where("fields"))
        problems += more
    org = out.get("organization")
    if org is not None and not isinstance(org, Organization):
        raise TypeError("organization must be an Organization or None")
    if (creating or "organization_name" in out) and not out.get("organization_name"):
        if org is not None:
            out["organization_name"] = org.name
        else:
            problems.append(
                Problem(where("organization_name"), "请填写工作单位", "the unit is required")
            )
    if out.get("email"):
        try:
            validate_email(out["email"])
        except ValidationError:
            problems.append(
                Problem(
                    where("email"),
                    f"电子邮箱「{out['email']}」格式不对",
                    f"'{out['email']}' is not an e-mail address",
                )
            )
    elif "email" in out:
        out["email"] = ""
    for key in ("unavailable_from", "unavailable_until"):
        if out.get(key) is not None and not isinstance(out[key], dt.date):
            raise TypeError(f"{key} must be a date")
    start, end = out.get("unavailable_from"), out.get("unavailable_until")
    if start and end and end < start:
        problems.append(
            Problem(
                where("unavailable_until"),
                "不可参加的结束日期早于开始日期",
                "the unavailable period ends before it starts",
            )
        )
    if out.get("available"):
        # Available means available: a stale period must not switch the expert off later.
        out.update(unavailable_from=None, unavailable_until=None, unavailable_reason="")
    user = out.get("user")
    if user is not None and (not isinstance(user, User) or user.role != User.Role.EXPERT):
        problems.append(
            Problem(
                where("user"), "登录账号的角色必须是“专家”", "the login must have the expert role"
            )
        )
    return out, problems


def _duplicates(out: dict, expert: Expert | None, where) -> list[Problem]:
    problems = []
    digest = out.get("id_number_hash")
    if digest:
        other = Expert.objects.filter(id_number_hash=digest).exclude(
            pk=expert.pk if expert else None
        )
        code = other.values_list("code", flat=True).first()
        if code:
            problems.append(
                Problem(
                    where("id_number"),
                    f"该身份证号已在专家库中（{code}）",
                    f"this ID number is already in the library ({code})",
                )
            )
    user = out.get("user")
    if user is not None:
        taken = Expert.objects.filter(user=user).exclude(pk=expert.pk if expert else None)
        code = taken.values_list("code", flat=True).first()
        if code:
            problems.append(
                Problem(
                    where("user"),
                    f"账号 {user.username} 已关联专家 {code}",
                    f"login {user.username} already belongs to expert {code}",
                )
            )
    return problems


def _set_fields(expert: Expert) -> None:
    ExpertField.objects.filter(expert=expert).exclude(field__in=expert.fields).delete()
    have = set(ExpertField.objects.filter(expert=expert).values_list("field", flat=True))
    ExpertField.objects.bulk_create(
        [ExpertField(expert=expert, field=f) for f in expert.fields if f not in have]
    )


def next_codes(n: int) -> list[str]:
    """The next ``n`` free codes E00001, E00002…; longest first, so E100000 follows E99999."""
    last = (
        Expert.objects.filter(code__regex=r"^E[0-9]+$")
        .order_by(Length("code").desc(), "-code")
        .values_list("code", flat=True)
        .first()
    )
    start = int(last[1:]) + 1 if last else 1
    return [f"E{i:05d}" for i in range(start, start + n)]


def _fresh(make: Callable[[], models.Model], attempts: int = 5):
    """Insert with a freshly numbered code; a concurrent insert that took it means try again."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return make()
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


# --- experts ---------------------------------------------------------------------------------


def create_expert(user, /, *, is_demo: bool = False, **values) -> Expert:
    """A new expert; ``user`` is who acts (positional), a ``user=`` value is the expert's login."""
    _require(
        user,
        "experts.manage_expert",
        None,
        "只有科技局可以录入专家",
        "only the bureau adds experts",
    )
    out, problems = check_profile(values, field_where, creating=True)
    problems += _duplicates(out, None, field_where)
    if problems:
        raise Rejected(problems)

    def make() -> Expert:
        expert = Expert.objects.create(code=next_codes(1)[0], is_demo=is_demo, **out)
        _set_fields(expert)
        return expert

    return _fresh(make)


def update_expert(user, expert: Expert, /, **values) -> Expert:
    """Change what is given; ``id_number`` only when a new number is given."""
    _require(user, "experts.manage_expert", expert, "无权修改专家信息", "not allowed to edit")
    if not values.get("id_number"):
        values.pop("id_number", None)
    out, problems = check_profile(values, field_where, creating=False)
    problems += _duplicates(out, expert, field_where)
    if problems:
        raise Rejected(problems)
    with transaction.atomic():
        for key, value in out.items():
            setattr(expert, key, value)
        expert.save()
        _set_fields(expert)
    return expert


def set_availability(
    user,
    expert: Expert,
    *,
    available: bool,
    unavailable_from: dt.date | None = None,
    unavailable_until: dt.date | None = None,
    reason: str = "",
) -> Expert:
    """The expert (or the bureau) says when they cannot serve; draws on those days exclude them."""
    _require(
        user,
        "experts.set_availability",
        expert,
        "只能修改本人的可参加状态",
        "you may change only your own availability",
    )
    values = {
        "available": available,
        "unavailable_from": unavailable_from,
        "unavailable_until": unavailable_until,
        "unavailable_reason": reason,
    }
    out, problems = check_profile(values, field_where, creating=False)
    if problems:
        raise Rejected(problems)
    with transaction.atomic():
        for key, value in out.items():
            setattr(expert, key, value)
        expert.save(update_fields=[*out, "updated_at"])
    return expert


def _unit(
    organization: Organization | None, organization_name: str, where: str
) -> tuple[str, list[Problem]]:
    if organization is not None and not isinstance(organization, Organization):
        raise TypeError("organization must be an Organization or None")
    name = (organization_name or "").strip() or (organization.name if organization else "")
    if not name:
        return "", [Problem(where, "请填写单位名称", "the unit is required")]
    if len(name) > 200:
        return name, [Problem(where, "单位名称超过 200 字", "the unit name is too long")]
    return name, []


def declare_relationship(
    user,
    expert: Expert,
    *,
    kind: str,
    organization: Organization | None = None,
    organization_name: str = "",
    note: str = "",
    declared_on: dt.date | None = None,
) -> Relationship:
    """A tie with a unit, declared by the expert (or recorded by the bureau); kept for good."""
    _require(
        user,
        "experts.declare_relationship",
        expert,
        "只能为本人声明关联关系",
        "you may declare relationships only for yourself",
    )
    name, problems = _unit(organization, organization_name, at("", "单位名称", "organization"))
    if kind not in Relationship.Kind.values:
        problems.append(Problem(at("", "关系", "kind"), "请选择关系类型", "choose the kind"))
    note = (note or "").strip()
    if len(note) > 300:
        problems.append(Problem(at("", "说明", "note"), "说明超过 300 字", "the note is too long"))
    today = timezone.localdate()
    declared_on = declared_on or today
    if declared_on > today:
        problems.append(
            Problem(
                at("", "声明日期", "declared_on"),
                "声明日期不能晚于今天",
                "the declaration date cannot be in the future",
            )
        )
    if problems:
        raise Rejected(problems)
    return Relationship.objects.create(
        expert=expert,
        organization=organization,
        organization_name=name,
        kind=kind,
        note=note,
        declared_on=declared_on,
        declared_by=user if getattr(user, "pk", None) else None,
    )


def record_collaboration(
    user,
    expert: Expert,
    *,
    on: dt.date,
    organization: Organization | None = None,
    organization_name: str = "",
    source: str = "",
) -> Collaboration:
    """The expert co-applied with a unit on ``on``: it excludes them for three years."""
    _require(
        user,
        "experts.record_collaboration",
        expert,
        "只有科技局可以登记合作记录",
        "only the bureau records collaborations",
    )
    name, problems = _unit(organization, organization_name, at("", "合作单位", "organization"))
    if not isinstance(on, dt.date):
        problems.append(Problem(at("", "合作日期", "on"), "请填写合作日期", "the date is required"))
    elif on > timezone.localdate():
        problems.append(
            Problem(at("", "合作日期", "on"), "合作日期不能晚于今天", "the date is in the future")
        )
    source = (source or "").strip()
    if len(source) > 300:
        problems.append(Problem(at("", "来源", "source"), "来源超过 300 字", "too long"))
    if problems:
        raise Rejected(problems)
    return Collaboration.objects.create(
        expert=expert,
        organization=organization,
        organization_name=name,
        on=on,
        source=source,
        created_by=user if getattr(user, "pk", None) else None,
    )


def reveal_id_number(user, expert: Expert) -> str:
    """The whole ID number, for admins only; every call leaves an audit entry (who, when, whom)."""
    _require(
        user,
        "experts.view_full_id",
        expert,
        "只有科技局管理员可以查看完整身份证号",
        "only bureau admins may see the whole ID number",
    )
    number = identity.decrypt(expert.id_number_token)
    LogEntry.objects.log_create(
        expert,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=user,
        remote_addr=auditlog_value.get({}).get("remote_addr"),
        changes={"id_number": [expert.id_number_masked, "查看完整号码 / whole number viewed"]},
    )
    return number


# --- the candidate pool ----------------------------------------------------------------------

# Reason texts go into a published, hashed record: fixed here, not taken from the translation
# catalogue, so a later translation change cannot alter what a record says.
_KIND_TEXT = {
    "employment": ("任职", "employment"),
    "part_time": ("兼职", "part-time post"),
    "relative": ("亲属", "relative"),
    "cooperation": ("合作", "cooperation"),
    "other": ("其他", "other"),
}


@dataclass(frozen=True)
class _Applicant:
    pk: int | None
    key: str
    label: str

    @classmethod
    def of(cls, unit: Organization | str) -> _Applicant:
        if isinstance(unit, Organization):
            return cls(unit.pk, normalise_organisation(unit.name), unit.name)
        return cls(None, normalise_organisation(str(unit)), str(unit).strip())


def _match(applicants: Sequence[_Applicant], org_id: int | None, key: str) -> _Applicant | None:
    """The applicant this unit is: by our Organization when both sides have one, else by name."""
    for a in applicants:
        if a.pk is not None and org_id is not None:
            if a.pk == org_id:
                return a
        elif a.key and a.key == key:
            return a
    return None


def expert_pool(
    *,
    fields: Sequence[str],
    applicant_orgs: Sequence[Organization | str],
    on: dt.date,
    exclude: Mapping[str, str] | None = None,
) -> tuple[list[D.Candidate], dict[str, str]]:
    """Every expert in the library as a draw candidate, and the exclusions with their reasons.

    A candidate is ``Candidate(code, {"organisation": <normalised unit>, "fields": [...]})``.
    An expert is excluded (reasons joined with "；") when: from the same unit as an applicant;
    they declared a relationship with one; they co-applied with one within the three years
    before ``on`` (exactly three years before still counts); they are unavailable on ``on``; or
    the caller's ``exclude`` names them (e.g. a declared conflict). Codes in ``exclude`` that are
    not in the library are dropped: such a person cannot be drawn anyway.

    ``fields`` are the application's fields (pass them again as ``application_fields``); they
    are checked here so a wrong one is reported before anything is published. Three queries
    however large the library.
    """
    _clean, problems = clean_fields(list(fields), "fields")
    if problems:
        raise Rejected(problems)
    applicants = [a for a in map(_Applicant.of, applicant_orgs) if a.key or a.pk is not None]
    cutoff = years_before(on, COLLABORATION_YEARS)
    reasons: dict[int, list[str]] = defaultdict(list)

    rows = list(
        Expert.objects.order_by("code").values_list(
            "pk",
            "code",
            "organization_id",
            "organization__name",
            "organization_name",
            "fields",
            "available",
            "unavailable_from",
            "unavailable_until",
        )
    )
    candidates: list[D.Candidate] = []
    codes: dict[int, str] = {}
    for pk, code, org_id, org_name, own_name, expert_fields, available, start, end in rows:
        key = normalise_organisation(org_name if org_id else own_name)
        codes[pk] = code
        candidates.append(D.Candidate(code, {"organisation": key, "fields": list(expert_fields)}))
        hit = _match(applicants, org_id, key)
        if hit is not None:
            reasons[pk].append(f"同单位 / same organisation as the applicant: {hit.label}")
        if _unavailable(available, start, end, on):
            reasons[pk].append(f"不可参加 / unavailable on {on.isoformat()}")
    if applicants:
        for expert_id, org_id, org_name, own_name, kind in Relationship.objects.values_list(
            "expert_id", "organization_id", "organization__name", "organization_name", "kind"
        ).order_by("expert_id", "declared_on", "pk"):
            hit = _match(applicants, org_id, normalise_organisation(org_name or own_name))
            if hit is not None:
                zh, en = _KIND_TEXT[kind]
                reasons[expert_id].append(
                    f"声明关系（{zh}）/ declared relationship ({en}) with the applicant: "
                    f"{hit.label}"
                )
        for expert_id, org_id, org_name, own_name, day in (
            Collaboration.objects.filter(on__gte=cutoff)
            .values_list(
                "expert_id", "organization_id", "organization__name", "organization_name", "on"
            )
            .order_by("expert_id", "on", "pk")
        ):
            hit = _match(applicants, org_id, normalise_organisation(org_name or own_name))
            if hit is not None:
                reasons[expert_id].append(
                    f"三年内合作 / co-applicant within {COLLABORATION_YEARS} years with the "
                    f"applicant: {hit.label} ({day.isoformat()})"
                )
    exclusions: dict[str, list[str]] = {codes[pk]: r for pk, r in reasons.items() if pk in codes}
    in_pool = set(codes.values())
    for code, why in (exclude or {}).items():
        if code in in_pool and str(why).strip():
            exclusions.setdefault(code, []).append(str(why).strip())
    # Each reason once, in the order found: two relationships with one unit say it once.
    return candidates, {c: "；".join(dict.fromkeys(r)) for c, r in sorted(exclusions.items())}


# --- draws -----------------------------------------------------------------------------------


def _next_draw_id(year: int) -> str:
    prefix = f"DR-{year}-"
    last = (
        Draw.objects.filter(draw_id__startswith=prefix)
        .order_by(Length("draw_id").desc(), "-draw_id")
        .values_list("draw_id", flat=True)
        .first()
    )
    n = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{n:04d}"


def create_draw(
    user,
    *,
    purpose: str,
    kind: str,
    candidates: Sequence[D.Candidate],
    exclusions: Mapping[str, str],
    k: int,
    max_per: Mapping[str, int] | None = None,
    require_field_overlap: bool = False,
    application_fields: Sequence[str] = (),
    subject: models.Model | None = None,
    subject_label: str = "",
) -> Draw:
    """Fix a draw record and publish its commitment (SHA-256 of a fresh secret seed) and hash.

    Bureau only. The record is public: candidate attributes must carry no personal data (expert
    draws use codes, units and fields). Expert draws pass ``max_per={"organisation": 1}`` and
    ``require_field_overlap=True`` with the application's fields.
    """
    _require(user, "experts.create_draw", None, "只有科技局可以组织抽取", "only the bureau draws")
    purpose = (purpose or "").strip()
    subject_label = (subject_label or "").strip()
    problems: list[Problem] = []
    if not purpose:
        problems.append(Problem("purpose", "请写明抽取用途", "the purpose is required"))
    elif len(purpose) > 300:
        problems.append(Problem("purpose", "用途超过 300 字", "the purpose is too long"))
    if kind not in Draw.Kind.values:
        problems.append(Problem("kind", f"未知的抽取类型「{kind}」", f"unknown draw kind '{kind}'"))
    if len(subject_label) > 300:
        problems.append(Problem("subject_label", "事项名称超过 300 字", "the label is too long"))
    if subject is not None and subject.pk is None:
        raise TypeError("subject must be saved first")
    seed = D.new_seed()
    year = timezone.localdate().year

    def record_for(draw_id: str) -> D.DrawRecord:
        return D.DrawRecord(
            draw_id=draw_id,
            purpose=purpose,
            pool=tuple(candidates),
            exclusions={str(c): str(r) for c, r in exclusions.items()},
            k=k,
            commitment=D.commitment(seed),
            max_per=dict(max_per or {}),
            require_field_overlap=require_field_overlap,
            application_fields=tuple(application_fields),
        )

    try:
        D.check_record(record_for(_next_draw_id(year)))
    except Rejected as exc:
        problems += exc.problems
    if problems:
        raise Rejected(problems)

    def make() -> Draw:
        record = record_for(_next_draw_id(year))
        return Draw.objects.create(
            draw_id=record.draw_id,
            purpose=purpose,
            kind=kind,
            record=D.record_to_json(record),
            record_sha256=D.record_sha256(record),
            commitment=record.commitment,
            seed_token=identity.encrypt(seed.hex()),
            pool_size=len(record.pool),
            excluded=len(record.exclusions),
            k=k,
            subject_type=ContentType.objects.get_for_model(subject) if subject else None,
            subject_id=subject.pk if subject else None,
            subject_label=subject_label,
            created_by=user if getattr(user, "pk", None) else None,
        )

    return _fresh(make)


def _refuse(zh: str, en: str) -> Rejected:
    return Rejected([Problem("draw", zh, en)])


def perform_draw(user, draw: Draw) -> Draw:
    """Run the committed draw once, store the result and reveal the seed.

    The row is locked while it is drawn and the write is conditional on it still being
    committed, so two clicks (or two processes) draw once: the second is refused. A record that
    no longer matches the hash published at creation is refused too: the draw would not be the
    one announced.
    """
    _require(user, "experts.perform_draw", draw, "只有科技局可以执行抽取", "only the bureau draws")
    already = _refuse(
        f"抽取 {draw.draw_id} 已经完成，不能再次抽取",
        f"draw {draw.draw_id} has already been made",
    )
    with transaction.atomic():
        locked = Draw.objects.select_for_update().get(pk=draw.pk)
        if locked.state != Draw.State.COMMITTED:
            raise already
        record = D.record_from_json(locked.record)
        if D.record_sha256(record) != locked.record_sha256:
            raise _refuse(
                f"抽取 {locked.draw_id} 的记录与公布的 record_sha256 不符，已拒绝抽取",
                f"draw {locked.draw_id}: the record no longer matches its published hash",
            )
        seed = bytes.fromhex(identity.decrypt(locked.seed_token))
        result = D.run_draw(record, seed)
        # As audit.services.log_bulk reads them: a foreign key by its id.
        before = {
            "state": locked.state,
            "seed_hex": locked.seed_hex,
            "drawn_at": locked.drawn_at,
            "drawn_by": locked.drawn_by_id,
        }
        locked.result = D.result_to_json(result)
        locked.seed_hex = seed.hex()
        locked.state = Draw.State.PUBLISHED
        locked.drawn_at = timezone.now()
        locked.drawn_by = user if getattr(user, "pk", None) else None
        # A queryset update: a save() would have auditlog re-read the whole record to diff it.
        written = Draw.objects.filter(pk=locked.pk, state=Draw.State.COMMITTED).update(
            result=locked.result,
            seed_hex=locked.seed_hex,
            state=locked.state,
            drawn_at=locked.drawn_at,
            drawn_by=locked.drawn_by,
        )
        if written != 1:
            raise already
        log_bulk(
            [locked],
            LogEntry.Action.UPDATE,
            actor=locked.drawn_by,
            fields=list(before),
            before={locked.pk: before},
            note="perform draw",
        )
        DrawChoice.objects.bulk_create(
            DrawChoice(draw=locked, candidate=c, position=i)
            for i, c in enumerate(result.chosen, start=1)
        )
    return locked


def chosen(draw: Draw) -> list[str]:
    """The chosen candidate ids in draw order; empty before the draw."""
    return list((draw.result or {}).get("chosen", []))


def alternates(draw: Draw) -> list[str]:
    """The alternates in the order they stand in; empty before the draw."""
    return list((draw.result or {}).get("alternates", []))


def experts_by_code(codes: Sequence[str]) -> list[Expert]:
    """The experts with these codes, in the given order (codes not in the library are left out)."""
    by_code = {
        e.code: e for e in Expert.objects.select_related("organization").filter(code__in=codes)
    }
    return [by_code[c] for c in codes if c in by_code]


def export_draw(draw: Draw) -> dict:
    """The published draw as ``kechuang verify-draw`` reads it; refused before the seed is out."""
    if draw.state != Draw.State.PUBLISHED or not draw.seed_hex:
        raise _refuse(
            f"抽取 {draw.draw_id} 尚未进行，种子未公开",
            f"draw {draw.draw_id} has not been made yet; the seed is still secret",
        )
    data = D.export_json(
        D.record_from_json(draw.record),
        bytes.fromhex(draw.seed_hex),
        D.result_from_json(draw.result),
    )
    # The hash published at creation, not one recomputed from whatever the row holds now, so an
    # edit to the stored record fails verification even without --record-sha256.
    data["record_sha256"] = draw.record_sha256
    return data
