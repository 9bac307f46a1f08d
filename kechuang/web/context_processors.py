from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The menu a user sees: only what their role may open (the server checks again)."""
    user = request.user
    items = [(reverse("web:home"), _("规划公开"), "home")]
    items.append((reverse("opendata:index"), _("开放数据"), "opendata"))
    items.append((reverse("popularization:calendar"), _("科普日历"), "science_calendar"))
    items.append((reverse("policies:list"), _("政策服务"), "policies"))
    items.append((reverse("calls:list"), _("项目申报"), "calls"))
    items.append((reverse("experts:draws"), _("随机抽取公示"), "draws"))
    items.append((reverse("inspections:public"), _("抽查结果公示"), "spot_checks"))
    if not user.has_perm("achievements.view_contracts"):  # the bureau has it under 载体成果
        items.append((reverse("achievements:list"), _("科技成果"), "achievements_public"))
    if user.is_authenticated:
        if user.has_perm("indicators.view_dashboard"):
            items.append((reverse("web:dashboard"), _("指标监测"), "dashboard"))
        if user.has_perm("supervision.view_board"):
            items.append((reverse("supervision:board"), _("任务督办"), "tasks"))
        if user.has_perm("indicators.view_dashboard"):
            items.append((reverse("indicators:values"), _("数据填报"), "data"))
        if user.has_perm("indicators.approve_value"):
            items.append((reverse("indicators:review"), _("数据审核"), "review"))
        if user.has_perm("calls.manage_calls"):
            items.append((reverse("calls:manage"), _("申报管理"), "calls_manage"))
        if user.has_perm("projects.view_list"):
            items.append((reverse("projects:list"), _("项目管理"), "projects"))
        if user.has_perm("vouchers.view_schemes"):
            items.append((reverse("vouchers:schemes"), _("创新券"), "vouchers"))
        if user.has_perm("carriers.view_registry"):
            items.append((reverse("carriers:list"), _("创新载体"), "carriers"))
        if user.has_perm("achievements.view_contracts"):
            items.append((reverse("achievements:list"), _("成果与技术合同"), "achievements"))
        if user.has_perm("popularization.view_events"):
            items.append((reverse("popularization:list"), _("科普活动"), "science"))
        if user.has_perm("talent.manage"):
            items.append((reverse("talent:manage"), _("人才计划"), "talent_manage"))
        if user.has_perm("inspections.view_list"):
            items.append((reverse("inspections:list"), _("双随机抽查"), "inspections"))
        if user.has_perm("reviews.manage"):
            items.append((reverse("reviews:calls"), _("专家评审"), "reviews"))
        if user.has_perm("reports.generate"):
            items.append((reverse("reports:list"), _("评估报告"), "reports"))
        if user.has_perm("enterprises.view_registry"):
            items.append((reverse("enterprises:list"), _("企业库"), "enterprises"))
        if user.has_perm("cultivation.view_pipeline"):
            items.append((reverse("cultivation:pipeline"), _("高企培育"), "cultivation"))
        if user.role == "enterprise":
            items.append((reverse("enterprises:mine"), _("本企业"), "mine"))
            items.append((reverse("policies:mine"), _("政策可享清单"), "policy_mine"))
            items.append((reverse("vouchers:mine"), _("我的创新券"), "vouchers_mine"))
            items.append((reverse("calls:mine"), _("我的申报"), "calls_mine"))
            items.append((reverse("projects:mine"), _("我的项目"), "projects_mine"))
            items.append((reverse("talent:mine"), _("人才申报"), "talent_mine"))
            items.append((reverse("carriers:mine"), _("本单位载体"), "carriers_mine"))
            items.append((reverse("inspections:mine"), _("我的抽查"), "inspections_mine"))
        if user.has_perm("experts.view_library"):
            items.append((reverse("experts:list"), _("专家库"), "experts"))
        if user.role == "expert":
            items.append((reverse("experts:me"), _("我的专家信息"), "expert_me"))
            items.append((reverse("reviews:mine"), _("我的评审"), "reviews_mine"))
            items.append((reverse("projects:midterm_mine"), _("中期评估"), "midterm"))
            items.append((reverse("talent:reviews"), _("人才评审"), "talent_reviews"))
            items.append((reverse("inspections:mine"), _("我的抽查"), "inspections_assigned"))
        if user.role == "provider":
            items.append((reverse("vouchers:provider"), _("创新券兑付"), "vouchers_provider"))
        if user.has_perm("accounts.view_audit"):
            items.append((reverse("audit:log"), _("审计日志"), "audit"))
    return {"nav_items": items, "nav_groups": group_items(items)}


# Which menu each entry sits under; an entry not named here stands on its own. Keys, not URLs,
# so a page can say which entry it belongs to (``active``) and its group opens on it.
MENU_GROUPS = {
    _("规划监测"): ("dashboard", "tasks", "data", "review", "reports"),
    _("企业服务"): ("enterprises", "cultivation", "policies_manage", "vouchers", "talent_manage"),
    _("科技项目"): ("calls_manage", "reviews", "projects", "inspections", "experts"),
    _("载体成果"): ("carriers", "achievements", "science"),
    _("公示公开"): ("draws", "spot_checks", "achievements_public"),
    _("本单位"): (
        "mine",
        "policy_mine",
        "vouchers_mine",
        "calls_mine",
        "projects_mine",
        "talent_mine",
        "carriers_mine",
        "inspections_mine",
    ),
    _("我的工作"): (
        "expert_me",
        "reviews_mine",
        "midterm",
        "talent_reviews",
        "inspections_assigned",
        "vouchers_provider",
    ),
}
_GROUP_OF = {key: label for label, keys in MENU_GROUPS.items() for key in keys}


def group_items(items: list[tuple]) -> list[dict]:
    """The flat menu folded into groups, in order of first appearance; a group of one is a link."""
    out: list[dict] = []
    groups: dict = {}
    for url, label, key in items:
        group = _GROUP_OF.get(key)
        if group is None:
            out.append({"url": url, "label": label, "key": key})
        elif group in groups:
            groups[group]["children"].append((url, label, key))
        else:
            groups[group] = {"label": group, "children": [(url, label, key)]}
            out.append(groups[group])
    for entry in out:
        if len(entry.get("children", ())) == 1:
            url, label, key = entry.pop("children")[0]
            entry.update(url=url, label=label, key=key)
    return out
