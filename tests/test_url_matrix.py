"""Every URL x every role: who gets the page, who is sent to sign in, who is refused.

`test_every_url_pattern_has_an_entry` fails when a URL is added without saying here who may open it.
Admin pages of registered models are covered model by model (ADMIN_VIEWERS); every other URL by name (URLS).
Every admin URL that takes an id is asked with a real id and with a missing one.
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from donors import transitions as t
from donors.models import Depot, Donor, DropOff, Shipment
from memorials.models import Butterfly, Quilt
from tests.donors.conftest import walk

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "coordinator", "volunteer", "memorial", "editor", "no_role"]
OK, LOGIN, DENY, GONE, POST_ONLY = "ok", "login", "deny", "gone", "post-only"
CODES = {OK: {200}, LOGIN: {302}, DENY: {403, 404}, GONE: {404, 410}, POST_ONLY: {405}}


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def staff(allowed, *, others=DENY):
    """Anonymous visitors go to sign in; the named roles get the page; everyone else is refused."""
    return {role: LOGIN if role == "anonymous" else (OK if role in allowed else others) for role in ROLES}


ALL_STAFF = ("coordinator", "volunteer", "memorial", "editor", "no_role")

# name -> (args key, expectations). Args keys are resolved by the `objects` fixture.
URLS = {
    "healthz": (None, everyone(OK)),
    # Public pages.
    "resources:home": (None, everyone(OK)),
    "resources:search": (None, everyone(OK)),
    "resources:pumping_plan": (None, everyone(OK)),
    "resources:grief_resources": (None, everyone(OK)),
    "resources:milk_banks": (None, everyone(OK)),
    "resources:handout": (None, everyone(OK)),
    "resources:sitemap": (None, everyone(OK)),
    "resources:robots": (None, everyone(OK)),
    "resources:print_css": (None, everyone(OK)),
    "resources:page": ("page_slug", everyone(OK)),
    "resources:feedback": (None, everyone(POST_ONLY)),
    "donors:inquiry": (None, everyone(OK)),
    "donors:inquiry_thanks": (None, everyone(OK)),
    "donors:depots": (None, everyone(OK)),
    "donors:status_resend": (None, everyone(OK)),
    "memorials:home": (None, everyone(OK)),
    "memorials:thanks": (None, everyone(OK)),
    # Private links: a forged token is turned away the same for everyone, staff included.
    "donors:questionnaire": ("forged_token", everyone(GONE)),
    "donors:questionnaire_section": ("forged_token_section", everyone(GONE)),
    "donors:questionnaire_review": ("forged_token", everyone(GONE)),
    "donors:questionnaire_autosave": ("forged_token", everyone(POST_ONLY)),
    "donors:status": ("forged_token", everyone(GONE)),
    "donors:status_language": ("forged_token", everyone(POST_ONLY)),
    "donors:questionnaire_language": ("forged_token", everyone(POST_ONLY)),
    # Depot work: volunteers (their own depots) and coordinators.
    "donors:depot_work": (None, staff({"coordinator", "volunteer"})),
    "donors:dropoff_new": (None, staff({"coordinator", "volunteer"})),
    "donors:freezer_check_new": (None, staff({"coordinator", "volunteer"})),
    "donors:shipment_new": ("depot", staff({"coordinator", "volunteer"})),
    "donors:dropoff_labels": ("dropoff_ids", staff({"coordinator", "volunteer"})),
    "donors:dropoff_label": ("dropoff", staff({"coordinator", "volunteer"})),
    "donors:milk_report": (None, staff({"coordinator", "volunteer"})),
    # Reports (issue 17): milk for volunteers too (their depots); donor figures for coordinators only.
    "donors:reports": (None, staff({"coordinator", "volunteer"})),
    "donors:report_milk": (None, staff({"coordinator", "volunteer"})),
    "donors:report_milk_csv": ("report_table", staff({"coordinator", "volunteer"})),
    "donors:report_donors": (None, staff({"coordinator"})),
    "donors:report_donors_csv": (None, staff({"coordinator"})),
    "donors:report_annual": (None, staff({"coordinator"})),
    "donors:report_annual_csv": (None, staff({"coordinator"})),
    "donors:dropoff_void": ("dropoff", staff({"coordinator", "volunteer"})),
    "donors:dropoff_correct": ("dropoff", staff({"coordinator"})),
    "donors:dropoffs_held": (None, staff({"coordinator"})),
    "donors:shipment_receive": ("shipment", staff({"coordinator"})),
    "donors:dropoff_export": (None, staff({"coordinator"})),
    # Screening reports: coordinators only.
    "donors:report_turnaround": (None, staff({"coordinator"})),
    "donors:report_turnaround_csv": (None, staff({"coordinator"})),
    "donors:report_funnel": (None, staff({"coordinator"})),
    "donors:report_funnel_csv": (None, staff({"coordinator"})),
    # Data rights.
    "donors:donor_export": ("donor", staff({"coordinator"})),
    "donors:donor_export_json": ("donor", staff({"coordinator"})),
    "donors:donor_anonymize": ("donor", staff({"coordinator"})),
    # Memorial staff pages (coordinators may look).
    "memorials:sewing_queue": (None, staff({"memorial", "coordinator"})),
    "memorials:work_order": (None, staff({"memorial", "coordinator"})),
    "memorials:quilts": (None, staff({"memorial", "coordinator"})),
    "memorials:quilt": ("quilt", staff({"memorial", "coordinator"})),
    "memorials:keepsakes": (None, staff({"memorial", "coordinator"})),
    "memorials:requests": (None, staff({"memorial", "coordinator"})),
    "memorials:request_accept": ("butterfly_request", staff((), others=DENY) | {"memorial": POST_ONLY}),
    "memorials:request_decline": ("butterfly_request", staff({"memorial"})),
    "memorials:request_link": ("butterfly_request", staff({"memorial"})),
    # The staff site itself.
    "two_factor_setup": (None, staff(ALL_STAFF)),
    "admin:index": (None, staff(ALL_STAFF)),
    "admin:login": (
        None,
        everyone(OK)
        | {"coordinator": LOGIN, "volunteer": LOGIN, "memorial": LOGIN, "editor": LOGIN, "no_role": LOGIN},
    ),
    "admin:logout": (None, everyone(POST_ONLY) | {"anonymous": LOGIN}),
    "admin:password_change": (None, staff(ALL_STAFF)),
    "admin:password_change_done": (None, staff(ALL_STAFF)),
    "admin:autocomplete": (None, staff(())),
    "admin:jsi18n": (None, staff(ALL_STAFF)),
    "admin:view_on_site": ("view_on_site", staff(())),
    "admin:app_list": ("app_donors", staff({"coordinator", "volunteer"})),
    "admin:auth_user_password_change": ("user", staff(())),
    "admin:otp_totp_totpdevice_config": ("device", staff(())),
    "admin:otp_totp_totpdevice_qrcode": ("device", staff(())),
    # Coordinators' donor work.
    "admin:donors_donor_dashboard": (None, staff({"coordinator"})),
    "admin:donors_donor_action": ("donor_action", staff({"coordinator"})),
    "admin:donors_donor_release": ("release", staff({"coordinator"})),
    "admin:donors_donor_release_print": ("release", staff({"coordinator"})),
    "admin:donors_donor_release_received": (
        "release",
        staff({"coordinator"}, others=DENY) | {"coordinator": DENY},
    ),
    "admin:donors_donor_requisition": ("bloodwork", staff({"coordinator"})),
    "admin:donors_donor_lab_report_add": ("bloodwork", staff({"coordinator"})),
    "admin:donors_donor_lab_report": ("lab_report", staff({"coordinator"})),
    "admin:donors_donor_task_done": ("task", staff({"coordinator"}, others=DENY) | {"coordinator": DENY}),
    # Memorial steps (changing a butterfly is memorial staff's work).
    "admin:memorials_butterfly_sewing": ("butterfly", staff({"memorial"})),
    "admin:memorials_butterfly_place": ("butterfly", staff({"memorial"})),
    "admin:memorials_butterfly_keepsake": ("butterfly", staff({"memorial"})),
    "admin:memorials_butterfly_approval": ("butterfly", staff({"memorial"})),
    "admin:memorials_butterfly_donor_search": (None, staff({"memorial"})),
}

# Registered admin model -> the roles that may open its list. Superusers only where empty.
ADMIN_VIEWERS = {
    "auditlog.logentry": set(),
    "auth.group": set(),
    "auth.user": set(),
    "axes.accessattempt": set(),
    "axes.accessfailurelog": set(),
    "axes.accesslog": set(),
    "otp_static.staticdevice": set(),
    "otp_totp.totpdevice": set(),
    "donors.donor": {"coordinator"},
    "donors.depot": {"coordinator", "volunteer"},
    "donors.dropoff": {"coordinator", "volunteer"},
    "donors.freezercheck": {"coordinator", "volunteer"},
    "donors.shipment": {"coordinator", "volunteer"},
    "memorials.quilt": {"memorial", "coordinator"},
    "memorials.butterfly": {"memorial", "coordinator"},
    "resources.page": {"editor"},
    "resources.griefresource": {"editor"},
    "resources.milkbank": {"editor"},
    "resources.keepsakemaker": {"editor"},
    "resources.searchsynonym": {"editor"},
    "resources.feedback": {"editor"},
}
STANDARD_ADMIN = re.compile(
    r"^admin:(?P<app>\w+?)_(?P<model>[a-z0-9]+)_(changelist|add|change|delete|history|auditlog)$"
)


def _all_url_names():
    def walk_patterns(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk_patterns(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
            elif p.name:
                yield ns + p.name

    return set(walk_patterns(get_resolver().url_patterns))


def _registered_models():
    return {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}


def test_every_url_pattern_has_an_entry():
    registered = {label.replace(".", "_") for label in _registered_models()}
    missing = []
    for name in sorted(_all_url_names()):
        match = STANDARD_ADMIN.match(name)
        if match and f"{match['app']}_{match['model']}" in registered:
            continue
        if name not in URLS:
            missing.append(name)
    assert not missing, f"Say who may open these URLs in tests/test_url_matrix.py: {missing}"
    assert set(ADMIN_VIEWERS) == _registered_models(), (
        "Every registered admin model needs an ADMIN_VIEWERS entry"
    )


@pytest.fixture
def objects(coordinator, coordinator2, volunteer, memorial_staff, django_user_model, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from resources.models import Page

    depot = Depot.objects.create(name="Lakeside", city="Duluth", region="MN")
    depot.volunteers.add(volunteer)
    donor = t.donor_create_inquiry(first_name="Ada", phone="555-0100", bereaved=True, contact_consent=True)
    walk(donor, Donor.Stage.APPROVED, by=coordinator, by2=coordinator2)
    today = timezone.localdate()
    dropoff = DropOff.objects.create(
        donor=donor,
        depot=depot,
        received_by=volunteer,
        containers=1,
        volume_ml=120,
        expressed_from=today - datetime.timedelta(days=2),
        expressed_to=today,
        health_declaration=True,
    )
    shipment = Shipment.objects.create(depot=depot, shipped_by=volunteer, carrier="Courier")
    quilt = Quilt.objects.create(name="Quilt 1", capacity=40)
    butterfly = Butterfly.objects.create(
        first_name="Rosie",
        birth_date=today - datetime.timedelta(days=90),
        family_name="Kowalski",
        mailing_address="1 Elm St",
    )
    device = TOTPDevice.objects.create(user=coordinator2, name="app")
    settings.MILKBANK_PRIVATE_FILES_DIR = tmp_path / "private"
    report = t.lab_report_attach(
        bloodwork=donor.bloodwork_set.first(),
        by=coordinator,
        upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    from django.contrib.contenttypes.models import ContentType

    from memorials.services import butterfly_request_for_family

    butterfly_request = butterfly_request_for_family(
        first_name="Noor", birth_date=butterfly.birth_date, family_name="Haddad", contact_phone="555-0100"
    )

    return {
        None: [],
        "page_slug": [Page.objects.filter(published=True).values_list("slug", flat=True).first()],
        "forged_token": ["not-a-real-token:forged"],
        "forged_token_section": ["not-a-real-token:forged", 1],
        "depot": [depot.pk],
        "dropoff": [dropoff.pk],
        "dropoff_ids": ([], f"id={dropoff.pk}"),
        "shipment": [shipment.pk],
        "report_table": ["by-route"],
        "donor": [donor.pk],
        "donor_action": [donor.pk, "status-link"],
        "release": [donor.pk, donor.releases.first().pk],
        "bloodwork": [donor.pk, donor.bloodwork_set.first().pk],
        "lab_report": [donor.pk, report.pk],
        "task": [donor.pk, 999999],
        "quilt": [quilt.pk],
        "butterfly": [butterfly.pk],
        "butterfly_request": [butterfly_request.pk],
        "user": [coordinator2.pk],
        "device": [device.pk],
        "app_donors": ["donors"],
        "view_on_site": [ContentType.objects.get_for_model(Donor).pk, 999999],
    }


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("name", sorted(URLS))
def test_each_url_answers_each_role_as_it_should(client, personas, objects, name):
    args_key, expected = URLS[name]
    args, query = objects[args_key] if isinstance(objects[args_key], tuple) else (objects[args_key], "")
    url = reverse(name, args=args) + (f"?{query}" if query else "")
    wrong = {}
    for role in ROLES:
        status = _get(client, personas[role], url).status_code
        assert status < 500, f"{name} gave {status} to {role}"
        if status not in CODES[expected[role]]:
            wrong[role] = (status, expected[role])
    assert not wrong, f"{name} ({url}): {wrong}"


@pytest.mark.parametrize("label", sorted(ADMIN_VIEWERS))
def test_each_admin_list_opens_only_for_its_roles(client, personas, label):
    app, model = label.split(".")
    url = reverse(f"admin:{app}_{model}_changelist")
    for role in ROLES:
        status = _get(client, personas[role], url).status_code
        if role == "anonymous":
            assert status == 302, (label, role, status)
        elif role in ADMIN_VIEWERS[label]:
            assert status == 200, (label, role, status)
        else:
            assert status in (403, 404), (label, role, status)


OBJECT_VIEWS = ("change", "history", "auditlog", "delete")
MISSING_ID = 987654321


@pytest.fixture
def admin_objects(objects, coordinator, volunteer):
    """One real record of every registered admin model, inside the volunteer's depot where that applies."""
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group, User
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from donors.models import FreezerCheck
    from resources.models import Feedback, GriefResource, KeepsakeMaker, MilkBank, Page, SearchSynonym

    depot = Depot.objects.get(pk=objects["depot"][0])
    seen = {"username": "casey", "ip_address": "203.0.113.7", "user_agent": "test", "path_info": "/admin/"}
    records = [
        LogEntry.objects.filter(object_pk=str(objects["donor"][0])).first(),
        Group.objects.get(name="Coordinator"),
        User.objects.get(pk=objects["user"][0]),
        AccessAttempt.objects.create(failures_since_start=1, get_data="", post_data="", **seen),
        AccessFailureLog.objects.create(**seen),
        AccessLog.objects.create(**seen),
        StaticDevice.objects.create(user=coordinator, name="Recovery codes"),
        TOTPDevice.objects.get(pk=objects["device"][0]),
        Donor.objects.get(pk=objects["donor"][0]),
        depot,
        DropOff.objects.get(pk=objects["dropoff"][0]),
        FreezerCheck.objects.create(depot=depot, temperature_c=-25, checked_by=volunteer),
        Shipment.objects.get(pk=objects["shipment"][0]),
        Quilt.objects.get(pk=objects["quilt"][0]),
        Butterfly.objects.get(pk=objects["butterfly"][0]),
        Page.objects.first(),
        GriefResource.objects.first(),
        MilkBank.objects.first(),
        Feedback.objects.create(kind=Feedback.Kind.HELPFUL, helpful=True, path="/"),
        KeepsakeMaker.objects.create(name="Hands that sew"),
        SearchSynonym.objects.create(phrase="quilt square", means="butterfly"),
    ]
    return {f"{r._meta.app_label}.{r._meta.model_name}": r for r in records}


