"""Template helpers: bilingual fields, number display, status badges."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

register = template.Library()


def is_english() -> bool:
    return (get_language() or "").startswith("en")


@register.simple_tag
def tr(obj, field: str = "name"):
    """The English form of a model field when the UI is in English and one exists."""
    if obj is None:
        return ""
    if isinstance(obj, dict):
        return (obj.get(f"{field}_en") if is_english() else None) or obj.get(field, "")
    if is_english():
        en = getattr(obj, f"{field}_en", "")
        if en:
            return en
    return getattr(obj, field, "")


@register.simple_tag
def both(zh: str, en: str) -> str:
    """Pick one of two message forms the pure core produces."""
    return en if is_english() and en else zh


@register.filter
def num(value, decimals=2):
    """Thousands separators and fixed decimals; an em dash for no value."""
    if value is None or value == "":
        return "—"
    try:
        d = Decimal(str(value))
    except ArithmeticError:
        return value
    return f"{d:,.{int(decimals)}f}"


@register.filter
def yuan_wan(value):
    """Money is stored in yuan; people read 万元."""
    if value is None:
        return "—"
    return f"{Decimal(value) / 10000:,.2f}"


STATUS_CLASS = {
    "achieved": "ok",
    "on_track": "good",
    "at_risk": "warn",
    "lagging": "bad",
    "no_data": "none",
}


@register.filter
def status_class(code: str) -> str:
    return STATUS_CLASS.get(code, "none")


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (pagination, sorting)."""
    params = context["request"].GET.copy()
    for k, v in changes.items():
        if v is None or v == "":
            params.pop(k, None)
        else:
            params[k] = v
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
