"""Email to donors and coordinators: plain text and HTML, with a gentler variant for bereaved donors.

Templates live in templates/donors/email/<name>.txt and <name>.html; a `<name>_bereaved.txt/.html` pair, when
present, is used for bereaved donors so no message assumes a living baby.

Each message is written in its reader's language: a donor's stored language, a family's (the page they asked
on), and English for staff, whatever page the step was taken on (a Spanish inquiry still tells the
coordinators in English, with links to English staff pages).
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string, select_template
from django.utils import translation

from .models import Donor, TimelineEvent

logger = logging.getLogger(__name__)


def _template_base(name: str, *, bereaved: bool, folder: str) -> str:
    if bereaved:
        try:
            get_template(f"{folder}/{name}_bereaved.txt")
            return f"{folder}/{name}_bereaved"
        except TemplateDoesNotExist:
            pass
    return f"{folder}/{name}"


def language_for(code: str | None) -> str:
    """The language to write in: `code` when the site offers it, else the site's default (English). A code
    the site has stopped offering falls back rather than failing."""
    offered = {language for language, _ in settings.LANGUAGES}
    return code if code in offered else settings.LANGUAGE_CODE


def donor_language(donor: Donor) -> str:
    return language_for(donor.language)


def render_email(
    name: str,
    context: dict,
    *,
    bereaved: bool = False,
    folder: str = "donors/email",
    language: str | None = None,
) -> tuple[str, str, str]:
    """Return (subject, text, html) for an email template in `folder` (another app passes its own), written
    in `language` (default: the site's default, English), whatever language the current page is in."""
    base = _template_base(name, bereaved=bereaved, folder=folder)
    ctx = {"bank": settings.MILKBANK, "site_url": settings.SITE_URL, **context}
    with translation.override(language_for(language)):
        # One subject per message; a bereaved variant may have its own, or share the plain one.
        subject = _as_typed([f"{base}_subject.txt", f"{folder}/{name}_subject.txt"], ctx)
        text = _as_typed([f"{base}.txt"], ctx)
        html = render_to_string(f"{base}.html", ctx)
    return " ".join(subject.split()), text, html


def _as_typed(names: list[str], ctx: dict) -> str:
    """Render a plain-text part or subject without HTML escaping, so names read as typed ("Hello D'Asia", not
    "Hello D&#x27;Asia"). Done here rather than by `{% autoescape off %}` in each file, so no template can
    forget it; the HTML part still escapes everything."""
    return select_template(names).template.render(Context(ctx, autoescape=False))


def email_donor(*, donor: Donor, name: str, context: dict, by=None, summary: str, on_sent=None) -> None:
    """Email a donor once the step that asked for it is saved, and note it on their timeline (the summary,
    never the content). `on_sent()` runs after a successful send.

    The message is written now, from the data as the step leaves it, and sent after the transaction commits:
    a step that rolls back sends nothing, and no row lock is held while the mail server answers.
    """
    if not donor.email:
        TimelineEvent.objects.create(
            donor=donor,
            by=by,
            kind=TimelineEvent.Kind.MESSAGE,
            summary=f"Not emailed (no address): {summary}",
        )
        return
    subject, text, html = render_email(
        name, {"donor": donor, **context}, bereaved=donor.bereaved, language=donor_language(donor)
    )
    message = EmailMultiAlternatives(subject, text, to=[donor.email])
    message.attach_alternative(html, "text/html")
    donor_id = donor.pk

    def deliver():
        sent = _send(message, template=name, donor_id=donor_id)
        TimelineEvent.objects.create(
            donor_id=donor_id,
            by=by,
            kind=TimelineEvent.Kind.MESSAGE,
            summary=f"Emailed: {summary}" if sent else f"Email could not be sent: {summary}",
        )
        if sent and on_sent is not None:
            on_sent()

    after_commit(deliver)


def after_commit(work) -> None:
    """Run `work` once the current transaction commits (at once outside one). If it fails, the error is
    logged and the saved step stands: the person who took it never sees an error page for a message."""
    transaction.on_commit(work, robust=True)


def _send(message: EmailMultiAlternatives, *, template: str, donor_id=None) -> bool:
    """Send, or log (by id only) that the mail server refused. A step the bank took stays taken, and the
    timeline says the message did not go, so a coordinator can call instead."""
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        # The error's type only: SMTP errors can carry the recipient's address.
        logger.warning(
            "email not sent: template=%s donor_id=%s error=%s", template, donor_id, type(error).__name__
        )
        return False
    logger.info("email sent: template=%s donor_id=%s", template, donor_id)
    return True


def email_coordinators(*, name: str, context: dict) -> None:
    address = settings.MILKBANK["COORDINATOR_EMAIL"]
    if not address:
        return
    email_people(to=[address], name=name, context=context)


def email_people(
    *, to: list[str], name: str, context: dict, folder: str = "donors/email", language: str | None = None
) -> None:
    """Email people without a donor record (staff, a family) once the step commits; written now, in
    `language` (a family's; staff get the default, English)."""
    if not to:
        return
    subject, text, html = render_email(name, context, folder=folder, language=language)
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    after_commit(lambda: _send(message, template=name))
