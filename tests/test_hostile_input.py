"""Hostile input at every public form and private link: arbitrary text, huge values, odd characters.

Whatever arrives, the answer is never a server error, a refused form saves nothing, and a private link
is unguessable (at least 128 bits) and refuses any change to it. Each property has a small, fixed budget so
the whole file stays fast on a two-core CI machine.
"""

import base64
import datetime
import os
import re
import time
import unicodedata
from urllib.parse import quote, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from donors import links, questions
from donors.forms import started_token
from donors.models import AccessLink, Donor, Questionnaire
from donors.transitions import donor_create_inquiry
from memorials.models import Butterfly
from resources.models import Feedback
from tests.conftest import PASSWORD
from tests.donors.intake_fixtures import *  # noqa: F403 - sent_questionnaire, a fresh cache per test

pytestmark = pytest.mark.django_db

# HOSTILE_EXAMPLES=500 for a longer hunt on a developer's machine; CI keeps the small budget.
BUDGET = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "'; DROP TABLE donors_donor; --",
    '" OR 1=1 --',
    "{{ 7|add:7 }}{% debug %}",
    "${jndi:ldap://example.invalid/a}",
    "../../../../etc/passwd",
    "%00%2e%2e%2f",
    "\u202egnp.exe",
    "\ufeff\u200b\u200d",
    "Zoë 李明 عائشة Ngọc",
    "🍼" * 300,
    "A" * 100_000,
    "-1",
    "0",
    "1e309",
    "NaN",
    "99999999999999999999999999999",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "13/45/2026",
    "yes",
    "no",
    "on",
    "\r\n\r\nSet-Cookie: a=b",
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
]

# Arbitrary text (no surrogates: a browser cannot send them), the nasty list, and long repeats.
hostile = st.one_of(
    st.text(max_size=200),
    st.sampled_from(NASTY),
    st.builds(
        lambda s, n: s * n, st.text(min_size=1, max_size=8), st.integers(min_value=100, max_value=5000)
    ),
)
maybe_hostile = st.one_of(st.none(), hostile)


def _form(fields: dict) -> dict:
    """Drop the fields the strategy left out (None), as a browser would send them."""
    return {k: v for k, v in fields.items() if v is not None}


def _fresh_limits():
    """Flood limits live in the cache; each example starts with none so the form itself is exercised."""
    cache.clear()


# --- The inquiry form (/donate/) -----------------------------------------------------------------------


@BUDGET
@given(
    fields=st.fixed_dictionaries(
        {
            "first_name": st.one_of(st.sampled_from(["Maya", "Zoë", "李明"]), hostile),
            "last_name": maybe_hostile,
            "phone": st.one_of(st.just("555-010-0199"), maybe_hostile),
            "email": st.one_of(st.just("maya@example.org"), maybe_hostile),
            "best_time_to_call": maybe_hostile,
            "preferred_contact": st.one_of(st.sampled_from(["phone", "text", "email"]), hostile),
            "language": st.one_of(st.none(), st.sampled_from(["en", "es", "fr"]), hostile),
            "bereaved": maybe_hostile,
            "contact_consent": st.one_of(st.just("on"), maybe_hostile),
            "research_interest": maybe_hostile,
            "website": st.one_of(st.just(""), hostile),
        }
    ),
    real_start=st.booleans(),
    start=hostile,
    self_check=st.booleans(),
)
def test_the_inquiry_form_never_fails_and_saves_nothing_it_refuses(
    client, fields, real_start, start, self_check
):
    _fresh_limits()
    data = _form({**fields, "started": started_token(time.time() - 30) if real_start else start})
    if self_check:
        data["self_check"] = "1"
    before = Donor.objects.count()

    response = client.post(reverse("donors:inquiry"), data)

    assert response.status_code < 500
    saved = Donor.objects.count() - before
    if response.status_code == 302:
        assert response["Location"] == reverse("donors:inquiry_thanks")
        assert saved == 1
        donor = Donor.objects.order_by("-pk").first()
        stored = donor.first_name + donor.last_name + donor.best_time_to_call
        assert not [c for c in stored if unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS], stored
        assert donor.language in ("en", "es", "fr")
    else:
        assert saved == 0


