"""English is complete: every UI string has a translation, and the compiled catalogue is current."""

import gettext
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def entries() -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every singular entry of the .po file."""
    out = []
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "msgid_plural" in block or "msgid" not in block:
            continue
        parts: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith(("msgid ", "msgstr ")):
                current, _, rest = line.partition(" ")
                parts[current] = rest[1:-1]
            elif line.startswith('"') and current:
                parts[current] += line[1:-1]
        if parts.get("msgid"):  # the header has an empty msgid
            out.append((parts["msgid"], parts.get("msgstr", ""), "#, fuzzy" in block))
    return out


def test_every_string_is_translated_and_none_is_fuzzy():
    missing = [msgid for msgid, msgstr, fuzzy in entries() if not msgstr or fuzzy]
    assert missing == []


@pytest.mark.parametrize("msgid", ["已达成", "严重滞后", "数据填报", "督办"])
def test_the_compiled_catalogue_matches_the_source(msgid):
    compiled = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    expected = {m: s for m, s, _ in entries()}
    assert compiled.gettext(msgid) == expected[msgid] != msgid


def test_the_compiled_catalogue_has_every_entry():
    compiled = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    stale = [m for m, s, _ in entries() if "\\" not in m and compiled.gettext(m) != s]
    assert stale == [], "run `make messages` to recompile"
