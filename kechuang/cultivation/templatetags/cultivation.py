"""The assessment summary the enterprise detail and portal pages include."""

from django import template

from kechuang.cultivation import selectors

register = template.Library()


@register.inclusion_tag("cultivation/_assessment_summary.html", takes_context=True)
def assessment_summary(context, enterprise):
    """Each rule set's outcome for ``enterprise``, for a user who may read it; else nothing.

    An inclusion tag rather than view context so that the registry's views stay untouched.
    """
    user = context["request"].user
    allowed = user.has_perm("cultivation.view_assessment", enterprise)
    return {
        "enterprise": enterprise,
        "allowed": allowed,
        "results": selectors.assessment_views(enterprise) if allowed else [],
        "entry": getattr(enterprise, "pipeline", None) if allowed else None,
        "is_bureau": user.has_perm("cultivation.view_pipeline"),
    }
