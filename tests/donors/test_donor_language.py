"""The donor's language: chosen on the inquiry form, stored on the donor, and used for the questionnaire
whatever the address; the coordinator reads the English wording of the same version, with the language
answered in."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from donors import questions
from donors import transitions as t
from donors.forms import InquiryForm
from donors.models import Donor, Questionnaire
from tests.donors.intake_fixtures import *  # noqa: F403
from tests.donors.intake_fixtures import GOOD_ANSWERS, inquiry_data

pytestmark = pytest.mark.django_db

VERSION = questions.CURRENT_VERSION


@pytest.fixture(autouse=True)
def english_afterwards():
    """Each test starts and ends with English active in this thread, as a fresh request would."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def donor_in(coordinator, mailoutbox):
    """A donor at "questionnaire sent" who chose `language`, made with the real transitions; (donor, path)."""

    def make(language, *, bereaved=False):
        donor = t.donor_create_inquiry(
            first_name="Lucía",
            last_name="Ramos",
            email="lucia@example.org",
            phone="555-010-0188",
            bereaved=bereaved,
            contact_consent=True,
            language=language,
        )
        t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="passed")
        url = t.questionnaire_send(donor=donor, by=coordinator)
        donor.refresh_from_db()
        return donor, urlsplit(url).path

    return make


def _html_lang(response) -> str:
    return re.search(r'<html lang="([^"]*)"', response.content.decode()).group(1)


# --- The inquiry form ------------------------------------------------------------------------------------


def _checked_language(response) -> str:
    page = response.content.decode()
    match = re.search(r'<input[^>]*name="language"[^>]*value="(\w+)"[^>]*checked', page)
    if match is None:
        match = re.search(r'<input[^>]*checked[^>]*name="language"[^>]*value="(\w+)"', page)
    return match.group(1)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_inquiry_offers_the_pages_language_first_under_its_prefix(client, language):
    with translation.override(language):
        url = reverse("donors:inquiry")
    assert url == f"/{language}/donate/"
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert _checked_language(response) == language
    assert _html_lang(response) == language


@pytest.mark.parametrize(("browser", "expected"), [("es-MX,es;q=0.9,en;q=0.5", "es"), ("fr-CA,fr", "fr")])
def test_the_english_inquiry_offers_the_browsers_language_first(client, browser, expected):
    response = client.get("/donate/", headers={"accept-language": browser})
    assert response.status_code == 200
    assert _html_lang(response) == "en"  # the page stays English at /
    assert _checked_language(response) == expected


@pytest.mark.parametrize("browser", ["de-DE,de", "", "en-US,en"])
def test_the_inquiry_offers_english_first_for_any_other_browser(client, browser):
    response = client.get("/donate/", headers={"accept-language": browser} if browser else {})
    assert response.status_code == 200
    assert _checked_language(response) == "en"


def test_each_language_is_named_in_its_own_language_on_every_page(client):
    response = client.get("/fr/donate/")
    page = response.content.decode()
    assert response.status_code == 200
    for code, name in (("en", "English"), ("es", "Español"), ("fr", "Français")):
        assert re.search(rf'<label[^>]*lang="{code}"[^>]*>{name}</label>', page), name
    assert "Dans quelle langue préférez-vous que nous communiquions avec vous?" in page


@pytest.mark.parametrize("language", ["es", "fr", "en"])
def test_the_chosen_language_is_stored_on_the_donor(client, language):
    response = client.post("/donate/", inquiry_data(language=language))
    assert response.status_code == 302
    assert Donor.objects.get(first_name="Maya").language == language


def test_a_post_without_a_language_keeps_the_pages_language(client):
    response = client.post("/es/donate/", inquiry_data())
    assert response.status_code == 302
    assert response["Location"] == "/es/donate/thank-you/"
    assert Donor.objects.get(first_name="Maya").language == "es"


@pytest.mark.parametrize(
    "forged", ["de", "ES", "es-MX", "en ", "x" * 5000, "<script>alert(1)</script>", "fr\x00", "español"]
)
def test_a_forged_language_is_refused_clearly_and_nothing_is_saved(client, forged):
    response = client.post("/es/donate/", inquiry_data(language=forged))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Elija English, Español o Français." in page
    assert "Revise esta respuesta" in page  # the error summary, in Spanish
    assert Donor.objects.count() == 0


