"""English is complete: every UI string (plural forms too) is translated, and compiled."""

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


def untranslated(text: str) -> list[str]:
    """msgids whose msgstr (or any plural form) is empty, or that are marked fuzzy."""
    out = []
    for block in text.split("\n\n")[1:]:
        strings: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("msg"):
                current, _, rest = line.partition(" ")
                strings[current] = rest[1:-1]
            elif line.startswith('"') and current:
                strings[current] += line[1:-1]
        if "msgid" not in strings:
            continue
        forms = [v for k, v in strings.items() if k.startswith("msgstr")]
        if "#, fuzzy" in block or not forms or not all(forms):
            out.append(strings["msgid"])
    return out


def test_every_string_is_translated():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert untranslated(text) == []
    compiled = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    assert compiled.gettext("企业库") == "Enterprise registry"


@pytest.mark.parametrize("msgid", ["已达成", "严重滞后", "数据填报", "督办"])
def test_the_compiled_catalogue_matches_the_source(msgid):
    compiled = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    expected = {m: s for m, s, _ in entries()}
    assert compiled.gettext(msgid) == expected[msgid] != msgid


def test_the_compiled_catalogue_has_every_entry():
    compiled = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    stale = [m for m, s, _ in entries() if "\\" not in m and compiled.gettext(m) != s]
    assert stale == [], "run `make messages` to recompile"
