"""Each donor is written to in the language they chose, whoever takes the step and on whatever page.

Every email kind is sent through the step that sends it in real life, for a Spanish and a French donor: the
subject and the body are in their language, and each link carries its prefix and opens. Staff mail stays in
English with links to the English staff pages; a language the site no longer offers falls back to English.
"""

import datetime
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.html import strip_tags

from donors import formatting, notify
from donors import transitions as t
from donors.models import Donor
from donors.reminders import send_reminders
from tests.donors.milk_fixtures import make_dropoff  # noqa: F401

pytestmark = pytest.mark.django_db
Stage = Donor.Stage
COORDINATORS = settings.MILKBANK["COORDINATOR_EMAIL"]


@pytest.fixture(autouse=True)
def _fresh_flood_limits():
    cache.clear()
    yield
    cache.clear()
    # A request to /es/ or /fr/ leaves its language active in this thread (LocaleMiddleware sets it and
    # never puts it back): later tests' reverse() would get its prefix.
    translation.activate(settings.LANGUAGE_CODE)


def _to_donor(mailoutbox, donor):
    return [m for m in mailoutbox if m.to == [donor.email]]


def _age(donor, days):
    Donor.objects.filter(pk=donor.pk).update(stage_changed_at=timezone.now() - datetime.timedelta(days=days))


# Each kind: how to make the step send it, and a phrase of its subject and of its body in each language.
def _questionnaire_link(make_donor, coordinator, lang, bereaved=False):
    return make_donor(Stage.QUESTIONNAIRE_SENT, language=lang, bereaved=bereaved)


def _status_link(make_donor, coordinator, lang, bereaved=False):
    donor = make_donor(Stage.BLOODWORK_ORDERED, language=lang, bereaved=bereaved)
    t.status_link_send(donor=donor, by=coordinator)
    return donor


def _approved(make_donor, coordinator, lang, bereaved=False):
    return make_donor(Stage.APPROVED, language=lang, bereaved=bereaved)


def _deferral_ended(make_donor, coordinator, lang, bereaved=False):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED, language=lang, bereaved=bereaved)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    t.donor_defer(donor=donor, by=coordinator, reason="Travel", until=tomorrow)
    # A day passes: the pause reaches its end, and the daily run ends it.
    Donor.objects.filter(pk=donor.pk).update(deferred_until=timezone.localdate())
    send_reminders()
    return donor


def _reminder_deferral(make_donor, coordinator, lang, bereaved=False):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED, language=lang, bereaved=bereaved)
    until = timezone.localdate() + datetime.timedelta(days=3)
    t.donor_defer(donor=donor, by=coordinator, reason="Travel", until=until)
    send_reminders()
    return donor


def _reminder_questionnaire(make_donor, coordinator, lang, bereaved=False):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, language=lang, bereaved=bereaved)
    _age(donor, 8)
    send_reminders()
    return donor


def _reminder_bloodwork(make_donor, coordinator, lang, bereaved=False):
    donor = make_donor(Stage.APPROVED, language=lang, bereaved=bereaved)
    bloodwork = donor.bloodwork_set.get()
    bloodwork.drawn_on = timezone.localdate() - datetime.timedelta(
        days=settings.MILKBANK["BLOODWORK_VALID_DAYS"] - 10
    )
    bloodwork.save(update_fields=["drawn_on"])
    send_reminders()
    return donor


def _thank_you(make_donor, coordinator, lang, bereaved=False):
    donor = make_donor(Stage.APPROVED, language=lang, bereaved=bereaved)
    t.donor_finish(donor=donor, by=coordinator)
    return donor


