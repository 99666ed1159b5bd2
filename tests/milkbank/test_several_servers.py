"""A bank that outgrows one machine: two gunicorn servers, one PostgreSQL, one Redis (README, Deployment).

Two real servers on different ports share the test database and the machine's Redis (127.0.0.1:6379) as
CACHE_URL, as two machines behind a load balancer would. What one server records, the other honours:
sessions, sign-in lockouts, flood limits, cached public pages, and an editor's change. Each test uses a key
prefix of its own in Redis and removes its keys afterwards.
"""

import os
import time
import uuid

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from milkbank import roles
from resources.models import Page
from tests.conftest import PASSWORD, _staff

from .gunicorn_servers import Gunicorn, Visitor, collect_static, database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LOGIN = reverse("admin:login")
ADMIN = reverse("admin:index")
FEEDBACK = reverse("resources:feedback")


class _QuickHasher(PBKDF2PasswordHasher):
    """Production's hasher (the servers run production settings), with few rounds to keep the test quick."""

    iterations = 1000


@pytest.fixture
def redis_cache():
    """The machine's Redis, with a key prefix of this test's own; its keys are removed afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "Several servers share PostgreSQL (DATABASE_URL=postgres://...); SQLite is one machine's."
        )
    import redis

    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis must run in CI: nothing answers at {REDIS} (see .ci/run).")
        pytest.skip(f"No Redis at {REDIS}: start one (redis-server) to run the several-servers tests.")
    prefix = f"milkbank-test-{uuid.uuid4().hex[:12]}"
    yield client, prefix, f"{REDIS}?key_prefix={prefix}"
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def editor_with_password(django_user_model):
    editor = _staff(django_user_model, "eden", roles.CONTENT_EDITOR, first_name="Eden")
    editor.password = _QuickHasher().encode(PASSWORD, _QuickHasher().salt())
    editor.save(update_fields=["password"])
    return editor


@pytest.fixture
def public_page():
    return Page.objects.create(
        title="Keeping milk after a loss",
        slug="keeping-milk-test",
        summary="What you can do with milk you have stored.",
        body="Some families keep it; some donate it.",
        section=Page.Section.AFTER_LOSS,
        order=90,
        published=True,
    )


@pytest.fixture
def two_servers(redis_cache, editor_with_password, public_page, tmp_path):
    collect_static()
    _client, _prefix, cache_url = redis_cache
    url = database_url(tmp_path)
    env = {"CACHE_URL": cache_url, "PUBLIC_PAGE_LOCAL_SECONDS": "1"}
    with (
        Gunicorn(database_url=url, log=tmp_path / "a.log", env=env) as a,
        Gunicorn(database_url=url, log=tmp_path / "b.log", env=env) as b,
    ):
        assert a.port != b.port
        yield a, b


def _sign_in(visitor: Visitor, server, password: str):
    visitor.get(server, LOGIN)  # the form, and its CSRF cookie
    return visitor.post(server, LOGIN, {"username": "eden", "password": password, "next": ADMIN})


def test_two_servers_share_sessions_lockouts_flood_limits_and_cached_pages(
    two_servers, redis_cache, public_page
):
    """One pair of servers for every check: each pair takes seconds to start on a busy machine."""
    a, b = two_servers
    _a_session_started_on_one_server_holds_on_the_other(a, b)
    _a_lockout_earned_on_both_servers_holds_on_both(a, b)
    _a_flood_limit_counts_requests_to_both_servers(a, b, redis_cache)
    _a_page_cached_by_one_server_is_served_by_the_other_until_an_editor_changes_it(
        a, b, redis_cache, public_page
    )


def _a_session_started_on_one_server_holds_on_the_other(a, b):
    editor = Visitor(ip="198.51.100.1")

    signed_in = _sign_in(editor, a, PASSWORD)
    assert signed_in.status == 302 and signed_in.headers["Location"] == ADMIN
    on_b = editor.get(b, ADMIN)
    assert on_b.status == 200 and "Today&#x27;s work" in on_b.text and "Eden" in on_b.text

    signed_out = editor.post(b, reverse("admin:logout"), {})
    assert signed_out.status == 200
    back_on_a = editor.get(a, ADMIN)
    assert back_on_a.status == 302 and back_on_a.headers["Location"].startswith(LOGIN)


def _a_lockout_earned_on_both_servers_holds_on_both(a, b):
    intruder = Visitor(ip="198.51.100.2")
    for attempt in range(4):  # one short of AXES_FAILURE_LIMIT (5), spread over both servers
        refused = _sign_in(intruder, (a, b)[attempt % 2], "wrong-password")
        assert refused.status == 200 and "Please enter the correct username and password" in refused.text
    assert _sign_in(intruder, a, "wrong-password").status == 429, "the fifth failure locks"

    for server in (a, b):
        locked = _sign_in(intruder, server, PASSWORD)  # even the right password, from that address
        assert locked.status == 429, server.port
    elsewhere = _sign_in(Visitor(ip="198.51.100.3"), b, PASSWORD)
    assert elsewhere.status == 302, "the same account from another address is not locked"


def _a_flood_limit_counts_requests_to_both_servers(a, b, redis_cache):
    client, prefix, _url = redis_cache
    flooder = Visitor(ip="198.51.100.4")
    for n in range(10):  # FEEDBACK_RATE_PER_VISITOR: 10 an hour
        answered = flooder.post((a, b)[n % 2], FEEDBACK, {"kind": "helpful", "path": "/"})
        assert answered.status == 400, "counted, then refused for its missing answer"
    for server in (a, b):
        assert flooder.post(server, FEEDBACK, {"kind": "helpful", "path": "/"}).status == 429
    assert Visitor(ip="198.51.100.5").post(a, FEEDBACK, {"kind": "helpful", "path": "/"}).status == 400
    assert list(client.scan_iter(f"{prefix}:*")), "the counters live in Redis"


def _a_page_cached_by_one_server_is_served_by_the_other_until_an_editor_changes_it(
    a, b, redis_cache, public_page
):
    client, prefix, _url = redis_cache
    path = public_page.get_absolute_url()
    assert "Keeping milk after a loss" in Visitor().get(a, path).text  # built on A, kept in Redis
    assert any(b"resources:response" in key for key in client.scan_iter(f"{prefix}:*"))

    # Behind the app's back (no signal, no new generation): B still serves A's copy from Redis.
    Page.objects.filter(pk=public_page.pk).update(title="Changed behind the cache")
    on_b = Visitor().get(b, path)
    assert on_b.status == 200 and "Keeping milk after a loss" in on_b.text

    # An editor's change on A reaches B within PUBLIC_PAGE_LOCAL_SECONDS (1 s here).
    editor = Visitor(ip="198.51.100.6")
    assert _sign_in(editor, a, PASSWORD).status == 302
    change = reverse("admin:resources_page_change", args=[public_page.pk])
    editor.get(a, change)
    saved = editor.post(
        a,
        change,
        {
            "title": "Keeping or giving stored milk",
            "slug": public_page.slug,
            "summary": public_page.summary,
            "body": public_page.body,
            "section": public_page.section,
            "order": public_page.order,
            "published": "on",
            "_save": "Save",
        },
    )
    assert saved.status == 302, saved.text[:2000]
    for server in (b, a):  # each of A's other workers, too, may have kept its own copy for those seconds
        deadline = time.monotonic() + 5
        while "Keeping or giving stored milk" not in (text := Visitor().get(server, path).text):
            assert time.monotonic() < deadline, f"the edit did not reach {server} within 5 s"
            time.sleep(0.2)
        assert "Keeping milk after a loss" not in text
