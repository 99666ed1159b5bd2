"""Editor Markdown becomes safe HTML: no script, no event attributes, no javascript: links."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resources.rendering import render_markdown


@pytest.mark.parametrize(
    "markdown",
    [
        "Hello <script>alert('x')</script> there",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</script>",
    ],
)
def test_it_removes_scripts_and_their_contents(markdown):
    html = render_markdown(markdown)
    assert "<script" not in html.lower()
    assert "alert(" not in html
    assert "evil.example" not in html


@pytest.mark.parametrize(
    "markdown",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="jav&#x61;script:alert(1)">click</a>',
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_it_removes_dangerous_link_targets(markdown):
    html = render_markdown(markdown)
    assert "click" in html
    assert "href" not in html


@pytest.mark.parametrize(
    "markdown",
    [
        '<img src="x" onerror="alert(1)">',
        '<a href="/ok/" onclick="alert(1)">ok</a>',
        '<p onmouseover="alert(1)">hover</p>',
        '<body onload="alert(1)">x</body>',
        '<svg onload="alert(1)"><circle /></svg>',
    ],
)
def test_it_removes_event_attributes(markdown):
    html = render_markdown(markdown)
    assert not re.search(r"\son\w+\s*=", html)
    assert "alert" not in html


def test_it_removes_raw_html_that_is_not_content():
    html = render_markdown(
        '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>Text'
    )
    assert "<iframe" not in html
    assert "<style" not in html
    assert "display:none" not in html
    assert "Text" in html


def test_it_keeps_the_markdown_editors_write():
    html = render_markdown(
        "# Title\n\n## Section\n\nSome **bold** and *soft* words.\n\n- one\n- two\n\n"
        "1. first\n\n[Donate](/donate/) or [read more](https://www.hmbana.org/) or "
        "[call](tel:5550100) or [write](mailto:help@example.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Title</h2>" in html  # the page owns the only <h1>
    assert "<h2>Section</h2>" in html
    assert "<strong>bold</strong>" in html and "<em>soft</em>" in html
    assert "<ul>" in html and "<ol>" in html
    for href in ("/donate/", "https://www.hmbana.org/", "tel:5550100", "mailto:help@example.org"):
        assert f'href="{href}"' in html
    assert "<table>" in html


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("<>\"'=/ :()[]!&#;x") + ["script", "javascript", "onerror", "onload", "img", "a href", "svg"]
        ),
        max_size=40,
    ).map("".join)
)
def test_no_input_produces_script_or_event_handlers(markdown):
    html = render_markdown(markdown).lower()
    assert "<script" not in html
    assert not re.search(r"<[^>]*\son\w+\s*=", html)
    assert 'href="javascript' not in html
