"""Innovation carriers over JSON: the public list (no login), one carrier for the bureau."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from kechuang.carriers import selectors

router = Router(tags=["carriers"])


class PublicCarrier(Schema):
    name: str
    kind: str
    kind_label: str
    level: str
    level_label: str
    host: str
    recognised_on: dt.date
    recognised_by: str
    valid_until: dt.date | None
    status: str
    status_label: str


class MetricsOut(Schema):
    year: int
    status: str
    source: str
    area_m2: Decimal | None
    firms_incubating: int | None
    firms_graduated: int | None
    jobs: int | None
    investment_raised: Decimal | None
    staff: int | None
    projects: int | None
    patents: int | None
    papers: int | None
    standards: int | None


class CarrierOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    host: str
    host_code: str
    recognised_on: dt.date
    recognised_by: str
    valid_until: dt.date | None
    status: str
    address: str
    contact_name: str
    contact_phone: str
    is_public: bool
    is_demo: bool
    metrics: list[MetricsOut]


@router.get(
    "/carriers/public", response=list[PublicCarrier], summary="公开的创新载体 / public carriers"
)
@paginate
def public_carriers(request):
    """Public carriers only, with their public fields; no login needed."""
    return selectors.public_rows()


@router.get(
    "/carriers/{carrier_id}",
    response=CarrierOut,
    auth=django_auth,
    summary="载体详情 / one carrier (bureau)",
)
def get_carrier(request, carrier_id: int):
    if not request.user.has_perm("carriers.view_registry"):
        raise PermissionDenied("只有科技局可以查看载体详情 / bureau only")
    c = selectors.carrier_by_pk(carrier_id)
    if c is None:
        raise Http404
    return {
        "id": c.pk,
        "name": c.name,
        "kind": c.kind,
        "level": c.level,
        "host": c.host.name,
        "host_code": c.host.code,
        "recognised_on": c.recognised_on,
        "recognised_by": c.recognised_by,
        "valid_until": c.valid_until,
        "status": c.status,
        "address": c.address,
        "contact_name": c.contact_name,
        "contact_phone": c.contact_phone,
        "is_public": c.is_public,
        "is_demo": c.is_demo,
        "metrics": [
            {"year": m.year, "status": m.status, "source": m.source, **m.values()}
            for m in selectors.metrics_of(c)
        ],
    }
