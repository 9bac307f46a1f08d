"""`kechuang load-policies`: the catalog from data/policies/, idempotent, checked in full."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from kechuang.policies.loader import load_policies
from kechuang.policies.models import Policy, PolicyStateChange


def test_the_catalog_loads_once_and_again_changes_nothing(db, capsys):
    call_command("load-policies")
    assert "新增 created 13" in capsys.readouterr().out
    changes = PolicyStateChange.objects.count()
    call_command("load-policies")
    assert "保留 kept 13" in capsys.readouterr().out
    call_command("load-policies", "--update")
    assert "更新 updated 0" in capsys.readouterr().out
    assert PolicyStateChange.objects.count() == changes


def test_the_catalog_names_its_sources_and_never_invents_a_phone(catalog):
    voucher = Policy.objects.get(code="dsz-innovation-voucher-2020")
    assert (voucher.document_number, voucher.department, voucher.phone) == (
        "克独政发〔2020〕54号",
        "区科学技术局",
        "",
    )
    hnte = Policy.objects.get(code="hnte-recognition-2016")
    assert (hnte.document_number, str(hnte.issued_on)) == ("国科发火〔2016〕32号", "2016-01-29")
    reward = Policy.objects.get(code="dsz-hnte-reward")
    assert reward.auto_grant and reward.grant_amount is None and reward.grant_trigger == "hnte"
    assert Policy.objects.get(code="sme-gradient-2022").state == "expired"


def test_edits_made_in_the_platform_survive_a_reload_unless_update_is_asked(catalog):
    Policy.objects.filter(code="dsz-hnte-reward").update(phone="0992-3600000")
    load_policies()
    assert Policy.objects.get(code="dsz-hnte-reward").phone == "0992-3600000"
    report = load_policies(update=True)
    assert report.updated == 1
    assert Policy.objects.get(code="dsz-hnte-reward").phone == ""


def test_a_bad_file_is_refused_whole_with_file_entry_and_field(tmp_path, db, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schema: kechuang-policies/1\npolicies:\n"
        "  - {code: ok-one, title: 甲, issuer: 乙, level: district, category: other, "
        "summary: 丙, department: 丁}\n"
        "  - {code: bad-one, title: 甲, issuer: 乙, level: district, category: other, "
        "summary: 丙, department: 丁, conditions: {all: [{fact: nope, is: true}]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("load-policies", str(bad))
    err = capsys.readouterr().err
    assert "bad.yaml › policies[1] (bad-one) · 申请条件 / conditions.all[0].fact" in err
    assert not Policy.objects.exists()


def test_a_file_of_another_kind_is_refused(tmp_path, db):
    other = tmp_path / "plan.yaml"
    other.write_text("schema: something-else\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load-policies", str(other))
    with pytest.raises(CommandError):
        call_command("load-policies", str(tmp_path / "missing.yaml"))