KINDS = {
    # kind: (step, bereaved, {lang: (in the subject, in the body)})
    "questionnaire_link": (
        _questionnaire_link,
        False,
        {
            "es": ("Su cuestionario de salud", "Este es su enlace privado al cuestionario de salud"),
            "fr": ("Votre questionnaire de santé", "Voici votre lien privé vers le questionnaire de santé"),
        },
    ),
    "questionnaire_link_bereaved": (
        _questionnaire_link,
        True,
        {
            "es": ("para cuando esté lista", "Sentimos mucho su pérdida"),
            "fr": ("quand vous serez prête", "Nous sommes profondément désolés de votre perte"),
        },
    ),
    "status_link": (
        _status_link,
        False,
        {
            "es": ("Su página de donante", "Esta es su página privada"),
            "fr": ("Votre page de donneuse", "Voici votre page privée"),
        },
    ),
    "approved": (
        _approved,
        False,
        {
            "es": ("Le damos la bienvenida", "Ahora es donante de leche aprobada"),
            "fr": ("Bienvenue parmi les donneuses", "Vous êtes maintenant donneuse de lait approuvée"),
        },
    ),
    "deferral_ended": (
        _deferral_ended,
        False,
        {
            "es": ("La pausa en su donación ha terminado", "La pausa que acordamos ha terminado"),
            "fr": ("La pause de votre don est terminée", "La pause convenue est terminée"),
        },
    ),
    "deferral_ended_bereaved": (
        _deferral_ended,
        True,
        {
            "es": ("La pausa en su donación ha terminado", "Esperamos que haya podido tomarse el tiempo"),
            "fr": ("La pause de votre don est terminée", "Nous espérons que vous avez pu prendre le temps"),
        },
    ),
    "reminder_deferral": (
        _reminder_deferral,
        False,
        {
            "es": ("Nos pondremos en contacto pronto", "La pausa en su evaluación termina el"),
            "fr": ("Nous vous recontacterons bientôt", "La pause de votre évaluation se termine le"),
        },
    ),
    "reminder_questionnaire": (
        _reminder_questionnaire,
        False,
        {
            "es": ("Un recordatorio sobre su cuestionario", "Un amable recordatorio"),
            "fr": ("Un rappel au sujet de votre questionnaire", "Un petit rappel"),
        },
    ),
    "reminder_questionnaire_bereaved": (
        _reminder_questionnaire,
        True,
        {
            "es": ("Un recordatorio sobre su cuestionario", "Pensamos en usted"),
            "fr": ("Un rappel au sujet de votre questionnaire", "Nous pensons à vous"),
        },
    ),
    "reminder_bloodwork": (
        _reminder_bloodwork,
        False,
        {
            "es": ("renovar su análisis de sangre", "Su análisis de sangre cubre la leche"),
            "fr": ("Votre prise de sang doit bientôt être renouvelée", "Votre prise de sang couvre le lait"),
        },
    ),
    "thank_you": (
        _thank_you,
        False,
        {
            "es": ("Gracias, de parte de", "Gracias por ofrecer su leche"),
            "fr": ("Merci, de la part de", "Merci d'avoir offert votre lait"),
        },
    ),
    "thank_you_bereaved": (
        _thank_you,
        True,
        {
            "es": ("Gracias, de parte de", "Forever Butterflies (mariposas para siempre)"),
            "fr": ("Merci, de la part de", "Forever Butterflies (papillons pour toujours)"),
        },
    ),
}
ENGLISH = {
    "questionnaire_link": "Your health questionnaire",
    "status_link": "Your donor page",
    "approved": "Welcome as a milk donor",
    "thank_you": "Thank you, from",
}


def _links(text):
    return [word for word in text.split() if word.startswith(settings.SITE_URL)]


@pytest.mark.parametrize("lang", ["es", "fr"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_email_is_written_in_the_donors_language(
    kind, lang, make_donor, coordinator, mailoutbox, client
):
    step, bereaved, phrases = KINDS[kind]
    donor = step(make_donor, coordinator, lang, bereaved=bereaved)
    in_subject, in_body = phrases[lang]
    [message] = [m for m in _to_donor(mailoutbox, donor) if in_subject in m.subject]
    [(html, _)] = message.alternatives
    assert in_body in message.body
    assert in_body in unescape(strip_tags(html))
    assert "Hello" not in message.body and "Dear" not in message.body
    assert f'lang="{lang}"' in html or "<html" not in html
    # Every private link carries the language's prefix, and opens.
    for url in _links(message.body):
        path = urlsplit(url).path
        assert path.startswith(f"/{lang}/donate/"), url
        response = client.get(path)
        assert response.status_code == 200, url
        assert response["Content-Language"] == lang


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_links_in_the_donors_language_open_their_page_in_it(
    lang, make_donor, coordinator, mailoutbox, client
):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, language=lang)
    [message] = [m for m in _to_donor(mailoutbox, donor) if _links(m.body)]
    urls = _links(message.body)
    assert len(urls) == 2  # the questionnaire and the status page
    status = next(url for url in urls if "/donate/s/" in url)
    body = client.get(urlsplit(status).path).content.decode()
    assert {"es": "Sus tres pasos", "fr": "Vos trois étapes"}[lang] in body


def test_an_english_donor_still_gets_english_and_unprefixed_links(make_donor, coordinator, mailoutbox):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT)
    assert donor.language == "en"
    t.status_link_send(donor=donor, by=coordinator)
    messages = _to_donor(mailoutbox, donor)
    assert any(ENGLISH["questionnaire_link"] in m.subject for m in messages)
    assert any(ENGLISH["status_link"] in m.subject for m in messages)
    for message in messages:
        for url in _links(message.body):
            assert urlsplit(url).path.startswith("/donate/"), url


def test_a_step_taken_on_a_spanish_page_writes_to_a_french_donor_in_french(
    make_donor, coordinator, mailoutbox
):
    donor = make_donor(Stage.BLOODWORK_ORDERED, language="fr")
    with translation.override("es"):
        t.status_link_send(donor=donor, by=coordinator)
        assert translation.get_language() == "es"  # the page's language is left as it was
    [message] = [m for m in _to_donor(mailoutbox, donor) if "Votre page" in m.subject]
    assert "/fr/donate/s/" in message.body