def _object_urls(label, pk):
    from django.urls import NoReverseMatch

    app, model = label.split(".")
    for view in OBJECT_VIEWS:
        try:
            yield view, reverse(f"admin:{app}_{model}_{view}", args=[pk])
        except NoReverseMatch:
            continue


@pytest.mark.parametrize("label", sorted(ADMIN_VIEWERS))
def test_each_admin_page_of_a_record_answers_each_role_and_a_missing_id_is_404(
    client, personas, superuser, admin_objects, label
):
    """Every admin URL that takes an id, with a real id and a missing one. A missing record answers 404 to
    the roles that may see such records (never a server error), 403 or 404 to the others."""
    assert set(admin_objects) == set(ADMIN_VIEWERS), "a real record for every registered model"
    everybody = {**personas, "superuser": superuser}
    viewers = ADMIN_VIEWERS[label] | {"superuser"}
    real = admin_objects[label]
    wrong = {}
    for role, user in everybody.items():
        for view, url in _object_urls(label, real.pk):
            status = _get(client, user, url).status_code
            if role == "anonymous":
                ok = status == 302
            elif role in viewers:
                # Django's delete page answers 403 to a role that may view a record but not delete it.
                ok = status == 200 or (view == "delete" and status == 403)
            else:
                ok = status in (403, 404)
            if not ok:
                wrong[(role, url)] = status
        for _view, url in _object_urls(label, MISSING_ID):
            status = _get(client, user, url).status_code
            expected = {302} if role == "anonymous" else {404} if role in viewers else {403, 404}
            if status not in expected:
                wrong[(role, url)] = status
    assert not wrong, f"{label}: {wrong}"


