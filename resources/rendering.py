"""Markdown written by content editors, turned into HTML that is safe to show to the public."""

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
# No javascript:, data: or vbscript: links; relative links (no scheme) stay allowed.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


class _DemoteTitles(Treeprocessor):
    def run(self, root):
        # The page template owns the only <h1>; an editor's "# Heading" becomes a section heading.
        for element in root.iter("h1"):
            element.tag = "h2"


class DemoteTitles(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(_DemoteTitles(md), "demote_titles", 5)


def render_markdown(text: str) -> str:
    """Return sanitized HTML for editor-written Markdown.

    Markdown passes raw HTML through, so the sanitizer (nh3, a maintained Rust library) does the real
    work: it drops every tag and attribute not listed above, with the contents of script and style.
    """
    html = markdown.markdown(
        text or "", extensions=["sane_lists", "tables", DemoteTitles()], output_format="html"
    )
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )
