"""Cultivation over JSON: an enterprise's assessments (same rules as the pages: another
enterprise's user gets 404, other roles 403) and the bureau's funnel."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import django_auth

from kechuang.core.criteria import result_to_dict
from kechuang.cultivation import selectors
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.rules import is_enterprise_user

router = Router(tags=["cultivation"])


class FunnelRowOut(Schema):
    year: int
    discovered: int
    served: int
    put_forward: int
    certified: int


@router.get(
    "/cultivation/enterprises/{uscc}/assessments",
    response=list[dict[str, Any]],
    auth=django_auth,
    summary="企业认定条件评估 / an enterprise's assessments under every rule set",
)
def get_assessments(request, uscc: str):
    user = request.user
    if not (user.has_perm("cultivation.view_pipeline") or is_enterprise_user(user)):
        raise PermissionDenied
    enterprise = Enterprise.objects.select_related("industry").filter(uscc=uscc).first()
    if enterprise is None or not user.has_perm("cultivation.view_assessment", enterprise):
        raise Http404
    return [result_to_dict(r) for r in selectors.assessments(enterprise)]


@router.get(
    "/cultivation/funnel",
    response=list[FunnelRowOut],
    auth=django_auth,
    summary="培育漏斗 / the cultivation funnel by year",
)
def get_funnel(request):
    if not request.user.has_perm("cultivation.view_pipeline"):
        raise PermissionDenied
    year = timezone.localdate().year
    return selectors.funnel(range(year - 5, year + 1))
