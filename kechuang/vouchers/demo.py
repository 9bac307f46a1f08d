"""Demo innovation vouchers: a 2026 scheme over the demo enterprises, flagged ``is_demo``.

Everything is made through the services, so the demo ledger reconciles like a real one. The
policy (克独政发〔2020〕54号) is named in the plan, but its text is not in the platform's sources:
the cap, ratio, validity and categories below are illustrative and say so on the scheme.

Three providers (one with the login ``provider_demo``) and their services; vouchers in every
state: unused and assigned, awaiting verification, verified awaiting payment, paid in part and
in full, a claim sent back, one expired; applications pending and refused. ``enterprise_demo``
holds a voucher it can use and one awaiting verification; ``provider_demo`` can redeem it.
Idempotent: once the demo scheme exists nothing is added.
"""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from stdnum.cn import uscc as stdnum_uscc

from kechuang.accounts.models import Organization, User
from kechuang.enterprises.demo import DEMO_USERNAME as ENTERPRISE_DEMO_USERNAME
from kechuang.enterprises.models import Enterprise
from kechuang.vouchers import services
from kechuang.vouchers.models import (
    LedgerEntry,
    Provider,
    Redemption,
    RedemptionFile,
    Scheme,
    Service,
    Voucher,
    VoucherApplication,
    VoucherEvent,
)

PROVIDER_USERNAME = "provider_demo"
AGENT_PREFIX = "vdemo-"  # demo users without a password who apply or claim for a firm
YEAR = 2026
SCHEME_NAME = "2026年度科技创新券（演示）"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = Decimal(10_000)

PROVIDERS = (
    (
        "独山子石化检验检测中心有限公司（演示）",
        ["testing", "rd_design"],
        [
            ("testing", "石化产品理化性能检验", "按检测项目计价，常规项目 800–3000 元/项"),
            ("testing", "高分子材料力学性能检测", "按样品计价"),
            ("rd_design", "化工装置工艺包设计", "按合同约定"),
        ],
    ),
    (
        "新疆天山知识产权服务有限公司（演示）",
        ["ip", "consulting"],
        [
            ("ip", "发明专利申请代理", "8000 元/件起"),
            ("consulting", "高新技术企业认定咨询", "按服务周期计价"),
        ],
    ),
    (
        "独山子科技成果转化服务中心（演示）",
        ["tech_transfer", "finance", "consulting"],
        [
            ("tech_transfer", "技术转移对接与评估", "按交易额比例收费"),
            ("finance", "科技型企业融资路演辅导", "按场次计价"),
        ],
    ),
)


def _uscc(seed: str) -> str:
    n = zlib.crc32(seed.encode())
    body = "91650202MA" + "".join(ALPHABET[(n >> (5 * i)) % len(ALPHABET)] for i in range(7))
    return body + stdnum_uscc.calc_check_digit(body)


def _pdf(title: str) -> ContentFile:
    content = f"%PDF-1.4\n% {title} (demo)\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    return ContentFile(content.encode("utf-8"), name=f"{title}.pdf")


def _bureau_user() -> User:
    user = (
        User.objects.filter(role__in=(User.Role.ADMIN, User.Role.STAFF), is_active=True)
        .order_by("role", "username")
        .first()
    )
    if user is None:
        raise RuntimeError("演示创新券需要科技局用户 / load the demo users first")
    return user


def _enterprises() -> list[Enterprise]:
    """``enterprise_demo``'s firm first, then other demo enterprises in a fixed order."""
    firms = list(Enterprise.objects.filter(is_demo=True, in_district=True).order_by("uscc")[:12])
    if len(firms) < 9:
        raise RuntimeError("演示创新券需要演示企业 / load the enterprise demo first")
    own = User.objects.filter(username=ENTERPRISE_DEMO_USERNAME).first()
    mine = Enterprise.objects.filter(organization_id=own.organization_id).first() if own else None
    if mine is not None:
        firms = [mine, *[f for f in firms if f.pk != mine.pk]]
    return firms


def _provider_user(provider: Provider, password: str) -> int:
    User_ = get_user_model()
    if User_.objects.filter(username=PROVIDER_USERNAME).exists():
        return 0
    user = User_(
        username=PROVIDER_USERNAME,
        display_name="服务机构演示用户",
        role=User.Role.PROVIDER,
        organization=provider.organization,
        is_demo=True,
    )
    user.set_password(password)
    user.save()
    return 1


def _issue(staff, firm, scheme, amount, category, on, purpose) -> Voucher:
    app = services.apply_for_voucher(
        _owner(firm),
        firm,
        scheme,
        amount=amount,
        category=category,
        purpose=purpose,
        on=on,
        is_demo=True,
    )
    return services.approve_application(staff, app, on=on)