@pytest.mark.parametrize("stored", ["pt", "", "zz-zz"])
def test_a_language_the_site_does_not_offer_falls_back_to_english(
    stored, make_donor, coordinator, mailoutbox
):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    Donor.objects.filter(pk=donor.pk).update(language=stored)
    donor.refresh_from_db()
    t.status_link_send(donor=donor, by=coordinator)
    [message] = [m for m in _to_donor(mailoutbox, donor) if "Your donor page" in m.subject]
    assert "Here is your private page" in message.body
    assert "/donate/s/" in message.body and "/pt/" not in message.body


def test_a_message_missing_from_the_catalogue_is_sent_in_english(make_donor, mailoutbox, settings, tmp_path):
    """A Spanish donor, a template whose words no catalogue holds yet: the English words, no error."""
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "new_kind_subject.txt").write_text('{% load i18n %}{% translate "A brand new subject" %}')
    (folder / "new_kind.txt").write_text('{% load i18n %}{% translate "Words nobody translated yet." %}')
    (folder / "new_kind.html").write_text(
        '{% load i18n %}<p>{% translate "Words nobody translated yet." %}</p>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    subject, text, html = notify.render_email("new_kind", {}, folder="mail", language="es")
    assert subject == "A brand new subject"
    assert text == "Words nobody translated yet."


def test_staff_mail_stays_in_english_from_a_spanish_page(make_donor, coordinator, mailoutbox):
    """A new inquiry made on a Spanish page is told to the coordinators in English."""
    with translation.override("es"):
        notify.email_coordinators(
            name="coordinator_new_inquiry", context={"donor": make_donor(Stage.INQUIRY)}
        )
    [message] = [m for m in mailoutbox if m.to == [COORDINATORS] and "inquiry" in m.subject.lower()]
    assert "/es/" not in message.body and "/fr/" not in message.body
    assert message.subject.isascii()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("es", "su página privada para ver sus pasos"),
        ("fr", "votre page privée pour voir vos étapes"),
    ],
)
def test_a_link_to_text_is_worded_in_the_donors_language(lang, said, make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED, language=lang, email="")
    given = t.status_link_send(donor=donor, by=coordinator, given_by=t.GivenBy.TEXT)
    assert said in given.message and f"/{lang}/donate/s/" in given.message


@pytest.mark.parametrize(
    ("lang", "until"),
    [
        ("en", "until November 3, 2031"),
        ("es", "hasta el 3 de noviembre de 2031"),
        ("fr", "jusqu'au 3 novembre 2031"),
    ],
)
def test_a_questionnaire_link_to_text_gives_its_date_in_the_language(lang, until, make_donor, coordinator):
    donor = make_donor(Stage.PHONE_SCREEN_PASSED, language=lang, email="")
    expires = timezone.make_aware(datetime.datetime(2031, 11, 3, 12))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(t.links, "_lifetime", lambda purpose: expires - timezone.now())
        given = t.questionnaire_send(donor=donor, by=coordinator, given_by=t.GivenBy.TEXT)
    assert until in given.message


@pytest.mark.parametrize(
    ("lang", "ml", "expected"),
    [
        ("en", 1234, "1,234 mL (41.7 oz)"),
        ("es", 1234, "1\xa0234 mL (41,7 oz)"),
        ("fr", 1234, "1\xa0234 mL (41,7 oz)"),
        ("en", "1234.5", "1,234.5 mL (41.7 oz)"),
        ("fr", "1234.5", "1\xa0234,5 mL (41,7 oz)"),
        ("en", 0, "0 mL (0.0 oz)"),
        ("en", None, ""),
    ],
)
def test_volumes_are_written_by_the_languages_number_format(lang, ml, expected):
    with translation.override(lang):
        assert formatting.volume(ml) == expected


@pytest.mark.parametrize(
    ("lang", "total"),
    [("es", "En total donó 1\xa0234 mL (41,7 oz)"), ("fr", "vous avez donné 1\xa0234 mL (41,7 oz)")],
)
def test_the_thank_you_gives_the_total_in_the_languages_numbers(
    lang,
    total,
    make_donor,
    coordinator,
    mailoutbox,
    make_dropoff,  # noqa: F811
):
    donor = make_donor(Stage.APPROVED, language=lang)
    make_dropoff(donor=donor, depot=None, volume_ml=1234)
    t.donor_finish(donor=donor, by=coordinator)
    [message] = [
        m for m in _to_donor(mailoutbox, donor) if "Gracias, de" in m.subject or "Merci, de" in m.subject
    ]
    assert total in message.body
