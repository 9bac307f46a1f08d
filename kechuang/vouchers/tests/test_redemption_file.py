"""A claim's contract and invoice are served only after a permission check."""

import pytest

from kechuang.vouchers.models import RedemptionFile


@pytest.fixture
def contract(flow):
    _v, claim = flow.redeeming()
    return RedemptionFile.objects.get(redemption=claim, role="contract")


def url(f) -> str:
    return f"/vouchers/files/{f.pk}/"


def test_the_bureau_and_the_claiming_provider_download_it(
    client_for, staff_user, provider_user, contract
):
    for user in (staff_user, provider_user):
        response = client_for(user).get(url(contract))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["other_provider_user", "enterprise_user", "reporter", "expert"])
def test_anyone_else_finds_nothing(request, client_for, who, contract):
    assert client_for(request.getfixturevalue(who)).get(url(contract)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, contract):
    assert client.get(url(contract)).status_code == 302
