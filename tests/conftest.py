"""Shared fixtures: staff personas (one per role), and the headless browser harness."""

import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation

from milkbank import roles

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _mail_goes_when_the_step_is_saved(request, monkeypatch):
    """Each test runs inside one transaction that never commits, so after-commit work would never run.
    Mail is sent at once instead, as if each step had committed; tests marked `after_commit` keep the
    real behaviour and drive it with django_capture_on_commit_callbacks."""
    if request.node.get_closest_marker("after_commit") is None:
        from donors import notify

        monkeypatch.setattr(notify, "after_commit", lambda work: work())


@pytest.fixture(autouse=True)
def _each_test_starts_and_ends_in_english():
    """A request to /es/ or /fr/ leaves that language active in the test's thread; a later reverse() would
    then build /fr/.../staff/... addresses. Every test starts and ends in the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _staff(django_user_model, username, role=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@bank.test", is_staff=True, **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def coordinator(django_user_model):
    return _staff(django_user_model, "casey", roles.COORDINATOR, first_name="Casey")


@pytest.fixture
def coordinator2(django_user_model):
    return _staff(django_user_model, "robin", roles.COORDINATOR, first_name="Robin")


@pytest.fixture
def volunteer(django_user_model):
    return _staff(django_user_model, "val", roles.DEPOT_VOLUNTEER, first_name="Val")


@pytest.fixture
def memorial_staff(django_user_model):
    return _staff(django_user_model, "mara", roles.MEMORIAL_STAFF, first_name="Mara")


@pytest.fixture
def editor(django_user_model):
    return _staff(django_user_model, "eden", roles.CONTENT_EDITOR, first_name="Eden")


@pytest.fixture
def staff_without_role(django_user_model):
    return _staff(django_user_model, "nobody")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@bank.test", PASSWORD)


@pytest.fixture
def personas(coordinator, volunteer, memorial_staff, editor, staff_without_role):
    """Every role by name, for URL x role matrices; None stands for an anonymous visitor."""
    return {
        "anonymous": None,
        "coordinator": coordinator,
        "volunteer": volunteer,
        "memorial": memorial_staff,
        "editor": editor,
        "no_role": staff_without_role,
    }


# --- Browser harness ---------------------------------------------------------------------------------


def _chromium_available():
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Browser tests must run in CI, but Chromium is missing at {CHROMIUM}.")
        pytest.skip(
            "Browser tests skipped: Chromium not found. Install it with `apt-get install -y chromium` "
            "(or set CHROMIUM_PATH) to run them."
        )
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test body are still
    # synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


def assert_axe_clean(page):
    """Fail on any serious or critical axe-core violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    detail = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
    assert not bad, f"axe found serious or critical problems on {page.url}:\n{detail}"


@pytest.fixture
def axe():
    return assert_axe_clean


def admin_login(page, username, password=PASSWORD):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
