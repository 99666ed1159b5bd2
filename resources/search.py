"""Search of everything public: pages, tools, list entries, other apps' pages (depots, Forever Butterflies).

Each source yields documents; `rebuild_index` copies them into SearchDocument whenever content changes, so
one query searches them all. Parents' words are widened with editors' synonyms (SearchSynonym): every word
or phrase typed must be found, as itself or as one of the words it stands for.

Every document is indexed once per language of the site (built with that language active: translated text,
or the English text where there is no translation yet), and a search looks only at the visitor's language.

PostgreSQL ranks with full-text search, stemmed in the language searched (title and keywords weigh most, then
the summary, then the body). Other databases match word stems as substrings and rank by the same weights, in
Python.
"""

import re
from collections.abc import Callable, Iterable
from functools import reduce
from operator import and_, or_

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import GriefResource, MilkBank, Page, SearchDocument
from .translation import in_english

MAX_RESULTS = 20
MAX_WORDS = 8
# Words too common to narrow anything, per language; dropped before searching (PostgreSQL drops them too).
STOP_WORDS = {
    "en": frozenset(
        "a an and are can do does for from how i in is it me my of on or our the to what when where why with"
        " you your".split()
    ),
    "es": frozenset(
        "a al como con cómo cuál de del donde dónde el en es la las lo los me mi mis para por qué que se su"
        " sus un una uno unos unas y o yo".split()
    ),
    "fr": frozenset(
        "à au aux avec ce ces comment d de des du en est et il je j l la le les ma mes mon ne ou où par pas"
        " pour qu que quel quelle qui sa se ses son sur un une vos votre".split()
    ),
}
# PostgreSQL text search configurations (stemming and stop words) for each language of the site.
SEARCH_CONFIGS = {"en": "english", "es": "spanish", "fr": "french"}
# Endings the fallback strips to match a word's other forms, longest first.
STEM_ENDINGS = {"en": ("ing", "ed", "es", "s"), "es": ("es", "s"), "fr": ("es", "s", "e", "x")}
# The fallback's weights, in the spirit of PostgreSQL's A/B/C.
FIELD_WEIGHTS = {"title": 8, "keywords": 6, "summary": 3, "body": 1}

Document = dict  # source, key, url, kind, title, keywords, summary, body

SOURCES: dict[str, Callable[[], Iterable[Document]]] = {}


def register_source(name: str, documents: Callable[[], Iterable[Document]]) -> None:
    """Add a source of documents; other apps register theirs through milkbank.wiring."""
    SOURCES[name] = documents


@transaction.atomic
def rebuild_index(**_signal_kwargs) -> None:
    """Copy every source's documents into the index, once per language (a few hundred rows each: quicker than
    tracking changes). Each source builds its documents with the language active, so gettext, reverse()
    (with its language prefix) and translated fields give that language's words."""
    documents = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            documents.extend(
                SearchDocument(source=name, language=language, **document)
                for name, build in SOURCES.items()
                for document in build()
            )
    SearchDocument.objects.all().delete()
    SearchDocument.objects.bulk_create(documents, ignore_conflicts=True)


def rebuild_after_migrate(using=DEFAULT_DB_ALIAS, **_signal_kwargs) -> None:
    """After `migrate`, unless it went back to before the index existed."""
    if SearchDocument._meta.db_table in connections[using].introspection.table_names():
        rebuild_index()


# --- What this app indexes -------------------------------------------------------------------------------


def _pages():
    for page in Page.objects.published():
        yield {
            "key": page.slug,
            "url": page.get_absolute_url(),
            "kind": page.get_section_display(),
            "title": page.title,
            "summary": page.summary,
            "body": page.body,
            "keywords": "",
            "in_english": bool(in_english(page, ["title", "summary"])),
        }


def _list_entries():
    for model, kind in ((GriefResource, _("Grief resource")), (MilkBank, _("Milk bank"))):
        for entry in model.objects.filter(published=True):
            yield {
                "key": f"{model._meta.model_name}-{entry.pk}",
                "url": f"{entry.get_absolute_url()}#entry-{entry.pk}",
                "kind": kind,
                "title": entry.name,
                "summary": entry.description[:400],
                "body": entry.phone,
                "keywords": f"{entry.area} {entry.get_category_display()}",
                "in_english": bool(in_english(entry, ["name", "description"])),
            }


