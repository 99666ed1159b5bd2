"""The coordinators' donor admin: who can see it, what the list defaults to, and each action's refusals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from donors.models import Donor, PhoneScreen
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
Stage = Donor.Stage


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def changelist(**params):
    url = reverse("admin:donors_donor_changelist")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("coordinator", 200),
        ("volunteer", 403),
        ("memorial", 403),
        ("editor", 403),
        ("no_role", 403),
    ],
)
@pytest.mark.parametrize(
    "url_name",
    ["admin:donors_donor_changelist", "admin:donors_donor_dashboard", "admin:donors_donor_change"],
)
def test_only_coordinators_reach_donor_records(client, personas, make_donor, persona, expected, url_name):
    donor = make_donor()
    url = reverse(url_name, args=[donor.pk] if url_name.endswith("change") else [])
    if personas[persona]:
        login(client, personas[persona])
    response = client.get(url)
    if expected == 403 and url_name.endswith("change"):
        assert response.status_code in (403, 404)
    else:
        assert response.status_code == expected
    if response.status_code != 200:
        assert donor.last_name.encode() not in response.content


def test_the_list_defaults_to_donors_needing_action(client, coordinator, make_donor):
    waiting = make_donor(first_name="Waiting")  # inquiry: the bank must call
    make_donor(Stage.QUESTIONNAIRE_SENT, first_name="Filling")  # the donor's move, not ours
    login(client, coordinator)
    body = client.get(changelist()).content.decode()
    assert waiting.first_name in body
    assert "Filling" not in body
    assert "Filling" in client.get(changelist(show="all")).content.decode()


def test_search_finds_a_donor_by_number_name_or_email(client, coordinator, make_donor):
    approved = make_donor(Stage.APPROVED, first_name="Numbered")
    make_donor(first_name="Other", email="other@example.org")
    login(client, coordinator)
    for term in (approved.number_label, approved.number_label.lower(), str(approved.donor_number)):
        body = client.get(changelist(show="all", q=term)).content.decode()
        assert "Numbered" in body and "Other" not in body
    assert "Other" in client.get(changelist(show="all", q="other@example.org")).content.decode()


def test_bereaved_donors_carry_a_discreet_marker(client, coordinator, make_donor):
    make_donor(bereaved=True, first_name="Marked")
    login(client, coordinator)
    body = client.get(changelist()).content.decode()
    assert "bereaved-marker" in body


def test_the_donor_list_runs_a_fixed_number_of_queries(
    client, coordinator, make_donor, django_assert_num_queries
):
    """Coordinators open this list all day; it must cost the same with 3 donors or 3,000."""
    login(client, coordinator)
    for _ in range(3):
        make_donor()
    client.get(changelist())  # warm the session and content types
    with django_assert_num_queries(7) as first:
        client.get(changelist())
    for _ in range(12):
        make_donor(bereaved=True)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(changelist()).status_code == 200


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, coordinator, make_donor, django_assert_num_queries
):
    """The dashboard aggregates in the database: one query for all stages (shared for a minute through the
    cache, cleared here so the uncached path is what is counted), one for open tasks, and three for the milk
    tiles (depots, shipments to receive, held drop-offs: see test_milk_records)."""
    from django.core.cache import cache

    login(client, coordinator)
    make_donor()
    client.get(reverse("admin:donors_donor_dashboard"))
    cache.clear()
    with django_assert_num_queries(9) as first:
        client.get(reverse("admin:donors_donor_dashboard"))
    for stage in (Stage.APPROVED, Stage.QUESTIONNAIRE_SENT, Stage.INQUIRY):
        make_donor(stage)
    cache.clear()
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("admin:donors_donor_dashboard"))
    assert "Coordinator dashboard" in response.content.decode()


def test_the_donor_page_shows_timeline_steps_and_audit(client, coordinator, make_donor):
    donor = make_donor(Stage.READY_FOR_SIGNOFF)
    login(client, coordinator)
    body = client.get(reverse("admin:donors_donor_change", args=[donor.pk])).content.decode()
    assert "Timeline" in body and "Questionnaire accepted" in body
    assert "Changes to health data (audit log)" in body
    assert "Sign off" in body


def test_opening_a_donor_page_is_recorded_in_the_access_log(client, coordinator, make_donor):
    from auditlog.models import LogEntry

    donor = make_donor()
    login(client, coordinator)
    client.get(reverse("admin:donors_donor_change", args=[donor.pk]))
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(donor.pk)).get()
    assert entry.actor == coordinator


def test_an_unknown_donor_or_action_answers_404(client, coordinator, make_donor):
    donor = make_donor()
    login(client, coordinator)
    assert client.get(reverse("admin:donors_donor_action", args=[999999, "defer"])).status_code == 404
    assert client.get(reverse("admin:donors_donor_action", args=[donor.pk, "launch"])).status_code == 404
    assert client.get(reverse("admin:donors_donor_release", args=[donor.pk, 999999])).status_code == 404


def phone_screen_post(**overrides):
    data = {f"q_{key}": "yes" for key, _ in __import__("donors.forms").forms.PhoneScreenForm.QUESTIONS}
    data.update(
        screened_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        minutes="20",
        outcome="passed",
        notes="Kind call",
    )
    data.update(overrides)
    return data


def test_recording_the_phone_screen_through_the_page_moves_the_donor(client, coordinator, make_donor):
    donor = make_donor()
    login(client, coordinator)
    url = reverse("admin:donors_donor_action", args=[donor.pk, "phone-screen"])
    response = client.post(url, phone_screen_post())
    assert response.status_code == 302
    donor.refresh_from_db()
    assert donor.stage == Stage.PHONE_SCREEN_PASSED
    screen = PhoneScreen.objects.get(donor=donor)
    assert screen.answers["tobacco"] == "yes" and screen.screened_by == coordinator


def test_all_answers_as_expected_fills_only_the_questions_left_blank(client, coordinator, make_donor):
    """One box instead of six choices; an answer the person chose is kept, so an unusual one is heard."""
    donor = make_donor()
    login(client, coordinator)
    url = reverse("admin:donors_donor_action", args=[donor.pk, "phone-screen"])
    data = {k: v for k, v in phone_screen_post().items() if not k.startswith("q_")}
    response = client.post(url, {**data, "all_expected": "on", "q_tattoo_12m": "yes"})
    assert response.status_code == 302
    assert PhoneScreen.objects.get(donor=donor).answers == {
        "good_health": "yes",
        "tobacco": "no",
        "meds_reviewed": "yes",
        "transfusion_4m": "no",
        "tattoo_12m": "yes",
        "willing_bloodwork": "yes",
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"minutes": ""}, "This field is required."),
        ({"minutes": "0"}, "greater than or equal to 1"),
        ({"minutes": "99999"}, "less than or equal to 240"),
        ({"minutes": "twenty"}, "Enter a whole number."),
        ({"outcome": "<script>alert(1)</script>"}, "Select a valid choice."),
        ({"notes": "x" * 5000}, "at most 4000 characters"),
        ({"screened_at": "2999-01-01T10:00"}, "cannot be in the future"),
        ({"q_tobacco": ""}, "This field is required."),
        ({"q_tobacco": "", "all_expected": ""}, "This field is required."),
        ({"q_tobacco": "maybe", "all_expected": "on"}, "Select a valid choice."),
    ],
)
def test_bad_phone_screen_input_is_refused_on_the_page_and_nothing_saved(
    client, coordinator, make_donor, overrides, message
):
    donor = make_donor()
    login(client, coordinator)
    url = reverse("admin:donors_donor_action", args=[donor.pk, "phone-screen"])
    response = client.post(url, phone_screen_post(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PhoneScreen.objects.exists()
    donor.refresh_from_db()
    assert donor.stage == Stage.INQUIRY


def test_a_refused_transition_shows_its_message_on_the_page(client, coordinator, make_donor):
    donor = make_donor(Stage.READY_FOR_SIGNOFF)
    login(client, coordinator)
    url = reverse("admin:donors_donor_action", args=[donor.pk, "sign-off"])
    assert client.post(url, {"note": ""}).status_code == 302
    response = client.post(url, {"note": ""})
    assert response.status_code == 200
    assert "You have already signed off this donor" in response.content.decode()
    donor.refresh_from_db()
    assert donor.stage == Stage.READY_FOR_SIGNOFF


def test_markup_in_a_reason_is_kept_as_text_and_escaped(client, coordinator, make_donor):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED)
    login(client, coordinator)
    until = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    hostile = '<img src=x onerror="alert(1)">Travel'
    url = reverse("admin:donors_donor_action", args=[donor.pk, "defer"])
    assert client.post(url, {"until": until, "reason": hostile}).status_code == 302
    donor.refresh_from_db()
    assert donor.deferrals.get().reason == hostile
    body = client.get(reverse("admin:donors_donor_change", args=[donor.pk])).content.decode()
    assert hostile not in body
    assert "&lt;img src=x onerror=" in body


@pytest.mark.parametrize(
    ("until", "message"),
    [
        ("", "This field is required."),
        ("yesterday", "Enter a valid date."),
        ("2000-01-01", "must end after today"),
    ],
)
def test_a_deferral_without_a_good_end_date_is_refused(client, coordinator, make_donor, until, message):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED)
    login(client, coordinator)
    url = reverse("admin:donors_donor_action", args=[donor.pk, "defer"])
    response = client.post(url, {"until": until, "reason": "Travel"})
    assert message in response.content.decode()
    donor.refresh_from_db()
    assert donor.stage == Stage.QUESTIONNAIRE_ACCEPTED


def test_printables_carry_the_donor_and_that_the_bank_pays(client, coordinator, make_donor):
    donor = make_donor(Stage.BLOODWORK_ORDERED, first_name="Zoë", last_name="李明")
    login(client, coordinator)
    bw = donor.bloodwork_set.get()
    body = client.get(reverse("admin:donors_donor_requisition", args=[donor.pk, bw.pk])).content.decode()
    assert "Zoë 李明" in body and "pays for these tests" in body and "HTLV-I/II" in body
    release = donor.releases.first()
    body = client.get(
        reverse("admin:donors_donor_release_print", args=[donor.pk, release.pk])
    ).content.decode()
    assert "Medical release" in body and "Zoë" in body
    other = make_donor(Stage.BLOODWORK_ORDERED)
    url = reverse("admin:donors_donor_requisition", args=[donor.pk, other.bloodwork_set.get().pk])
    assert client.get(url).status_code == 404  # children only through their own parent


def test_volunteers_and_memorial_staff_cannot_run_actions(client, volunteer, memorial_staff, make_donor):
    donor = make_donor(Stage.READY_FOR_SIGNOFF)
    url = reverse("admin:donors_donor_action", args=[donor.pk, "sign-off"])
    for user in (volunteer, memorial_staff):
        client.force_login(user)
        assert client.post(url, {"note": ""}).status_code in (403, 404)
    donor.refresh_from_db()
    assert donor.signoffs.count() == 0


def edit_post(donor, **changes):
    data = {
        "first_name": donor.first_name,
        "last_name": donor.last_name,
        "preferred_name": donor.preferred_name,
        "seen_version": donor.version,
        "email": donor.email,
        "phone": donor.phone,
        "best_time_to_call": donor.best_time_to_call,
        "preferred_contact": donor.preferred_contact,
        "language": donor.language,
        "contact_consent": "on",
        "address_line1": "",
        "address_line2": "",
        "city": "",
        "region": "",
        "postal_code": "",
        "date_of_birth": "",
        "baby_first_name": "",
        "baby_birth_date": "",
        "coordinator": "",
        # The read-only Forever Butterflies inline's management form, as the page renders it.
        "butterflies-TOTAL_FORMS": "0",
        "butterflies-INITIAL_FORMS": "0",
        "butterflies-MIN_NUM_FORMS": "0",
        "butterflies-MAX_NUM_FORMS": "0",
    }
    data.update(changes)
    return data


def test_a_second_editor_working_from_an_old_copy_is_refused(client, coordinator, coordinator2, make_donor):
    donor = make_donor()
    url = reverse("admin:donors_donor_change", args=[donor.pk])
    client.force_login(coordinator)
    assert client.post(url, edit_post(donor, phone="555-0199")).status_code == 302
    other = type(client)()
    other.force_login(coordinator2)
    stale = other.post(url, edit_post(donor, phone="555-0777"))  # opened before the first save
    assert stale.status_code == 200
    assert "This record changed since you opened it" in stale.content.decode()
    donor.refresh_from_db()
    assert donor.phone == "555-0199" and donor.version == 1
    fresh = other.post(url, edit_post(donor, phone="555-0777"))
    assert fresh.status_code == 302


@pytest.mark.parametrize("name", ["Zoë", "李明", "Ngọc", "عائشة"])
def test_names_in_any_script_are_kept_exactly(client, coordinator, make_donor, name):
    donor = make_donor()
    client.force_login(coordinator)
    url = reverse("admin:donors_donor_change", args=[donor.pk])
    assert client.post(url, edit_post(donor, first_name=name)).status_code == 302
    donor.refresh_from_db()
    assert donor.first_name == name


def test_an_overlong_name_is_refused_clearly(client, coordinator, make_donor):
    donor = make_donor()
    client.force_login(coordinator)
    url = reverse("admin:donors_donor_change", args=[donor.pk])
    response = client.post(url, edit_post(donor, first_name="x" * 101, email="not-an-email"))
    body = response.content.decode()
    assert "at most 100 characters" in body and "Enter a valid email address." in body
    donor.refresh_from_db()
    assert donor.first_name != "x" * 101


def test_past_the_counting_limit_the_list_says_or_more(client, coordinator, make_donor, monkeypatch):
    from milkbank.pagination import WorkListPaginator

    login(client, coordinator)
    for _ in range(4):
        make_donor()  # new inquiries: all need action
    monkeypatch.setattr(WorkListPaginator, "max_exact_count", 3)
    body = client.get(changelist()).content.decode()
    assert "3 or more donors" in body
    assert "3 or more results" in body  # the count beside the search box, on a filtered list
    monkeypatch.setattr(WorkListPaginator, "max_exact_count", 10)
    body = client.get(changelist()).content.decode()
    assert "4 donors" in body and "or more" not in body


def test_the_counting_limit_keeps_the_count_query_bounded(coordinator, make_donor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from milkbank.pagination import WorkListPaginator

    for _ in range(3):
        make_donor()
    paginator = WorkListPaginator(Donor.objects.order_by("pk"), 50)
    with CaptureQueriesContext(connection) as captured:
        assert paginator.count == 3
    (count_sql,) = [q["sql"] for q in captured.captured_queries]
    assert "LIMIT 1000" in count_sql and "ORDER BY" not in count_sql


def test_the_donor_list_links_each_donor_s_one_obvious_next_step(
    client, coordinator, coordinator2, make_donor
):
    """The list's "Next step" opens that step's form (one page load instead of two); the person who already
    signed off is not offered the sign-off again."""
    new = make_donor(first_name="Noor")
    ready = make_donor(Stage.READY_FOR_SIGNOFF, first_name="Lena")
    login(client, coordinator)
    page = client.get(reverse("admin:donors_donor_changelist")).content.decode()
    assert reverse("admin:donors_donor_action", args=[new.pk, "phone-screen"]) in page
    signoff = reverse("admin:donors_donor_action", args=[ready.pk, "sign-off"])
    assert signoff in page
    assert client.post(signoff, {"note": ""}).status_code == 302
    assert signoff not in client.get(reverse("admin:donors_donor_changelist")).content.decode()
    login(client, coordinator2)
    assert signoff in client.get(reverse("admin:donors_donor_changelist")).content.decode()
