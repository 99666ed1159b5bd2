"""The Spanish and French catalogues: complete, placeholders and markup kept, and the committed .mo current.

`test_every_string_is_translated` covers the whole catalogue, so it fails while any marked string still lacks
a translation (on a helper's branch, other areas' strings may be missing until the catalogues are merged);
`test_the_site_wide_strings_are_translated` covers the header, footer, error pages and resource pages alone.
CI also runs `make messages` and fails when it changes a catalogue (.ci/run).
"""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
TAG = re.compile(r"</?([a-z]+)")
SITE_WIDE = re.compile(
    r"^(templates/(base\.html|includes/|403|404|500|resources/)"
    r"|resources/(views|forms|hours|templatetags/resources_extras)\.py)"
)


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _entries(language: str) -> list[polib.POEntry]:
    return [entry for entry in _catalogue(language) if not entry.obsolete]


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def _missing(entries) -> list[str]:
    return [
        f"{entry.occurrences[0][0] if entry.occurrences else '?'}: {entry.msgid[:70]!r}"
        for entry in entries
        if "fuzzy" in entry.flags or not all(text.strip() for text in _translations(entry))
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    missing = _missing(_entries(language))
    assert not missing, f"{len(missing)} untranslated or fuzzy in {language}:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_site_wide_strings_are_translated(language):
    entries = [e for e in _entries(language) if any(SITE_WIDE.match(path) for path, _line in e.occurrences)]
    assert len(entries) > 150
    missing = _missing(entries)
    assert not missing, f"{len(missing)} untranslated or fuzzy in {language}:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_and_markup(language):
    wrong = []
    for entry in _entries(language):
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        expected = set().union(*(_placeholders(text) for text in sources))
        tags = sorted(TAG.findall(entry.msgid))
        for text in filter(None, _translations(entry)):
            # A singular form may leave out the count ("one page"), never add a name the code does not pass.
            names = _placeholders(text)
            if not names <= expected or (not entry.msgid_plural and names != expected):
                wrong.append(f"{entry.msgid[:60]!r}: {sorted(names)} instead of {sorted(expected)}")
            if sorted(TAG.findall(text)) != tags:
                wrong.append(f"{entry.msgid[:60]!r}: markup {sorted(TAG.findall(text))} instead of {tags}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_holds_the_po_translations(language):
    """`make run` reads the compiled .mo (no gettext on a fresh machine): it must say what the .po says."""
    expected = {}
    for entry in _entries(language):
        if "fuzzy" in entry.flags:
            continue  # msgfmt leaves fuzzy entries out
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            if all(entry.msgstr_plural.values()):
                expected.update({(key, int(n)): text for n, text in entry.msgstr_plural.items()})
        elif entry.msgstr:
            expected[key] = entry.msgstr
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    catalog = {key: text for key, text in catalog.items() if key != ""}  # "" is the header
    stale = sorted(str(key)[:70] for key in expected.keys() ^ catalog.keys())
    shared = expected.keys() & catalog.keys()
    stale += sorted(str(key)[:70] for key in shared if expected[key] != catalog[key])
    assert not stale, "run `make messages` and commit the .mo: " + "; ".join(stale[:20])
