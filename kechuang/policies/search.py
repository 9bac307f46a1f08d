"""Chinese search over the catalog: jieba segmentation plus pinyin, stored per policy.

Each policy keeps three token strings (title, summary, full text), rebuilt by the service on
every save. A token string is the words of ``jieba.cut_for_search`` separated by single spaces,
with a space at each end so that a whole word is found as `` word ``. Title and summary also
carry the pinyin of their words and of each run of Chinese characters, in full and as initials,
so "gxjsqy" finds 高新技术企业 and "kejichuangxinquan" finds 科技创新券.

A query is segmented the same way, each word reduced to its finest pieces. A policy matches when
it holds every piece (Chinese words whole, Latin letters anywhere inside the pinyin); its score
adds 3 for each piece found in the title, else 2 in the summary, else 1 in the full text.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from functools import cache

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

MAX_TERMS = 12
WEIGHTS = {"search_title": 3, "search_summary": 2, "search_body": 1}
# Words jieba's general dictionary splits; kept whole so that they are found whole.
VOCABULARY = (
    "高新技术企业",
    "科技型中小企业",
    "科技创新券",
    "创新券",
    "免申即享",
    "专精特新",
    "小巨人",
    "加计扣除",
    "梯度培育",
    "油城英才",
    "双创杰青",
    "天山英才",
)
_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[\w\u3400-\u9fff]")
_LATIN = re.compile(r"[a-z]+")


@cache
def _jieba():
    """jieba, quiet and initialised once per process (its dictionary is a pure lookup cache,
    the same in every process)."""
    with warnings.catch_warnings():
        # jieba 0.42's regex literals use escapes Python deprecates; nothing for us to act on.
        warnings.simplefilter("ignore", DeprecationWarning)
        import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for word in VOCABULARY:
        jieba.add_word(word)
    return jieba


def words(text: str) -> list[str]:
    """The search words of a text, lower-cased, each once, in order of first appearance."""
    seen: dict[str, None] = {}
    for token in _jieba().cut_for_search(text.lower()):
        token = token.strip()
        if token and _WORD.search(token):
            seen.setdefault(token, None)
    return list(seen)


def _pinyin(text: str) -> list[str]:
    # Imported here: its phrase tables are large, and only search needs them.
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(text))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER))
    return [full, initials]


def tokens(text: str, *, pinyin: bool = False) -> str:
    """The stored token string of a field."""
    found = words(text)
    if pinyin:
        extra: dict[str, None] = {}
        for piece in [*(w for w in found if _CJK.fullmatch(w)), *_CJK.findall(text)]:
            for p in _pinyin(piece):
                extra.setdefault(p, None)
        found += [p for p in extra if p not in found]
    return f" {' '.join(found)} " if found else ""


def documents(policy) -> dict[str, str]:
    """The three token strings to store on a policy: the title with its document number; the
    summary with the issuer and the department; the full text."""
    return {
        "search_title": tokens(f"{policy.title} {policy.document_number}", pinyin=True),
        "search_summary": tokens(
            f"{policy.summary} {policy.issuer} {policy.department}", pinyin=True
        ),
        "search_body": tokens(policy.full_text),
    }


@dataclass(frozen=True)
class Term:
    text: str
    anywhere: bool  # Latin letters (pinyin) match inside a token; other words match whole

    def lookup(self, field: str) -> Q:
        value = self.text if self.anywhere else f" {self.text} "
        return Q(**{f"{field}__contains": value})


def _finest(pieces: list[str]) -> list[str]:
    """The pieces that contain no smaller piece: 高新技术 → 高新, 技术."""
    return [p for p in pieces if not any(q != p and len(q) < len(p) and q in p for q in pieces)]


def terms(query: str) -> list[Term]:
    """The words a policy must hold. Each word of the query is reduced to its finest pieces,
    because a document segments a longer compound differently (高新技术企业 holds 高新, 技术 and
    企业 but not 高新技术), while the finest pieces are found either way."""
    found: dict[str, None] = {}
    for word in _jieba().cut(query.lower()):
        word = word.strip()
        if word and _WORD.search(word):
            found.update(dict.fromkeys(_finest(words(word))))
    return [Term(w, bool(_LATIN.fullmatch(w))) for w in list(found)[:MAX_TERMS]]


def search(qs: QuerySet, query: str) -> QuerySet:
    """Policies holding every word of ``query``, annotated with ``score`` (higher first)."""
    found = terms(query)
    if not found:
        return qs.annotate(score=Value(0, output_field=IntegerField()))
    score = Value(0, output_field=IntegerField())
    for term in found:
        hits = [(term.lookup(field), weight) for field, weight in WEIGHTS.items()]
        qs = qs.filter(hits[0][0] | hits[1][0] | hits[2][0])
        score = score + Case(
            *(When(q, then=Value(w)) for q, w in hits),
            default=Value(0),
            output_field=IntegerField(),
        )
    return qs.annotate(score=score)
