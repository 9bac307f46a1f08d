"""Chinese search: words found whole, pinyin and its initials, the document number; title hits
rank above summary hits above full-text hits; filters apply on top."""

from __future__ import annotations

import logging

from kechuang.policies import search, selectors


def codes(**filters) -> list[str]:
    return [p.code for p in selectors.policy_list(selectors.Filters(**filters))]


def test_words_are_segmented_lower_cased_once_each_without_punctuation():
    assert search.words("高新技术企业（认定）、高新技术企业 GXJS") == [
        "高新",
        "技术",
        "企业",
        "高新技术企业",
        "认定",
        "gxjs",
    ]


def test_a_query_word_is_looked_for_by_its_finest_pieces():
    assert [t.text for t in search.terms("高新技术 GXJS")] == ["高新", "技术", "gxjs"]
    assert [t.anywhere for t in search.terms("高新 gxjs")] == [False, True]


def test_title_tokens_carry_pinyin_in_full_and_as_initials():
    tokens = search.tokens("科技创新券管理办法", pinyin=True)
    for token in (" 科技 ", " 创新券 ", "kejichuangxinquan", "kjcxqglbf", " kj "):
        assert token in tokens


def test_searching_hnte_finds_the_policy_with_its_department_and_phone(catalog, client):
    found = codes(q="高新技术企业")
    assert found[0] == "hnte-recognition-2016"
    assert codes(q="高新技术")[0] == "hnte-recognition-2016"
    response = client.get("/policies/?q=高新技术企业")
    text = response.content.decode()
    assert "高新技术企业认定管理办法" in text and "区科学技术局（申报辅导与推荐）" in text
    assert "待补充" in text  # the catalog never invents a phone number


def test_pinyin_initials_and_full_pinyin_find_chinese_titles(catalog):
    assert codes(q="gxjsqy")[0] == "hnte-recognition-2016"
    assert codes(q="kjcxq")[0] == "dsz-innovation-voucher-2020"
    assert codes(q="kejichuangxinquan")[0] == "dsz-innovation-voucher-2020"


def test_the_document_number_and_the_issuer_are_searchable(catalog):
    assert codes(q="54号") == ["dsz-innovation-voucher-2020"]
    assert "rd-super-deduction-2023" in codes(q="税务总局")


def test_every_word_must_be_found(catalog):
    assert codes(q="创新券 加计扣除") == []
    assert codes(q="研发 加计扣除") == ["rd-super-deduction-2023"]


def test_title_hits_rank_above_summary_hits_above_full_text_hits(make_policy):
    make_policy("in-body", title="乙政策", summary="其他", full_text="企业孵化器相关规定")
    make_policy("in-title", title="孵化器建设补助", summary="其他")
    make_policy("in-summary", title="甲政策", summary="支持孵化器发展")
    make_policy("none", title="丙政策", summary="无关")
    found = list(selectors.policy_list(selectors.Filters(q="孵化器")))
    assert [p.code for p in found] == ["in-title", "in-summary", "in-body"]
    n = len(search.terms("孵化器"))
    assert [p.score for p in found] == [3 * n, 2 * n, n]


def test_filters_apply_on_top_of_the_search(catalog):
    assert codes(q="高新技术企业", level="district") == ["dsz-hnte-reward"]
    assert set(codes(q="梯度培育")) == {"sme-gradient-2022", "sme-gradient-2026"}
    assert codes(q="梯度培育", status="expired") == ["sme-gradient-2022"]
    assert codes(q="梯度培育", status="in_force") == ["sme-gradient-2026"]


def test_a_query_of_punctuation_only_lists_everything(catalog):
    assert len(codes(q="、，")) == len(codes())


def test_jieba_stays_quiet(caplog):
    with caplog.at_level(logging.DEBUG):
        search.words("政策找企业")
    assert not [r for r in caplog.records if r.name == "jieba"]