def test_the_spanish_inquiry_form_speaks_spanish_in_its_labels_and_errors(client):
    response = client.post("/es/donate/", inquiry_data(first_name="", phone="", email=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hágase donante" in page
    assert "Enviar mis datos" in page
    assert "Este campo es obligatorio." in page  # Django's own message, in Spanish
    assert "Déjenos un número de teléfono o un correo electrónico" in page
    assert Donor.objects.count() == 0


def test_the_language_field_refuses_a_value_outside_the_choices_in_the_form_itself():
    form = InquiryForm(data=inquiry_data(language="klingon"))
    assert not form.is_valid()
    assert form.errors["language"] == ["Please choose English, Español or Français."]


# --- The questionnaire in the donor's language -------------------------------------------------------------


def test_a_donor_who_chose_spanish_gets_the_questionnaire_in_spanish(client, donor_in):
    donor, path = donor_in("es")
    assert not path.startswith("/es/")  # the emailed link has no prefix: the stored choice decides
    start = client.get(path)
    assert start.status_code == 200
    assert start["Content-Language"] == "es"
    assert _html_lang(start) == "es"
    assert "Su cuestionario de salud" in start.content.decode()

    section = client.get(f"{path}section/1/")
    page = section.content.decode()
    assert section.status_code == 200
    assert _html_lang(section) == "es"
    assert "¿Cuándo dio a luz?" in page
    assert "¿Está usted en buen estado de salud general hoy?" in page
    assert "Sección 1 de 8" in page
    assert "Guardar y continuar" in page
    assert ">Sí<" in page or "Sí\n" in page
    assert "When did you give birth?" not in page


def test_a_donor_who_chose_french_gets_the_questionnaire_in_french(client, donor_in):
    _donor, path = donor_in("fr")
    response = client.get(f"{path}section/1/")
    page = response.content.decode()
    assert response.status_code == 200
    assert _html_lang(response) == "fr"
    assert "Quand avez-vous accouché?" in page
    assert "Enregistrer et continuer" in page
    assert "When did you give birth?" not in page


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_the_questionnaire_follows_the_donor_not_the_address(client, donor_in, prefix):
    _donor, path = donor_in("es")
    response = client.get(f"{prefix}{path}section/1/")
    assert response.status_code == 200
    assert "¿Cuándo dio a luz?" in response.content.decode()
    assert _html_lang(response) == "es"


def test_an_english_donor_keeps_english_under_a_spanish_address(client, donor_in):
    _donor, path = donor_in("en")
    response = client.get(f"/es{path}section/1/")
    assert response.status_code == 200
    assert "When did you give birth?" in response.content.decode()
    assert _html_lang(response) == "en"


def test_spanish_errors_are_in_spanish_and_answers_are_stored_as_keys(client, donor_in):
    donor, path = donor_in("es")
    response = client.post(
        f"{path}section/1/",
        {
            "section": 1,
            "action": "continue",
            "good_health": "no",
            "chronic_illness": "yes",
            "delivery_date": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Responda esta pregunta, por favor." in page
    assert "Cuéntenos un poco más, por favor." in page
    assert "Revise estas respuestas, por favor" in page
    answers = Questionnaire.objects.get(donor=donor).answers
    assert answers["good_health"] == "no"  # the choice's key, never "No" or "Sí"
    assert answers["chronic_illness"] == "yes"


def test_a_donor_may_type_a_date_day_first_in_spanish(client, donor_in):
    donor, path = donor_in("es")
    response = client.post(
        f"{path}section/1/",
        {"section": 1, "action": "later", "delivery_date": "14/03/2026"},
    )
    assert response.status_code == 200
    assert Questionnaire.objects.get(donor=donor).answers["delivery_date"] == "2026-03-14"


def test_the_links_on_a_spanish_questionnaire_carry_the_spanish_prefix(client, donor_in):
    _donor, path = donor_in("es")
    answers = {"section": 1, "action": "continue", **GOOD_ANSWERS["health"]}
    response = client.post(f"{path}section/1/", answers)
    assert response.status_code == 302
    assert response["Location"] == f"/es{path}section/2/"


def test_the_spanish_review_shows_spanish_wording_and_spanish_dates(client, donor_in):
    _donor, path = donor_in("es")
    client.post(f"{path}section/1/", {"section": 1, "action": "continue", **GOOD_ANSWERS["health"]})
    response = client.get(f"{path}review/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Revise y envíe sus respuestas" in page
    assert "5 de enero de 2026" in page
    assert "Sin respuesta" in page or "Falta terminar" in page


def test_autosave_says_the_time_in_the_donors_language(client, donor_in):
    _donor, path = donor_in("fr")
    response = client.post(f"{path}save/", {"section": 1, "good_health": "yes"})
    assert response.status_code == 200
    assert re.fullmatch(r"\d{2} h \d{2}", response.json()["saved_at"])


def test_the_welcome_back_message_is_in_the_donors_language(client, donor_in):
    _donor, path = donor_in("es")
    client.post(f"{path}section/1/", {"section": 1, "action": "later", "good_health": "yes"})
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert "Qué bueno verle de nuevo." in response.content.decode()


def test_submitting_records_the_language_answered_in(client, donor_in):
    donor, path = donor_in("fr")
    for number, slug in enumerate(GOOD_ANSWERS, start=1):
        answers = {"section": number, **GOOD_ANSWERS[slug]}
        assert client.post(f"{path}section/{number}/", answers).status_code == 302
    response = client.post(f"{path}review/", {"confirm": "on"})
    assert response.status_code == 302
    q = Questionnaire.objects.get(donor=donor)
    assert q.is_frozen and q.language == "fr"
    done = client.get(path)
    assert "Merci, nous avons bien reçu vos réponses" in done.content.decode()


def test_a_bad_link_stays_in_the_addresss_language(client):
    response = client.get("/es/donate/q/forged/")
    assert response.status_code == 404
    assert _html_lang(response) == "es"


# --- The versioned questions and their translations ---------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_wording_of_the_current_version_has_its_translation(language):
    english = questions.wordings(VERSION)
    translated = questions.TRANSLATIONS[VERSION][language]
    missing = sorted(set(english) - set(translated))
    assert not missing, f"{language} lacks {missing}"
    unused = sorted(set(translated) - set(english))
    assert not unused, f"{language} has wordings for no question: {unused}"
    assert all(translated[key].strip() for key in english)


def test_a_missing_translation_shows_in_english_without_error(client, donor_in, monkeypatch):
    spanish = dict(questions.TRANSLATIONS[VERSION]["es"])
    del spanish["delivery_date"]
    del spanish["health.title"]
    monkeypatch.setitem(questions.TRANSLATIONS[VERSION], "es", spanish)
    questions._translated.cache_clear()
    try:
        _donor, path = donor_in("es")
        response = client.get(f"{path}section/1/")
        page = response.content.decode()
        assert response.status_code == 200
        assert "When did you give birth?" in page  # missing: English
        assert "Your health" in page
        assert "¿Está usted en buen estado de salud general hoy?" in page  # the rest stays Spanish
    finally:
        questions._translated.cache_clear()


def test_an_older_version_without_translations_shows_in_english(monkeypatch):
    monkeypatch.setitem(questions.QUESTION_SETS, "2025.1", questions.QUESTION_SETS[VERSION])
    sections = questions.sections_for("2025.1", bereaved=False, language="es")
    assert sections[0].questions[0].text == "When did you give birth?"
    review = questions.answers_for_review("2025.1", {"good_health": "yes"}, language="fr")
    assert review[0].rows[1].answer == "Yes"


def test_an_unknown_language_shows_in_english():
    sections = questions.sections_for(VERSION, bereaved=False, language="de")
    assert sections[0].title == "Your health"


def test_translated_choices_keep_their_keys():
    spanish = questions.sections_for(VERSION, bereaved=False, language="es")
    question = spanish[0].questions[1]
    assert question.options == (("yes", "Sí"), ("no", "No"))
    assert question.is_flagged("no")  # the rules read keys, whatever the language


# --- The coordinator's review -----------------------------------------------------------------------------


def _submit(client, path):
    for number, slug in enumerate(GOOD_ANSWERS, start=1):
        answers = {**GOOD_ANSWERS[slug]}
        if slug == "health":
            answers["good_health"] = "no"
        assert client.post(f"{path}section/{number}/", {"section": number, **answers}).status_code == 302
    assert client.post(f"{path}review/", {"confirm": "on"}).status_code == 302


def test_the_coordinator_reads_english_wording_with_the_language_answered_in(client, donor_in, coordinator):
    donor, path = donor_in("es")
    _submit(client, path)
    client.force_login(coordinator)
    response = client.get(reverse("admin:donors_donor_change", args=[donor.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Answered in Spanish." in page
    assert "answered in Spanish" in page
    assert "Language: <strong>Spanish</strong>" in page
    assert "Are you in good general health today?" in page  # the English wording of the same version
    assert "¿Está usted en buen estado de salud general hoy?" in page  # as the donor read it, beside it
    assert '<span lang="es">' in page
    assert "<td>No</td>" in page  # the stored key shown in English

    review = client.get(reverse("admin:donors_donor_action", args=[donor.pk, "review"]))
    text = review.content.decode()
    assert review.status_code == 200
    assert "Answered in Spanish." in text
    assert "Are you in good general health today?" in text


def test_an_english_donors_review_has_no_language_note(client, donor_in, coordinator):
    donor, path = donor_in("en")
    _submit(client, path)
    client.force_login(coordinator)
    response = client.get(reverse("admin:donors_donor_change", args=[donor.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Are you in good general health today?" in page
    assert "Answered in" not in page
    assert "Asked as:" not in page


def test_the_donor_list_shows_each_donors_language(client, donor_in, coordinator):
    donor_in("fr")
    client.force_login(coordinator)
    response = client.get(reverse("admin:donors_donor_changelist") + "?show=all")
    assert response.status_code == 200
    assert "French" in response.content.decode()


def test_a_coordinator_may_change_the_donors_language(client, donor_in, coordinator):
    from tests.donors.test_admin_donors import edit_post

    donor, _path = donor_in("en")
    client.force_login(coordinator)
    url = reverse("admin:donors_donor_change", args=[donor.pk])
    assert client.post(url, edit_post(donor, language="fr")).status_code == 302
    donor.refresh_from_db()
    assert donor.language == "fr"
    refused = client.post(url, edit_post(donor, language="xx"))
    assert refused.status_code == 200
    donor.refresh_from_db()
    assert donor.language == "fr"


def test_a_stored_language_the_site_does_not_offer_shows_english(client, donor_in):
    donor, path = donor_in("es")
    Donor.objects.filter(pk=donor.pk).update(language="de")  # e.g. a language later withdrawn
    response = client.get(f"{path}section/1/")
    assert response.status_code == 200
    assert "When did you give birth?" in response.content.decode()
    assert _html_lang(response) == "en"


def test_the_spanish_and_french_donor_pages_are_valid_html(client, donor_in, tmp_path):
    """The Nu HTML Checker on the inquiry and questionnaire pages in Spanish and French, errors shown too."""
    import json
    import subprocess

    from tests.resources.test_html_valid import _vnu

    checker = _vnu()
    pages = {}
    for language in ("es", "fr"):
        pages[f"/{language}/donate/"] = client.get(f"/{language}/donate/")
        pages[f"/{language}/donate/ (errors)"] = client.post(f"/{language}/donate/", inquiry_data(phone=""))
        _donor, path = donor_in(language)
        pages[f"{language} start"] = client.get(path)
        pages[f"{language} section"] = client.get(f"{path}section/1/")
        pages[f"{language} section (errors)"] = client.post(
            f"{path}section/1/", {"section": 1, "action": "continue", "chronic_illness": "yes"}
        )
        pages[f"{language} review"] = client.get(f"{path}review/")
        pages[f"{language} saved"] = client.post(f"{path}section/2/", {"section": 2, "action": "later"})
    files = {}
    for number, (url, response) in enumerate(pages.items()):
        assert response.status_code == 200, url
        file = tmp_path / f"page-{number}.html"
        file.write_bytes(response.content)
        files[str(file)] = url
    canary = tmp_path / "canary.html"
    canary.write_text(
        '<!doctype html><html lang="es"><head><title>t</title></head><body><p><p></div></body></html>'
    )
    files[str(canary)] = "canary"
    result = subprocess.run(  # noqa: S603 - fixed command, our own temporary files
        [*checker, "--errors-only", "--format", "json", *files], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(result.stderr).get("messages", []) if result.stderr.startswith("{") else []
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: line {m.get('lastLine')}: "
        f"{m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert [e for e in errors if e.startswith("canary:")], f"the checker did not run: {result.stderr[:500]}"
    errors = [e for e in errors if not e.startswith("canary:")]
    assert not errors, "\n".join(errors)