# --- The questionnaire (/donate/q/<token>/...) ---------------------------------------------------------


def _answer_is_sound(question: questions.Question, value) -> bool:
    """What may be stored for a question, whatever was posted."""
    if value in ("", None):
        return True
    if question.kind in ("yes_no", "choice"):
        return value in dict(question.options)
    if question.kind == "number":
        low = question.min_value if question.min_value is not None else -(2**31)
        high = question.max_value if question.max_value is not None else 2**31
        return isinstance(value, int) and low <= value <= high
    if question.kind == "date":
        day = datetime.date.fromisoformat(value)
        return not question.no_future or day <= timezone.localdate()
    return isinstance(value, str) and len(value) <= question.max_length and "\x00" not in value


def _assert_answers_sound(questionnaire: Questionnaire):
    questionnaire.refresh_from_db()
    by_id = {
        q.id: q
        for section in questions.sections_for(questionnaire.question_set, bereaved=False)
        for q in section.questions
    }
    for key, value in questionnaire.answers.items():
        assert key in by_id, f"an answer to no question was stored: {key!r}"
        assert _answer_is_sound(by_id[key], value), (key, value)


SECTIONS = questions.sections_for(questions.CURRENT_VERSION, bereaved=False)


@st.composite
def section_post(draw):
    number = draw(st.one_of(st.integers(min_value=1, max_value=len(SECTIONS)), st.integers(-3, 99)))
    ids = [q.id for q in SECTIONS[number - 1].questions] if 1 <= number <= len(SECTIONS) else ["smoke"]
    answers = draw(st.dictionaries(st.sampled_from(ids + ["not_a_question"]), hostile, max_size=len(ids) + 1))
    action = draw(st.one_of(st.sampled_from(["continue", "later"]), hostile))
    return number, answers, action


@BUDGET
@given(post=section_post(), autosave=st.booleans())
def test_the_questionnaire_never_fails_and_stores_only_sound_answers(
    client, sent_questionnaire, post, autosave
):
    donor, path = _shared_questionnaire(sent_questionnaire)
    number, answers, action = post

    if autosave:
        response = client.post(f"{path}save/", {"section": str(number), **answers})
        assert response.status_code < 500
        assert response["Content-Type"].startswith("application/json")
    elif 1 <= number <= len(SECTIONS):
        response = client.post(f"{path}section/{number}/", {"action": action, **answers})
        assert response.status_code < 500
    else:
        response = client.get(f"{path}section/{number}/")
        assert response.status_code < 500

    _assert_answers_sound(Questionnaire.objects.get(donor=donor))


class _Once:
    """One record per run of a property: its examples share the function-scoped fixture's database, so
    they share what the fixture made too. Keyed by the fixture's own factory object, which is new per test."""

    def __init__(self):
        self.factory = None
        self.value = None

    def __call__(self, factory, *args):
        if factory is not self.factory:
            self.factory, self.value = factory, factory(*args)
        return self.value


_shared_questionnaire = _Once()
_shared_donor = _Once()


@BUDGET
@given(confirm=maybe_hostile, extra=st.dictionaries(hostile, hostile, max_size=3))
def test_the_review_page_never_fails_and_never_submits_unfinished_answers(
    client,
    sent_questionnaire,
    confirm,
    extra,
):
    donor, path = _shared_questionnaire(sent_questionnaire)

    response = client.post(f"{path}review/", _form({"confirm": confirm, **extra}))

    assert response.status_code < 500
    assert Questionnaire.objects.get(donor=donor).status == Questionnaire.Status.DRAFT


# --- Private links: guessing, tampering, junk -------------------------------------------------------------


