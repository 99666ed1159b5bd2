"""The documented deployment, for real: gunicorn with milkbank/gunicorn.conf.py, under production settings.

Each test starts its own servers on free ports (tests/milkbank/gunicorn_servers.py) and stops them when it
ends. The export here has 50,000 rows (about 5.5 MB), read slowly, with a two-second worker timeout: it
outlasts the timeout, as the million-row export outlasts the default 30 s (README, Deployment).
"""

import csv
import http.client
import io
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.urls import reverse

from donors.milk.services import EXPORT_COMPLETE
from milkbank import roles
from tests.conftest import _staff

from .gunicorn_servers import Gunicorn, collect_static, database_url, signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("static_files")]

ROWS = 50_000
EXPORT = reverse("donors:dropoff_export")


@pytest.fixture(scope="module")
def static_files():
    collect_static()


@pytest.fixture
def export_rows(coordinator):
    call_command("seed_scale", donors=200, dropoffs=ROWS, depots=3, stdout=io.StringIO())
    return ROWS


def _read(response: http.client.HTTPResponse, *, pause: float = 0.0) -> bytes:
    """Read to the end, or to where the server cut it; after the first chunk, stop reading for `pause`
    seconds, as a slow connection would, so the server waits on the reader (once the socket buffers,
    up to 4 MB, are full: the file is larger)."""
    chunks = []
    while True:
        try:
            chunk = response.read1(65536)
        except (http.client.IncompleteRead, ConnectionError) as cut:
            chunks.append(getattr(cut, "partial", b""))
            break
        if not chunk:
            break
        if not chunks:
            time.sleep(pause)
        chunks.append(chunk)
    response.close()
    return b"".join(chunks)


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode(errors="replace"))))


def _export(server, visitor, *, pause: float) -> tuple[int, bytes]:
    response = visitor.open(server, "GET", EXPORT, slow=True)
    return response.status, _read(response, pause=pause)


def test_the_whole_export_arrives_though_it_outlasts_the_worker_timeout(export_rows, coordinator, tmp_path):
    """With a two-second worker timeout, the export takes longer: gunicorn's default sync worker is
    killed mid-file with a 200 already sent (as the README's old command did at a million rows), and the
    part that arrives lacks the last line, so it never looks whole. The documented threaded workers send
    the whole file, ending with that line."""
    visitor = signed_in(coordinator)
    url = database_url(tmp_path)
    sync = ["--worker-class", "sync", "--threads", "1", "--timeout", "2"]  # threads > 1 would mean gthread
    with Gunicorn(database_url=url, log=tmp_path / "sync.log", args=sync) as server:
        status, body = _export(server, visitor, pause=3)
        assert "WORKER TIMEOUT" in server.log()
    cut = _rows(body)
    assert status == 200 and 1 < len(cut) < export_rows + 2, "a part of the file arrived"
    assert not any(row and row[0].startswith("# complete") for row in cut)

    with Gunicorn(database_url=url, log=tmp_path / "gthread.log", args=["--timeout", "2"]) as server:
        started = time.monotonic()
        status, body = _export(server, visitor, pause=3)
        seconds = time.monotonic() - started
        private_link = visitor.get(server, "/donate/s/Xk2secretpart:signaturepart/")
        time.sleep(1)  # the access log line is written once the response is finished
        log = server.log()

    rows = _rows(body)
    assert status == 200 and seconds > 3, "the download took longer than the worker timeout"
    assert rows[0][:2] == ["drop-off", "donor number"]
    assert len(rows) == export_rows + 2
    assert rows[-1] == [EXPORT_COMPLETE.format(count=export_rows)]
    assert f'"GET {EXPORT}" 200 {len(body)} ' in log, "the access log shows the whole size sent"
    assert private_link.status in (200, 404)
    assert '"GET /donate/s/[private-link]/"' in log, "logged without its token"
    assert "secretpart" not in log and "signaturepart" not in log


def test_twenty_coordinators_are_served_while_an_export_streams(
    export_rows, coordinator, django_user_model, tmp_path
):
    """A coordinator downloads every drop-off on a slow connection (the server waits on them mid-file)
    while 20 others each open a page at the same moment: every page arrives, none waits for the export,
    which then arrives whole. The access log proves the order: the pages' lines are written while the
    export's is not yet (gunicorn logs a request when its answer is finished)."""
    pages = [
        (reverse("admin:donors_donor_dashboard"), "Coordinator dashboard"),
        (reverse("admin:donors_donor_changelist"), "Select donor to change"),
        (reverse("donors:depot_work"), "Depot work"),
        (reverse("donors:milk_report"), "Milk totals by depot and month"),
    ]
    colleagues = [
        signed_in(_staff(django_user_model, f"coordinator{n}", roles.COORDINATOR), ip=f"203.0.113.{n + 20}")
        for n in range(20)
    ]
    exporter = signed_in(coordinator)
    with Gunicorn(database_url=database_url(tmp_path), log=tmp_path / "gunicorn.log") as server:
        export = exporter.open(server, "GET", EXPORT, slow=True)
        assert export.status == 200
        first = export.read1(65536)  # under way; its reader now pauses while the others work

        def visit(n):
            path, marker = pages[n % len(pages)]
            started = time.monotonic()
            response = colleagues[n].get(server, path, timeout=20)
            return path, response.status, marker in response.text, time.monotonic() - started

        with ThreadPoolExecutor(max_workers=20) as pool:
            visits = list(pool.map(visit, range(20)))
        time.sleep(0.5)
        log_meanwhile = server.log()
        body = first + _read(export)

    assert [(path, status, shown) for path, status, shown, _ in visits] == [
        (pages[n % len(pages)][0], 200, True) for n in range(20)
    ]
    assert max(seconds for *_, seconds in visits) < 15
    assert sum(f'"GET {path}" 200' in log_meanwhile for path, _ in pages) == len(pages)
    assert f'"GET {EXPORT}"' not in log_meanwhile, "the export was still streaming"
    assert _rows(body)[-1] == [EXPORT_COMPLETE.format(count=export_rows)]