def _owner(firm: Enterprise) -> User:
    """The firm's own login if it has one, else a demo agent of its organisation."""
    user = User.objects.filter(organization_id=firm.organization_id, role="enterprise").first()
    return user or _agent(firm.organization_id, User.Role.ENTERPRISE)


def _agent(organization_id: int, role: str) -> User:
    """A demo user who cannot log in (no usable password), acting for its organisation."""
    user, created = User.objects.get_or_create(
        username=f"{AGENT_PREFIX}{role}-{organization_id}",
        defaults={
            "role": role,
            "organization_id": organization_id,
            "display_name": "演示经办人",
            "is_demo": True,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _claim(provider_user, voucher, contract, invoice, on, n) -> Redemption:
    return services.submit_redemption(
        provider_user,
        voucher,
        contract_no=f"HT-{YEAR}-{n:03d}",
        contract_amount=contract,
        invoice_no=f"6500{YEAR}{n:06d}",
        invoice_amount=invoice,
        contract_files=[_pdf(f"服务合同-{n:03d}")],
        invoice_files=[_pdf(f"发票-{n:03d}")],
        on=on,
        is_demo=True,
    )


def load_vouchers_demo() -> dict[str, int]:
    """Create the demo scheme, providers, vouchers and claims if they are not there yet."""
    from kechuang.web.demo import DEMO_PASSWORD

    if Scheme.objects.filter(year=YEAR, name=SCHEME_NAME).exists():
        return {"schemes": 0, "providers": 0, "vouchers": 0, "redemptions": 0, "users": 0}
    staff = _bureau_user()
    firms = _enterprises()
    d = dt.date
    with transaction.atomic():
        scheme = services.create_scheme(
            staff,
            year=YEAR,
            name=SCHEME_NAME,
            name_en="2026 innovation vouchers (demo)",
            budget=300 * W,
            cap=20 * W,
            subsidy_ratio=Decimal("0.5"),
            categories=["testing", "rd_design", "tech_transfer", "ip", "consulting", "finance"],
            issue_from=d(YEAR, 1, 1),
            issue_until=d(YEAR, 12, 31),
            validity_days=180,
            policy="克独政发〔2020〕54号；上限、比例、有效期为演示参数，以办法原文为准",
            on=d(YEAR, 1, 5),
            is_demo=True,
        )
        providers, offered = [], []
        for name, categories, items in PROVIDERS:
            p = services.register_provider(
                staff,
                uscc=_uscc(name),
                name=name,
                contact_name="演示联系人",
                contact_phone="0992-0000000",
                categories=categories,
                address="新疆克拉玛依市独山子区（演示）",
                description="演示服务机构，数据为合成。",
                approved=True,
                is_demo=True,
            )
            providers.append(p)
            offered.append(
                [
                    services.add_service(
                        staff, p, category=c, name=n, price_note=note, is_demo=True
                    )
                    for c, n, note in items
                ]
            )
        users = _provider_user(providers[0], DEMO_PASSWORD)
        provider_users = [
            User.objects.get(username=PROVIDER_USERNAME),
            *(_agent(p.organization_id, User.Role.PROVIDER) for p in providers[1:]),
        ]
        test, design = offered[0][0], offered[0][2]
        patent, transfer = offered[1][0], offered[2][0]
        owner = _owner(firms[0])

        # enterprise_demo: one to use (assigned to provider_demo), one awaiting verification.
        ready = _issue(staff, firms[0], scheme, 10 * W, "testing", d(YEAR, 9, 15), "新产品检测")
        services.use_voucher(owner, ready, test, on=d(YEAR, 9, 20))
        waiting = _issue(staff, firms[0], scheme, 5 * W, "rd_design", d(YEAR, 9, 1), "工艺设计")
        services.use_voucher(owner, waiting, design, on=d(YEAR, 9, 3))
        _claim(provider_users[0], waiting, 8 * W, 8 * W, d(YEAR, 11, 20), 1)

        # verified, awaiting payment
        v = _issue(staff, firms[1], scheme, 20 * W, "ip", d(YEAR, 2, 1), "发明专利布局")
        services.use_voucher(_owner(firms[1]), v, patent, on=d(YEAR, 2, 10))
        services.verify_redemption(
            staff, _claim(provider_users[1], v, 45 * W, 45 * W, d(YEAR, 6, 1), 2)
        )

        # paid in part: half of 18万 is 9万 of a 12万 voucher; 3万 returns to the scheme
        v = _issue(staff, firms[2], scheme, 12 * W, "testing", d(YEAR, 2, 15), "材料检测")
        services.use_voucher(_owner(firms[2]), v, test, on=d(YEAR, 2, 20))
        claim = _claim(provider_users[0], v, 18 * W, 18 * W, d(YEAR, 5, 10), 3)
        services.verify_redemption(staff, claim)
        services.settle_redemption(staff, claim, on=d(YEAR, 6, 15))

        # paid in full
        v = _issue(staff, firms[3], scheme, 20 * W, "tech_transfer", d(YEAR, 5, 10), "成果转化")
        services.use_voucher(_owner(firms[3]), v, transfer, on=d(YEAR, 5, 12))
        claim = _claim(provider_users[2], v, 50 * W, 50 * W, d(YEAR, 8, 1), 4)
        services.verify_redemption(staff, claim)
        services.settle_redemption(staff, claim, on=d(YEAR, 8, 20))

        # a claim sent back: the voucher is whole again
        v = _issue(staff, firms[4], scheme, 10 * W, "testing", d(YEAR, 7, 1), "产品型式检验")
        services.use_voucher(_owner(firms[4]), v, test, on=d(YEAR, 7, 5))
        claim = _claim(provider_users[0], v, 30 * W, 12 * W, d(YEAR, 8, 10), 5)
        services.reject_redemption(
            staff, claim, reason="发票抬头与合同甲方不一致，请更正后重新提交", on=d(YEAR, 8, 15)
        )

        # unused until it lapsed; its amount is available again
        _issue(staff, firms[5], scheme, 8 * W, "consulting", d(YEAR, 1, 20), "高企认定咨询")
        services.expire_vouchers(d(YEAR, 7, 19), actor=staff, scheme=scheme)

        # issued, not yet used
        _issue(staff, firms[6], scheme, 6 * W, "finance", d(YEAR, 10, 20), "融资路演")

        # applications: one refused, two waiting (one of them enterprise_demo's)
        refused = services.apply_for_voucher(
            _owner(firms[7]),
            firms[7],
            scheme,
            amount=15 * W,
            category="rd_design",
            purpose="厂房装修设计",
            on=d(YEAR, 11, 2),
            is_demo=True,
        )
        services.reject_application(staff, refused, reason="厂房装修不属于科技创新服务")
        for firm, amount, category, purpose in (
            (firms[8], 12 * W, "ip", "PCT 国际专利申请"),
            (firms[0], 5 * W, "consulting", "科技型中小企业评价辅导"),
        ):
            services.apply_for_voucher(
                _owner(firm),
                firm,
                scheme,
                amount=amount,
                category=category,
                purpose=purpose,
                on=d(YEAR, 11, 25),
                is_demo=True,
            )
    return {
        "schemes": 1,
        "providers": len(providers),
        "vouchers": Voucher.objects.filter(scheme=scheme).count(),
        "redemptions": Redemption.objects.filter(voucher__scheme=scheme).count(),
        "users": users,
    }


def remove_vouchers_demo() -> dict[str, int]:
    """Delete the demo schemes with everything in them, and the demo providers nothing real
    refers to. Real schemes, vouchers and their ledger are untouched."""
    with transaction.atomic():
        schemes = Scheme.objects.filter(is_demo=True)
        vouchers = Voucher.objects.filter(scheme__in=schemes)
        claims = Redemption.objects.filter(voucher__in=vouchers)
        files = RedemptionFile.objects.filter(redemption__in=claims)
        names = list(files.values_list("file", flat=True))
        counts = {"files": files.delete()[0]}
        counts["redemptions"] = claims.delete()[0]
        VoucherEvent.objects.filter(voucher__in=vouchers).delete()
        counts["entries"] = LedgerEntry.objects.discard_demo()
        counts["vouchers"] = vouchers.delete()[0]
        counts["applications"] = VoucherApplication.objects.filter(scheme__in=schemes).delete()[0]
        counts["schemes"] = schemes.delete()[0]
        agents = User.objects.filter(is_demo=True, username__startswith=AGENT_PREFIX)
        counts["users"] = agents.delete()[0]
        providers = Provider.objects.filter(
            is_demo=True, vouchers__isnull=True, redemptions__isnull=True
        )
        org_ids = list(providers.values_list("organization_id", flat=True))
        members = User.objects.filter(organization_id__in=org_ids)
        members.filter(is_demo=False).update(organization=None)
        counts["users"] += members.filter(is_demo=True).delete()[0]
        Service.objects.filter(provider__in=providers).delete()
        counts["providers"] = providers.delete()[0]
        Organization.objects.filter(pk__in=org_ids).delete()
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)
    return counts