def test_a_private_link_carries_at_least_128_bits_and_only_its_hash_is_stored(make_donor):
    donor = make_donor()
    seen = set()
    for purpose in (AccessLink.Purpose.STATUS, AccessLink.Purpose.QUESTIONNAIRE):
        link, token = links.link_issue(donor=donor, purpose=purpose)
        secret, _signature = token.rsplit(":", 1)
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
        assert len(raw) * 8 >= 128
        assert link.digest == AccessLink.digest_for(secret) and secret not in link.digest
        assert links.link_resolve(token, purpose=purpose) == link
        seen.add(secret)
    assert len(seen) == 2


@pytest.fixture
def make_donor():
    """A factory for a new inquiry (the public form's only product), so links can be issued to it."""

    def make():
        return donor_create_inquiry(first_name="Maya", email="maya@example.org", contact_consent=True)

    return make


URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:"


@BUDGET
@given(
    position=st.integers(min_value=0, max_value=10_000),
    replacement=st.sampled_from(URL_SAFE),
    how=st.integers(0, 3),
)
def test_a_tampered_link_is_refused(client, make_donor, position, replacement, how):
    donor = _shared_donor(make_donor)
    _, token = links.link_issue(donor=donor, purpose=AccessLink.Purpose.STATUS)
    i = position % len(token)
    if how == 0:
        tampered = token[:i] + replacement + token[i + 1 :]
    elif how == 1:
        tampered = token[:i] + token[i + 1 :]
    elif how == 2:
        tampered = token[:i] + replacement + token[i:]
    else:
        tampered = token[:i]
    if tampered == token:
        return

    with pytest.raises(links.LinkProblem) as problem:
        links.link_resolve(tampered, purpose=AccessLink.Purpose.STATUS)
    assert problem.value.reason == "forged"
    if tampered:
        assert client.get(reverse("donors:status", args=[tampered])).status_code == 404
    # The questionnaire door does not open with a status token either.
    with pytest.raises(links.LinkProblem):
        links.link_resolve(token, purpose=AccessLink.Purpose.QUESTIONNAIRE)


@BUDGET
@given(token=hostile, where=st.sampled_from(["q", "q-section", "q-review", "q-save", "s"]))
def test_junk_in_a_private_link_is_refused_without_a_server_error(client, token, where):
    quoted = quote(token, safe="") or "x"
    url = {
        "q": f"/donate/q/{quoted}/",
        "q-section": f"/donate/q/{quoted}/section/1/",
        "q-review": f"/donate/q/{quoted}/review/",
        "q-save": f"/donate/q/{quoted}/save/",
        "s": f"/donate/s/{quoted}/",
    }[where]
    before = Questionnaire.objects.count(), AccessLink.objects.count()

    response = client.post(url, {"section": "1"}) if where == "q-save" else client.get(url)

    assert response.status_code in (404, 410)
    assert (Questionnaire.objects.count(), AccessLink.objects.count()) == before


# --- The status page's resend form (/donate/my-page/) -----------------------------------------------------


@BUDGET
@given(email=maybe_hostile, extra=st.dictionaries(hostile, hostile, max_size=2))
def test_the_resend_form_never_fails_and_issues_no_link_for_junk(
    client, make_donor, email, extra, mailoutbox
):
    _fresh_limits()
    _shared_donor(make_donor)
    before = AccessLink.objects.count()

    response = client.post(reverse("donors:status_resend"), _form({**extra, "email": email}))

    assert response.status_code < 500
    assert AccessLink.objects.count() == before


# --- The coordinators' donor search (admin list) -----------------------------------------------------------


@BUDGET
@given(term=hostile)
def test_the_donor_search_never_fails(client, coordinator, make_donor, term):
    _shared_donor(make_donor)
    assert client.login(username=coordinator.username, password=PASSWORD)
    response = client.get(reverse("admin:donors_donor_changelist"), {"q": term[:5000]})
    assert response.status_code == 200
    assert b"Select donor to change" in response.content


# --- Forever Butterflies (/butterflies/) ----------------------------------------------------------------


