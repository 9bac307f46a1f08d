"""Innovation vouchers over JSON: schemes with their reconciliation (bureau), an enterprise's
own vouchers, a provider's assigned vouchers. Same rules as the pages; other roles get 403."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.security import django_auth

from kechuang.vouchers import selectors
from kechuang.vouchers.models import Scheme

router = Router(tags=["vouchers"])


class ProblemOut(Schema):
    where: str
    message_zh: str
    message_en: str


class ReconciliationOut(Schema):
    scheme: int
    budget: Decimal
    issued: Decimal
    redeemed: Decimal
    settled: Decimal
    expired: Decimal
    released: Decimal
    outstanding: Decimal
    awaiting_settlement: Decimal
    available: Decimal
    reconciles: bool
    problems: list[ProblemOut]


class SchemeOut(Schema):
    id: int
    year: int
    name: str
    state: str
    cap: Decimal
    subsidy_ratio: Decimal
    categories: list[str]
    issue_from: dt.date
    issue_until: dt.date
    validity_days: int
    is_demo: bool
    reconciliation: ReconciliationOut


class VoucherOut(Schema):
    number: str
    scheme: str
    enterprise: str
    face_amount: Decimal
    issued_on: dt.date
    expires_on: dt.date
    state: str
    provider: str | None
    service: str | None


def _scheme_out(s: Scheme, rec) -> dict:
    return {
        "id": s.pk,
        "year": s.year,
        "name": s.name,
        "state": s.state,
        "cap": s.cap,
        "subsidy_ratio": s.subsidy_ratio,
        "categories": s.categories,
        "issue_from": s.issue_from,
        "issue_until": s.issue_until,
        "validity_days": s.validity_days,
        "is_demo": s.is_demo,
        "reconciliation": rec.as_dict(),
    }


def _voucher_out(v) -> dict:
    return {
        "number": v.number,
        "scheme": str(v.scheme),
        "enterprise": v.enterprise.name,
        "face_amount": v.face_amount,
        "issued_on": v.issued_on,
        "expires_on": v.expires_on,
        "state": v.state,
        "provider": v.provider.name if v.provider else None,
        "service": v.service.name if v.service else None,
    }


@router.get(
    "/vouchers/schemes",
    response=list[SchemeOut],
    auth=django_auth,
    summary="创新券券种及对账 / voucher schemes with their reconciliation",
)
def list_schemes(request):
    if not request.user.has_perm("vouchers.view_schemes"):
        raise PermissionDenied
    schemes = list(selectors.schemes())
    recs = selectors.reconciliations(schemes)
    return [_scheme_out(s, recs[s.pk]) for s in schemes]


@router.get(
    "/vouchers/schemes/{scheme_id}/reconciliation",
    response=ReconciliationOut,
    auth=django_auth,
    summary="券种对账 / one scheme's ledger totals and whether they reconcile",
)
def get_reconciliation(request, scheme_id: int):
    if not request.user.has_perm("vouchers.view_schemes"):
        raise PermissionDenied
    return selectors.reconciliation(get_object_or_404(Scheme, pk=scheme_id)).as_dict()


@router.get(
    "/vouchers/mine",
    response=list[VoucherOut],
    auth=django_auth,
    summary="本企业的创新券 / the enterprise user's own vouchers",
)
def my_vouchers(request):
    if not request.user.has_perm("vouchers.view_mine"):
        raise PermissionDenied
    enterprise = selectors.enterprise_of(request.user)
    if enterprise is None:
        return []
    return [_voucher_out(v) for v in selectors.my_vouchers(enterprise).select_related("enterprise")]


@router.get(
    "/vouchers/provider",
    response=list[VoucherOut],
    auth=django_auth,
    summary="服务机构待兑付的创新券 / the vouchers assigned to the provider user's organisation",
)
def provider_vouchers(request):
    if not request.user.has_perm("vouchers.view_provider_portal"):
        raise PermissionDenied
    provider = selectors.provider_of(request.user)
    if provider is None:
        return []
    return [
        _voucher_out(v) for v in selectors.provider_vouchers(provider).select_related("provider")
    ]