ADMIN_URLS_WITH_IDS = sorted(
    name
    for name, (key, _) in URLS.items()
    if name.startswith("admin:") and key not in (None, "app_donors", "view_on_site")
)


# Pages that would show a staff member's authenticator key: off for everyone (OTP_ADMIN_HIDE_SENSITIVE_DATA).
TURNED_OFF = {"admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"}


@pytest.mark.parametrize("name", sorted(TURNED_OFF))
def test_no_one_can_read_a_staff_members_authenticator_key(client, superuser, objects, name):
    client.force_login(superuser)
    assert client.get(reverse(name, args=objects["device"])).status_code == 403


@pytest.mark.parametrize("name", ADMIN_URLS_WITH_IDS)
def test_each_admin_action_page_with_a_missing_id_is_404(client, personas, superuser, objects, name):
    """The admin's own pages that take ids (actions, prints, steps), with every id missing: 404 to the roles
    that may open them with a real id, 403 or 404 to the others, the sign-in page to anonymous visitors."""
    args_key, expected = URLS[name]
    args = [MISSING_ID if isinstance(arg, int) else arg for arg in objects[args_key]]
    url = reverse(name, args=args)
    wrong = {}
    for role, user in {**personas, "superuser": superuser}.items():
        status = _get(client, user, url).status_code
        if role == "anonymous":
            ok = status == 302
        elif name in TURNED_OFF:
            ok = status == 403
        elif role == "superuser" or expected[role] == OK:
            ok = status == 404
        else:
            ok = status in (403, 404)
        if not ok:
            wrong[role] = status
    assert not wrong, f"{name} ({url}): {wrong}"


def test_no_page_has_a_form_inside_another(client, superuser, coordinator, objects):
    """Every page a person can open, as a superuser (who sees every staff page) and a coordinator: a form
    inside another form leaves the outer form's buttons dead in the browser."""
    from tests.donors.test_exceptions import assert_no_nested_forms

    checked = 0
    for name, (args_key, _) in sorted(URLS.items()):
        args, query = objects[args_key] if isinstance(objects[args_key], tuple) else (objects[args_key], "")
        url = reverse(name, args=args) + (f"?{query}" if query else "")
        for user in (superuser, coordinator):
            response = _get(client, user, url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                assert_no_nested_forms(response.content.decode(), url)
                checked += 1
    assert checked >= 40
