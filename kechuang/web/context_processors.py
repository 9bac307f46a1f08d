from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The menu a user sees: only what their role may open (the server checks again)."""
    user = request.user
    items = [(reverse("web:home"), _("规划公开"), "home")]
    if user.is_authenticated:
        if user.has_perm("indicators.view_dashboard"):
            items.append((reverse("web:dashboard"), _("指标监测"), "dashboard"))
        if user.has_perm("supervision.view_board"):
            items.append((reverse("supervision:board"), _("任务督办"), "tasks"))
        if user.has_perm("indicators.view_dashboard"):
            items.append((reverse("indicators:values"), _("数据填报"), "data"))
        if user.has_perm("indicators.approve_value"):
            items.append((reverse("indicators:review"), _("数据审核"), "review"))
        if user.has_perm("enterprises.view_registry"):
            items.append((reverse("enterprises:list"), _("企业库"), "enterprises"))
        if user.has_perm("cultivation.view_pipeline"):
            items.append((reverse("cultivation:pipeline"), _("高企培育"), "cultivation"))
        if user.role == "enterprise":
            items.append((reverse("enterprises:mine"), _("本企业"), "mine"))
        if user.has_perm("accounts.view_audit"):
            items.append((reverse("audit:log"), _("审计日志"), "audit"))
    return {"nav_items": items}