@BUDGET
@given(
    fields=st.fixed_dictionaries(
        {
            "first_name": hostile,
            "birth_date": st.one_of(hostile, st.dates().map(datetime.date.isoformat)),
            "family_name": hostile,
            "contact_email": maybe_hostile,
            "contact_phone": maybe_hostile,
            "keepsake_wish": st.one_of(st.sampled_from(["mail", "collect"]), hostile),
            "mailing_address": hostile,
            "show_name_consent": maybe_hostile,
            "website": st.one_of(st.just(""), hostile),
        }
    )
)
def test_the_butterfly_request_never_fails_and_saves_nothing_it_refuses(client, fields):
    _fresh_limits()
    before = Butterfly.objects.count()

    response = client.post(reverse("memorials:home"), _form(fields))

    assert response.status_code < 500
    saved = Butterfly.objects.count() - before
    assert saved in (0, 1)
    if saved:
        assert response.status_code == 302
        assert "<" not in Butterfly.objects.order_by("-pk").first().family_name


# --- Feedback and error reports (/feedback/) -------------------------------------------------------------


@BUDGET
@given(
    fields=st.fixed_dictionaries(
        {
            "kind": st.one_of(st.sampled_from(["helpful", "error"]), hostile),
            "helpful": st.one_of(st.sampled_from(["yes", "no"]), maybe_hostile),
            "comment": maybe_hostile,
            "path": st.one_of(st.sampled_from(["/", "/donate/q/abc:def/"]), hostile),
            "next": st.one_of(
                st.none(),
                maybe_hostile,
                st.sampled_from(
                    ["//evil.example/", "https://evil.example/x", "javascript:alert(1)", "/\\evil"]
                ),
                hostile.map(lambda value: "/" + value),
            ),
        }
    )
)
def test_feedback_never_fails_saves_nothing_it_refuses_and_never_redirects_away(client, fields):
    _fresh_limits()
    before = Feedback.objects.count()

    response = client.post(reverse("resources:feedback"), _form(fields))

    assert response.status_code < 500
    saved = Feedback.objects.count() - before
    if response.status_code == 302:
        assert saved == 1
        target = urlsplit(response["Location"])
        assert not target.scheme and not target.netloc, "feedback never sends a visitor to another site"
        stored = Feedback.objects.order_by("-pk").first()
        assert not stored.path.startswith("/donate/q/") or stored.path == "/donate/q/"
    else:
        assert saved == 0


