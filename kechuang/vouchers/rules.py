"""Permissions on innovation vouchers.

The bureau runs the schemes: budgets, applications, verification, settlement, providers. An
enterprise user applies for and uses its own enterprise's vouchers only. A provider user sees
and redeems only the vouchers an enterprise chose its services for. Reporters and experts have
nothing here; the list of approved providers is public.
"""

import rules

from kechuang.accounts.models import User
from kechuang.accounts.rules import is_bureau
from kechuang.enterprises.rules import is_enterprise_user, is_own_enterprise


@rules.predicate
def is_provider_user(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == User.Role.PROVIDER
        and user.organization_id is not None
    )


@rules.predicate
def is_own_provider(user, obj) -> bool:
    """The provider (or the voucher's, redemption's or service's provider) is the user's."""
    if obj is None:
        return False
    provider = obj if hasattr(obj, "organization_id") else getattr(obj, "provider", None)
    return provider is not None and provider.organization_id == user.organization_id


own_enterprise = is_enterprise_user & is_own_enterprise
own_provider = is_provider_user & is_own_provider

PERMISSIONS = {
    "vouchers.view_schemes": is_bureau,
    "vouchers.manage_schemes": is_bureau,
    "vouchers.decide_applications": is_bureau,
    "vouchers.verify_redemptions": is_bureau,
    "vouchers.manage_providers": is_bureau,
    # The enterprise's own portal (object: the enterprise).
    "vouchers.view_mine": is_enterprise_user,
    "vouchers.apply": own_enterprise,
    # Object: a voucher.
    "vouchers.view_voucher": is_bureau | own_enterprise | own_provider,
    "vouchers.use_voucher": own_enterprise,
    "vouchers.redeem_voucher": own_provider,
    # The provider's portal, its services (object: the provider) and a claim's files.
    "vouchers.view_provider_portal": is_provider_user,
    "vouchers.manage_services": is_bureau | own_provider,
    "vouchers.view_redemption": is_bureau | own_provider,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
