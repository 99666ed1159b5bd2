"""Every public form, filled and sent by clicking in Chromium, with JavaScript on and off, at phone width.

Why a browser: the 403 on "Email me a new link" only happened in a real browser. The page said
`Referrer-Policy: no-referrer`, so Chromium posted `Origin: null` and Django's CSRF check refused it; the test
client sends no Origin at all and never saw it. Each test below watches every POST it makes: none may be
refused, and each must carry this site's real Origin.

The private pages keep their tokens to themselves: the last tests follow links from them to another origin
and check that nothing of the address goes along.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from donors import transitions as t
from donors.models import Depot, Donor, Questionnaire
from memorials.models import Butterfly
from resources.models import Feedback
from tests.conftest import assert_axe_clean
from tests.donors.conftest import walk
from tests.donors.intake_fixtures import GOOD_ANSWERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ELSEWHERE = "http://elsewhere.test"


@pytest.fixture(autouse=True)
def _fresh_flood_limits():
    cache.clear()
    yield
    cache.clear()


class Visitor:
    """A phone-sized Chromium tab that records every form post it sends and the answer to each."""

    def __init__(self, context, origin, javascript):
        self.context = context
        self.page = context.new_page()
        self.origin = origin
        self.javascript = javascript
        self.posts = []
        self.page.on("request", self._sent)
        self.page.on("response", self._answered)

    def _sent(self, request):
        if request.method == "POST":
            self.posts.append({"url": request.url, "origin": request.headers.get("origin"), "status": None})

    def _answered(self, response):
        if response.request.method == "POST":
            for post in self.posts:
                if post["url"] == response.url and post["status"] is None:
                    post["status"] = response.status
                    break

    def assert_posts_accepted(self, count):
        """Each post carried our own Origin (never "null") and none was refused as forged (403)."""
        assert len(self.posts) == count, self.posts
        for post in self.posts:
            assert post["origin"] == self.origin, post
            assert post["status"] != 403, post


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def visitor(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=request.param,
    )
    context.set_default_timeout(10_000)
    yield Visitor(context, live_server.url, request.param)
    context.close()


def _donor(stage, *, by, by2, email="dasia@example.org", bereaved=False):
    donor = t.donor_create_inquiry(
        first_name="D'Asia",
        last_name="O'Brien",
        email=email,
        phone="612-555-0142",
        bereaved=bereaved,
        contact_consent=True,
    )
    return walk(donor, stage, by=by, by2=by2)


def _path(url):
    return urlsplit(url).path


# --- Becoming a donor ------------------------------------------------------------------------------------


def test_the_inquiry_page_self_check_and_inquiry_forms_send(visitor, coordinator):
    page = visitor.page
    page.goto("/donate/")
    page.get_by_label("I smoke, vape").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator(".self-check-result")).to_contain_text("Nicotine passes into milk")

    page.get_by_label("First name").fill("D'Asia")
    page.get_by_label("Last name").fill("O'Brien & Søn")
    page.get_by_label("Phone number").fill("(612) 555-0142")
    page.get_by_label("Email address").fill("dasia@example.org")
    page.get_by_label("You may call, text or email me about donating milk.").check()
    page.wait_for_timeout(3200)  # faster posts are taken for a robot's
    page.get_by_role("button", name="Send my details").click()
    expect(page.get_by_role("heading", name="Thank you for getting in touch")).to_be_visible()
    assert Donor.objects.filter(first_name="D'Asia", last_name="O'Brien & Søn").count() == 1
    visitor.assert_posts_accepted(2)


def test_the_questionnaire_sections_and_the_submit_send(visitor, coordinator, coordinator2):
    donor = _donor(Donor.Stage.PHONE_SCREEN_PASSED, by=coordinator, by2=coordinator2)
    path = _path(t.questionnaire_send(donor=donor, by=coordinator))
    page = visitor.page
    page.goto(path)
    page.get_by_role("link", name="Start the questionnaire").click()
    expect(page.get_by_text("Section 1 of 8").first).to_be_visible()
    page.get_by_label("When did you give birth?").fill("2026-01-05")
    page.get_by_role("group", name="Are you in good general health today?").get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("long-term illness")).get_by_label("No").check()
    page.get_by_label("Your own health care provider's name and clinic").fill("Dr. O'Brien & Søn")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Medicines and supplements")).to_be_visible()
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_role("heading", name="Your answers are saved")).to_be_visible()
    questionnaire = Questionnaire.objects.get(donor=donor)
    assert questionnaire.answers["provider_name"] == "Dr. O'Brien & Søn"

    # The rest answered (as if on other days), then the review's submit, by clicking.
    t.questionnaire_save(
        questionnaire=questionnaire,
        answers={k: v for section in GOOD_ANSWERS.values() for k, v in section.items()},
    )
    page.goto(f"{path}review/")
    page.get_by_label("These answers are true to the best of my knowledge.").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you, we have your answers")).to_be_visible()
    donor.refresh_from_db()
    assert donor.stage == Donor.Stage.QUESTIONNAIRE_SUBMITTED
    # JavaScript also autosaves while the donor types (to the same origin, with the same check).
    assert len([p for p in visitor.posts if not p["url"].endswith("/save/")]) == 3
    visitor.assert_posts_accepted(len(visitor.posts))


def test_email_me_a_new_link_sends_from_the_link_not_open_page(
    visitor, coordinator, coordinator2, mailoutbox
):
    donor = _donor(Donor.Stage.QUESTIONNAIRE_SENT, by=coordinator, by2=coordinator2)
    old = _path(t.status_link_send(donor=donor, by=coordinator))
    t.status_link_send(donor=donor, by=coordinator)  # the old link is now closed
    mailoutbox.clear()
    page = visitor.page
    page.goto(old)
    expect(page.get_by_role("heading", name="This link is not open")).to_be_visible()
    page.get_by_role("link", name="Email me a new link").click()
    if visitor.javascript:
        assert_axe_clean(page)
    page.get_by_label("Your email address").fill("DASIA@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("status")).to_contain_text("If that address is one we have")
    visitor.assert_posts_accepted(1)
    # The mail goes once the page has been sent (the same wait for known and unknown addresses).
    for _ in range(50):
        if mail.outbox:
            break
        page.wait_for_timeout(100)
    assert [m.to for m in mail.outbox] == [[donor.email]]

    # The new link opens the donor's page.
    new = re.search(r"https?://\S+/donate/s/\S+/", mailoutbox[0].body).group(0)
    page.goto(_path(new))
    expect(page.get_by_role("heading", name="Hello, D'Asia")).to_be_visible()


# --- Forever Butterflies ----------------------------------------------------------------------------------


def test_the_butterfly_request_sends(visitor):
    page = visitor.page
    page.goto("/butterflies/")
    page.get_by_label("Your baby's first name").fill("Zoë")
    page.get_by_label("Your baby's birth date").fill("2025-05-14")
    page.get_by_label("Your name").fill("D'Asia O'Brien & Søn")
    page.get_by_label("Email").fill("dasia@example.org")
    page.get_by_label("Mailing address for your keepsake butterfly").fill("12 Elm St\nDuluth MN 55802")
    page.get_by_role("button", name="Ask for a butterfly").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert Butterfly.objects.filter(first_name="Zoë").count() == 1
    visitor.assert_posts_accepted(1)


# --- On every public page: "Was this helpful?" and "Report an error" ---------------------------------------


def test_was_this_helpful_and_report_an_error_send(visitor):
    page = visitor.page
    page.goto("/pumping-plan/")
    tools = page.get_by_role("complementary", name="Page tools")
    tools.get_by_label("Yes").check()
    tools.get_by_label("Anything you would like to add? (optional)").fill("Clear & kind <b>")
    tools.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you. Your note reached our team.")).to_be_visible()

    tools.get_by_text("Report an error on this page").click()
    # Only spaces: the browser lets it through, the server asks again on a page of its own.
    tools.get_by_label("What is wrong or out of date?").fill("   ")
    tools.get_by_role("button", name="Report the error").click()
    expect(page.get_by_text("Please tell us what is wrong.")).to_be_visible()
    page.get_by_label("What is wrong or out of date?").fill("The phone number is old")
    page.get_by_role("button", name=re.compile("Send|Report")).click()
    expect(page.get_by_text("Thank you. Your note reached our team.")).to_be_visible()
    assert list(Feedback.objects.order_by("pk").values_list("kind", "comment", "path")) == [
        ("helpful", "Clear & kind <b>", "/pumping-plan/"),
        ("error", "The phone number is old", "/pumping-plan/"),
    ]
    visitor.assert_posts_accepted(3)


# --- Forms that only read (GET): the plan tool, search, directories -----------------------------------------


def test_the_pumping_plan_tool_makes_a_plan(visitor):
    page = visitor.page
    page.goto("/pumping-plan/")
    page.get_by_label("Times you express each day now").fill("5")
    page.get_by_label("Days to stay at each step").fill("2")
    page.get_by_role("button", name="Make my plan").click()
    expect(page.get_by_role("button", name="Update my plan")).to_be_visible()
    assert "sessions=5" in page.url
    visitor.assert_posts_accepted(0)


def test_site_search_from_the_footer_and_the_search_page(visitor):
    page = visitor.page
    page.goto("/")
    page.get_by_role("search", name="Site").get_by_label("Search the pages").fill("milk")
    page.get_by_role("search", name="Site").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Search the pages")).to_be_visible()
    page.get_by_label("Words to look for").fill("butterflies")
    page.get_by_role("search", name="Pages").get_by_role("button", name="Search").click()
    expect(page.get_by_label("Words to look for")).to_have_value("butterflies")
    assert "q=butterflies" in page.url
    visitor.assert_posts_accepted(0)


def test_the_depot_and_directory_filters(visitor):
    Depot.objects.create(name="Maple Clinic", city="Duluth", region="MN")
    page = visitor.page
    page.goto("/donate/depots/")
    page.get_by_label("State or province").select_option("MN")
    page.get_by_role("button", name="Show depots").click()
    expect(page.get_by_text("Maple Clinic")).to_be_visible()
    for address in ("/grief-resources/", "/other-milk-banks/"):
        page.goto(address)
        page.get_by_role("button", name="Show", exact=True).click()
        expect(page.get_by_role("heading", name="Show only")).to_be_visible()
        assert "region=" in page.url
    visitor.assert_posts_accepted(0)


# --- Private tokens never reach another site ----------------------------------------------------------------


@pytest.fixture
def js_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    seen = []

    def elsewhere(route):
        seen.append({"url": route.request.url, "headers": route.request.all_headers()})
        route.fulfill(status=200, body="elsewhere", content_type="text/plain")

    context.route(f"{ELSEWHERE}/**", elsewhere)
    page = context.new_page()
    page.seen_elsewhere = seen
    yield page
    context.close()


def _follow_a_link_elsewhere(page):
    """Follow a link from the page to another site (as a donor might from a message), and return what that
    site was told. (Images or scripts from elsewhere cannot load at all: the CSP allows only this site.)"""
    page.evaluate(
        """(target) => {
            const a = document.createElement("a"); a.href = target + "/page"; a.textContent = "Elsewhere";
            document.body.append(a);
        }""",
        ELSEWHERE,
    )
    page.get_by_role("link", name="Elsewhere").click()
    expect(page.get_by_text("elsewhere")).to_be_visible()
    return page.seen_elsewhere


@pytest.mark.parametrize("where", ["status page", "questionnaire section", "questionnaire review"])
def test_no_private_token_reaches_another_origin(js_page, coordinator, coordinator2, where):
    donor = _donor(Donor.Stage.PHONE_SCREEN_PASSED, by=coordinator, by2=coordinator2)
    questionnaire = _path(t.questionnaire_send(donor=donor, by=coordinator))
    status = _path(t.status_link_send(donor=donor, by=coordinator))
    path = {
        "status page": status,
        "questionnaire section": f"{questionnaire}section/1/",
        "questionnaire review": f"{questionnaire}review/",
    }[where]
    token = path.split("/")[3]
    js_page.goto(path)
    expect(js_page.locator("h1")).to_be_visible()
    seen = _follow_a_link_elsewhere(js_page)
    assert [request["url"] for request in seen] == [f"{ELSEWHERE}/page"]
    for request in seen:
        told = " ".join(f"{k}: {v}" for k, v in request["headers"].items())
        assert token not in told and "/donate/" not in told, request
        assert "referer" not in request["headers"], request


# --- Without a browser: no public page that posts a form says "no-referrer" -------------------------------


def _public_url_names():
    """Every named address of the public apps, except staff pages and machine-readable files."""
    from django.urls import get_resolver

    names = set()
    for namespace in ("donors", "resources", "memorials"):
        resolver = get_resolver().namespace_dict[namespace][1]
        for pattern in resolver.url_patterns:
            if "staff/" not in str(pattern.pattern):
                names.add(f"{namespace}:{pattern.name}")
    return names


@pytest.mark.django_db
def test_no_public_page_with_a_form_to_post_sends_no_referrer(client, coordinator, coordinator2):
    """Under "no-referrer" Chromium posts `Origin: null` and the CSRF check answers 403."""
    from django.urls import reverse

    donor = _donor(Donor.Stage.PHONE_SCREEN_PASSED, by=coordinator, by2=coordinator2)
    questionnaire = _path(t.questionnaire_send(donor=donor, by=coordinator))
    status = _path(t.status_link_send(donor=donor, by=coordinator))
    pages = {
        "donors:inquiry": [reverse("donors:inquiry")],
        "donors:inquiry_thanks": [reverse("donors:inquiry_thanks")],
        "donors:depots": [reverse("donors:depots")],
        "donors:questionnaire": [questionnaire, reverse("donors:questionnaire", args=["forged"])],
        "donors:questionnaire_section": [f"{questionnaire}section/1/"],
        "donors:questionnaire_review": [f"{questionnaire}review/"],
        "donors:questionnaire_autosave": [],  # posted to by script from the section page, never opened
        "donors:status": [status, reverse("donors:status", args=["forged"])],
        "donors:status_language": [],  # posted to from the status page's language choice, never opened
        "donors:questionnaire_language": [],  # the same, from the questionnaire's pages
        "donors:status_resend": [reverse("donors:status_resend")],
        "resources:home": ["/"],
        "resources:search": ["/search/?q=milk"],
        "resources:pumping_plan": ["/pumping-plan/"],
        "resources:grief_resources": ["/grief-resources/"],
        "resources:milk_banks": ["/other-milk-banks/"],
        "resources:handout": ["/donating-after-loss/handout/"],
        "resources:feedback": [],  # answers posts only; its retry form is checked by the browser test
        "resources:sitemap": [],
        "resources:robots": [],
        "resources:print_css": [],  # a stylesheet
        "resources:page": ["/lactation-after-loss/"],
        "memorials:home": ["/butterflies/"],
        "memorials:thanks": ["/butterflies/thank-you/"],
    }
    assert set(pages) == _public_url_names(), "a new public address: add it here"
    with_forms = 0
    for name, paths in pages.items():
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 404), (name, path, response.status_code)
            if 'method="post"' in response.content.decode().lower():
                with_forms += 1
                assert response["Referrer-Policy"] != "no-referrer", (name, path)
            assert response["Referrer-Policy"] in ("no-referrer", "same-origin"), (name, path)
    assert with_forms >= 8