@pytest.mark.parametrize("target", ["0", "home", "thanks"])
def test_feedback_with_a_bare_word_as_next_is_not_a_server_error(client, target):
    response = client.post(
        reverse("resources:feedback"), {"kind": "helpful", "helpful": "yes", "path": "/", "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("resources:home")


# --- The pumping plan, search and the public lists (GET forms) ---------------------------------------------


@BUDGET
@given(
    sessions=maybe_hostile,
    days=maybe_hostile,
    start=st.one_of(maybe_hostile, st.dates().map(datetime.date.isoformat)),
)
def test_the_pumping_plan_never_fails(client, sessions, days, start):
    params = _form({"sessions": sessions, "days_per_step": days, "start": start})

    response = client.get(reverse("resources:pumping_plan"), params)

    assert response.status_code < 500


@BUDGET
@given(
    where=st.sampled_from(
        [
            ("resources:search", "q"),
            ("resources:grief_resources", "region"),
            ("resources:grief_resources", "area"),
            ("resources:milk_banks", "region"),
            ("donors:depots", "region"),
            ("memorials:home", "page"),
        ]
    ),
    value=hostile,
)
def test_search_and_list_filters_never_fail(client, where, value):
    name, param = where

    response = client.get(reverse(name), {param: value})

    assert response.status_code < 500


# --- Control characters and bidirectional overrides, in every form -------------------------------------

# Invisible characters that change what a screen or terminal shows: ESC (and its colour sequence), NUL, bell,
# DEL, C1 controls, and the bidi override, embedding and isolate controls (U+202E shows "Ada" as "adA").
HIDDEN = "\x1b[31m\x00\x07\x7f\x85\x9b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
REAL_NAMES = [
    "Nguyễn Thị Ngọc",
    "Nguye\u0302\u0303n",  # the same letters typed with combining marks
    "李小龙",
    "محمد عبد الله",
    "שרה לוי",
    "Zoë O'Brien-Łukasiewicz",
    "Mitra \u200cزاده",  # Persian with a zero-width non-joiner
    "\u200fשרה\u200e (Sarah)",  # right-to-left and left-to-right marks
    "👩\u200d👩\u200d👧 family",  # an emoji sequence joined by ZWJ
    "देवनागरी क्\u200dष",
]


BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _expected(raw: str, *, multiline: bool) -> str:
    """The oracle, written apart from milkbank.text: every Cc character but tab and line breaks goes, and
    the ten bidi embedding, override and isolate controls; in one-line fields line breaks become spaces."""
    bidi = BIDI_CONTROLS
    raw = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", raw)  # the colour and screen sequences used here, whole
    kept = "".join(
        c for c in raw if not ((unicodedata.category(c) == "Cc" and c not in "\t\n\r") or c in bidi)
    )
    if not multiline:  # a one-line field: each run of tabs and line breaks is one space
        kept = re.sub("[\t\n\r]+", " ", kept)
    return kept.strip()


def _all_forms(superuser):
    """Every form of the project (public, staff pages, the admin's own forms and inlines), built as the pages
    build them, with its fields."""
    import importlib
    import pkgutil

    from django import forms
    from django.contrib import admin
    from django.test import RequestFactory

    for app in ("donors", "memorials", "resources", "milkbank"):
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if not any(part in module.name for part in (".migrations", ".management", "bench")):
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    from donors.forms import SectionForm
    from donors.milk.forms import DropOffForm, FreezerCheckForm, RegionForm, ShipmentForm
    from donors.models import Depot
    from memorials.forms import LinkDonorForm
    from memorials.models import Butterfly
    from resources.forms import DirectoryFilterForm

    depot = Depot.objects.create(name="Lakeside", city="Duluth", region="MN")
    needs_arguments = {
        DropOffForm: [DropOffForm(user=superuser)],
        FreezerCheckForm: [FreezerCheckForm(user=superuser)],
        ShipmentForm: [ShipmentForm(depot=depot)],
        RegionForm: [RegionForm(regions=["MN"])],
        DirectoryFilterForm: [DirectoryFilterForm(areas=["Duluth"])],
        SectionForm: [SectionForm(section=s, saved={}) for s in SECTIONS],
        LinkDonorForm: [LinkDonorForm(butterfly=Butterfly(first_name="Ada"))],
    }
    ours = {
        cls
        for cls in subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in ("donors", "memorials", "resources", "milkbank")
        and not cls.__module__.startswith("milkbank.bench")
    }
    for cls in sorted(ours, key=lambda c: f"{c.__module__}.{c.__name__}"):
        for form in needs_arguments.get(cls) or [cls()]:
            yield f"{cls.__module__}.{cls.__name__}", form.fields
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        yield f"admin {model._meta.label}", model_admin.get_form(request)().fields
        for inline in model_admin.get_inline_instances(request):
            yield f"admin {model._meta.label} inline", inline.get_formset(request)().form().fields


def test_every_text_field_of_every_form_drops_hidden_controls_and_keeps_every_real_script(superuser):
    from functools import partial

    from django import forms
    from django.contrib.auth.forms import UsernameField

    checked, forms_seen = 0, set()
    for name, fields in _all_forms(superuser):
        forms_seen.add(name)
        for field_name, field in fields.items():
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
                continue
            if isinstance(field, forms.JSONField):
                continue  # JSON text is parsed, not shown as typed
            multiline = isinstance(field.widget, forms.Textarea)
            if isinstance(field, forms.URLField):  # it adds a scheme: check only that nothing hidden stays
                assert field.to_python(f"{HIDDEN}example.org/\u202ea") == "https://example.org/a", name
                checked += 1
                continue
            # A username is stored NFKC-normalized (Django's UsernameField), whatever else happens to it.
            same = partial(unicodedata.normalize, "NFKC") if isinstance(field, UsernameField) else str
            for real in REAL_NAMES:
                hostile = f"{HIDDEN}{real[:3]}\u202e{real[3:]}\x1b[0m"
                assert field.to_python(real) == same(real), (name, field_name, real)
                expected = same(_expected(hostile, multiline=multiline))
                assert field.to_python(hostile) == expected, (name, field_name)
            two_lines = "first line\r\nsecond\tline"
            assert field.to_python(two_lines) == _expected(two_lines, multiline=multiline), (name, field_name)
            checked += 1
    assert {"donors.forms.InquiryForm", "memorials.forms.ButterflyRequestForm"} <= forms_seen
    assert {"resources.forms.FeedbackForm", "donors.forms.PhoneScreenForm"} <= forms_seen
    assert "admin donors.Donor" in forms_seen and "admin memorials.Butterfly" in forms_seen
    assert checked > 100, checked


def test_the_inquiry_page_stores_names_without_overrides_and_the_coordinators_list_shows_them_intact(
    client, coordinator
):
    _fresh_limits()
    data = {
        "first_name": "\u202eAda\x1b[2J",
        "last_name": "Nguyễn\u2066\u2069",
        "phone": "555-010-0199",
        "email": "ada@example.org",
        "best_time_to_call": "Mornings\x07",
        "preferred_contact": "phone",
        "contact_consent": "on",
        "website": "",
        "started": started_token(time.time() - 30),
    }
    assert client.post(reverse("donors:inquiry"), data).status_code == 302
    donor = Donor.objects.get(email="ada@example.org")
    assert (donor.first_name, donor.last_name, donor.best_time_to_call) == ("Ada", "Nguyễn", "Mornings")
    for name in ("李小龙", "محمد", "Zoë", "Kim 👩\u200d👩\u200d👧"):
        _fresh_limits()
        client.post(reverse("donors:inquiry"), {**data, "first_name": name, "email": f"{len(name)}@e.org"})
        assert Donor.objects.filter(first_name=name).exists(), name
    client.force_login(coordinator)
    page = client.get(reverse("admin:donors_donor_changelist"), {"show": "all"}).content.decode()
    assert "Nguyễn" in page and "李小龙" in page and "محمد" in page and "Kim 👩\u200d👩\u200d👧" in page
    assert "\u202e" not in page and "\x1b" not in page


def test_staff_and_memorial_forms_strip_hidden_controls_through_their_pages(client, coordinator, superuser):
    from tests.donors.test_admin_donors import edit_post

    donor = donor_create_inquiry(first_name="Maya", phone="555-0100", contact_consent=True)
    client.force_login(coordinator)
    change = reverse("admin:donors_donor_change", args=[donor.pk])
    posted = edit_post(donor, first_name="\u202eMaya\x1b[31m", last_name="שרה\u2067", city="Duluth\x00")
    assert client.post(change, posted).status_code == 302
    donor.refresh_from_db()
    assert (donor.first_name, donor.last_name) == ("Maya", "שרה")

    _fresh_limits()
    client.logout()
    request = {
        "first_name": "\u202eRosie",
        "birth_date": "2025-01-02",
        "family_name": "محمد\x1b[0m",
        "contact_email": "family@example.org",
        "keepsake_wish": "mail",
        "mailing_address": "1 Elm St\r\nDuluth\x07",
        "show_name_consent": "on",
        "website": "",
    }
    assert client.post(reverse("memorials:home"), request).status_code == 302
    butterfly = Butterfly.objects.get(contact_email="family@example.org")
    assert (butterfly.first_name, butterfly.family_name) == ("Rosie", "محمد")
    assert butterfly.mailing_address == "1 Elm St\r\nDuluth"  # a multi-line box keeps its lines

    feedback = {"kind": "error", "comment": "\u202ebad\x1b", "path": "/"}
    assert client.post(reverse("resources:feedback"), feedback).status_code == 302
    assert Feedback.objects.get().comment == "bad"
