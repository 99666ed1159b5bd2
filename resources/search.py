"""Search of everything public: pages, tools, list entries, other apps' pages (depots, Forever Butterflies).

Each source yields documents; `rebuild_index` copies them into SearchDocument whenever content changes, so
one query searches them all. Parents' words are widened with editors' synonyms (SearchSynonym): every word
or phrase typed must be found, as itself or as one of the words it stands for.

PostgreSQL ranks with full-text search (stemmed English; title and keywords weigh most, then the summary, then
the body). Other databases match word stems as substrings and rank by the same weights, in Python.
"""

import re
from collections.abc import Callable, Iterable
from functools import reduce
from operator import and_, or_

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import GriefResource, MilkBank, Page, SearchDocument

MAX_RESULTS = 20
MAX_WORDS = 8
# Words too common to narrow anything; dropped before searching (PostgreSQL drops them too).
STOP_WORDS = frozenset(
    "a an and are can do does for from how i in is it me my of on or our the to what when where why with"
    " you your".split()
)
# The fallback's weights, in the spirit of PostgreSQL's A/B/C.
FIELD_WEIGHTS = {"title": 8, "keywords": 6, "summary": 3, "body": 1}

Document = dict  # source, key, url, kind, title, keywords, summary, body

SOURCES: dict[str, Callable[[], Iterable[Document]]] = {}


def register_source(name: str, documents: Callable[[], Iterable[Document]]) -> None:
    """Add a source of documents; other apps register theirs through milkbank.wiring."""
    SOURCES[name] = documents


@transaction.atomic
def rebuild_index(**_signal_kwargs) -> None:
    """Copy every source's documents into the index (a few hundred rows: quicker than tracking changes)."""
    documents = [
        SearchDocument(source=name, **document) for name, build in SOURCES.items() for document in build()
    ]
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


def _words(text: str) -> list[str]:
    return [word for word in re.findall(r"[\w'-]+", text.lower()) if word not in STOP_WORDS]


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
    """Up to MAX_RESULTS documents matching every group of `query`, best first."""
    groups = query_groups(query.strip(), synonyms)
    if not groups:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(groups)
    return _search_fallback(groups)


def _search_postgresql(groups):
    # Imported here: django.contrib.postgres needs psycopg and is only meaningful on PostgreSQL.
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("keywords", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )

    def alternative(text):
        return SearchQuery(text, search_type="phrase" if " " in text else "plain", config="english")

    search_query = reduce(and_, [reduce(or_, map(alternative, group)) for group in groups])
    # Ranked on any alternative, so a document matching more of them comes first.
    rank_query = reduce(or_, [alternative(text) for group in groups for text in group])
    return list(
        SearchDocument.objects.annotate(document=vector, rank=SearchRank(vector, rank_query))
        .filter(document=search_query)
        .order_by("-rank", "title")[:MAX_RESULTS]
    )


def _stem(word: str) -> str:
    """A crude English stem for substring matching: 'engorged' -> 'engorg', 'pumping' -> 'pump'."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _search_fallback(groups):
    def contains(text):
        stems = [_stem(word) for word in text.split()]
        return reduce(
            and_, [reduce(or_, [Q(**{f"{f}__icontains": s}) for f in FIELD_WEIGHTS]) for s in stems]
        )

    candidates = SearchDocument.objects.filter(
        reduce(and_, [reduce(or_, map(contains, group)) for group in groups])
    )

    def score(document):
        total = 0
        for text in (text for group in groups for text in group):
            stems = [_stem(word) for word in text.split()]
            for field, weight in FIELD_WEIGHTS.items():
                value = getattr(document, field).lower()
                if all(stem in value for stem in stems):
                    total += weight
        return total

    return sorted(candidates, key=lambda document: (-score(document), document.title))[:MAX_RESULTS]