def _tools():
    """Pages that are not content pages: the tools, and other apps' public pages, linked by URL name."""
    tools = [
        (
            "resources:pumping_plan",
            _("Pumping-reduction plan"),
            _("A printable day-by-day plan to stop pumping or expressing gently, one session at a time."),
            _("stop pumping schedule wean slowly drop sessions"),
        ),
        (
            "resources:handout",
            _("Printable handout"),
            _("A tri-fold handout on donating milk after the loss of a baby, to print and share."),
            _("print leaflet brochure pdf"),
        ),
        (
            "memorials:home",
            _("Forever Butterflies"),
            _(
                "A handmade memorial quilt for babies whose parents gave their milk after their baby died, "
                "and a keepsake butterfly for each family."
            ),
            _("quilt memorial butterfly keepsake remember name"),
        ),
        (
            "donors:inquiry",
            _("Become a donor"),
            _("Ask to donate milk. A coordinator calls you back to talk through the three screening steps."),
            _("donate give milk sign up screening"),
        ),
        (
            "donors:depots",
            _("Find a depot"),
            _("Depots near you where approved donors leave frozen milk, and how to ship milk instead."),
            _("depots drop off freezer collection site ship shipping"),
        ),
    ]
    for name, title, summary, keywords in tools:
        yield {
            "key": name,
            "url": reverse(name),
            "kind": _("Page"),
            "title": title,
            "summary": summary,
            "keywords": keywords,
            "body": "",
        }


register_source("page", _pages)
register_source("list", _list_entries)
register_source("tool", _tools)


# --- Searching --------------------------------------------------------------------------------------------


def _language(language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return language if language in STOP_WORDS else settings.LANGUAGE_CODE


def _words(text: str, language: str | None = None) -> list[str]:
    stop_words = STOP_WORDS[_language(language)]
    return [word for word in re.findall(r"[\w'-]+", text.lower()) if word not in stop_words]


def query_groups(query: str, synonyms: Iterable[tuple[str, str]]) -> list[list[str]]:
    """What must be found: one group per word or synonym phrase typed, each group's alternatives any of which
    will do. 'stop my milk' with the synonym 'stop my milk' -> 'suppressing supply' gives
    [['stop my milk', 'suppressing', 'supply']]."""
    text = " " + " ".join(re.findall(r"[\w'-]+", query.lower())) + " "
    groups = []
    for phrase, means in sorted(synonyms, key=lambda pair: -len(pair[0])):  # longest phrase first
        if f" {phrase} " in text:
            text = text.replace(f" {phrase} ", " ", 1)
            alternatives = [" ".join(_words(phrase))] if _words(phrase) else []
            groups.append([*alternatives, *_words(means)])
    groups.extend([word] for word in _words(text))
    return [group for group in groups if group][:MAX_WORDS]


def search(query: str, synonyms: Iterable[tuple[str, str]]) -> list[SearchDocument]:
    """Up to MAX_RESULTS documents in the active language matching every group of `query`, best first."""
    groups = query_groups(query.strip(), synonyms)
    if not groups:
        return []
    language = _language()
    documents = SearchDocument.objects.filter(language=language)
    if connection.vendor == "postgresql":
        return _search_postgresql(documents, groups, SEARCH_CONFIGS.get(language, "simple"))
    return _search_fallback(documents, groups, language)


def _search_postgresql(documents, groups, config):
    # Imported here: django.contrib.postgres needs psycopg and is only meaningful on PostgreSQL.
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("keywords", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )

    def alternative(text):
        return SearchQuery(text, search_type="phrase" if " " in text else "plain", config=config)

    search_query = reduce(and_, [reduce(or_, map(alternative, group)) for group in groups])
    # Ranked on any alternative, so a document matching more of them comes first.
    rank_query = reduce(or_, [alternative(text) for group in groups for text in group])
    return list(
        documents.annotate(document=vector, rank=SearchRank(vector, rank_query))
        .filter(document=search_query)
        .order_by("-rank", "title")[:MAX_RESULTS]
    )


def _stem(word: str, language: str = "en") -> str:
    """A crude stem for substring matching: 'engorged' -> 'engorg', 'bancos' -> 'banc'."""
    for ending in STEM_ENDINGS.get(language, STEM_ENDINGS["en"]):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _search_fallback(documents, groups, language):
    def contains(text):
        stems = [_stem(word, language) for word in text.split()]
        return reduce(
            and_, [reduce(or_, [Q(**{f"{f}__icontains": s}) for f in FIELD_WEIGHTS]) for s in stems]
        )

    candidates = documents.filter(reduce(and_, [reduce(or_, map(contains, group)) for group in groups]))

    def score(document):
        total = 0
        for text in (text for group in groups for text in group):
            stems = [_stem(word, language) for word in text.split()]
            for field, weight in FIELD_WEIGHTS.items():
                value = getattr(document, field).lower()
                if all(stem in value for stem in stems):
                    total += weight
        return total

    return sorted(candidates, key=lambda document: (-score(document), document.title))[:MAX_RESULTS]
