"""Search of the published pages: PostgreSQL full-text search there, a plain substring match elsewhere."""

from django.db import connection
from django.db.models import Q

MAX_RESULTS = 20


def search_pages(pages, query: str):
    """Return up to MAX_RESULTS pages from the `pages` queryset matching `query`, best first."""
    query = query.strip()
    if not query:
        return pages.none()
    if connection.vendor == "postgresql":
        # Imported here: django.contrib.postgres needs psycopg and is only meaningful on PostgreSQL.
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            pages.annotate(document=vector, rank=SearchRank(vector, search_query))
            .filter(document=search_query)
            .order_by("-rank", "title")
            .only("slug", "title", "summary", "section")[:MAX_RESULTS]
        )
    words = query.split()[:8]
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    return (
        pages.filter(condition)
        .order_by("section", "order")
        .only("slug", "title", "summary", "section")[:MAX_RESULTS]
    )
