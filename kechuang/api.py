"""The JSON API (django-ninja). OpenAPI at /api/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Kechuang API",
    version="1.0.0",
    description="科创平台接口：规划、指标（含计算值与状态）、数据值、任务 / "
    "Plans, indicators with computed values and status, data values, tasks.",
    urls_namespace="api-1.0.0",
)
api.add_router("/", "kechuang.indicators.api.router")
api.add_router("/", "kechuang.supervision.api.router")
api.add_router("/", "kechuang.enterprises.api.router")
api.add_router("/", "kechuang.cultivation.api.router")
api.add_router("/", "kechuang.experts.api.router")
api.add_router("/", "kechuang.calls.api.router")
api.add_router("/", "kechuang.reviews.api.router")
api.add_router("/", "kechuang.projects.api.router")
api.add_router("/", "kechuang.inspections.api.router")
api.add_router("/", "kechuang.policies.api.router")
api.add_router("/", "kechuang.vouchers.api.router")
api.add_router("/", "kechuang.talent.api.router")
api.add_router("/", "kechuang.carriers.api.router")
api.add_router("/", "kechuang.achievements.api.router")
api.add_router("/", "kechuang.popularization.api.router")
api.add_router("/", "kechuang.reports.api.router")
api.add_router("/", "kechuang.opendata.api.router")


from django.core.exceptions import PermissionDenied  # noqa: E402

from kechuang.core.problems import Rejected  # noqa: E402


@api.exception_handler(Rejected)
def rejected(request, exc: Rejected):
    return api.create_response(
        request,
        {
            "detail": "rejected",
            "problems": [
                {"where": p.where, "message_zh": p.message_zh, "message_en": p.message_en}
                for p in exc.problems
            ],
        },
        status=400,
    )


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)
