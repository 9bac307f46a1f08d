"""The rule cases in ``cases/*.yaml``, written from the official texts, one test each."""

import pytest

from kechuang.core.criteria.tests import support

HNTE = support.load("hnte.yaml")
TECH_SME = support.load("tech_sme.yaml")
GRADIENT = support.load("gradient.yaml")
SME_SIZE = support.load("sme_size.yaml")
DATING = support.load("dating.yaml")


@pytest.mark.parametrize(("doc", "case"), support.params(HNTE))
def test_hnte(doc, case):
    support.check(support.run(doc, case), case["expect"])


@pytest.mark.parametrize(("doc", "case"), support.params(TECH_SME))
def test_tech_sme(doc, case):
    support.check(support.run(doc, case), case["expect"])


@pytest.mark.parametrize(("doc", "case"), support.params(GRADIENT))
def test_gradient(doc, case):
    support.check(support.run(doc, case), case["expect"])


@pytest.mark.parametrize(("doc", "case"), support.params(SME_SIZE))
def test_sme_size(doc, case):
    support.check(support.run(doc, case), case["expect"])


@pytest.mark.parametrize(("doc", "case"), support.params(DATING))
def test_dating(doc, case):
    support.check(support.run(doc, case), case["expect"])
