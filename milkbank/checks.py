"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core import checks

# Backends that keep mail on the machine: donors' names and private links would go to stdout or memory.
LOCAL_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def mail_leaves_the_machine(app_configs, **kwargs):
    if settings.EMAIL_BACKEND not in LOCAL_MAIL_BACKENDS or settings.MILKBANK["ALLOW_LOCAL_EMAIL"]:
        return []
    return [
        checks.Error(
            f"Mail is not sent: EMAIL_BACKEND is {settings.EMAIL_BACKEND}, so donors' names and private "
            "links would be printed to the log or kept in memory.",
            hint="Set EMAIL_URL to your mail server (smtp+tls://user:password@host:587), or set "
            "MILKBANK_ALLOW_LOCAL_EMAIL=true if this copy must run without mail.",
            id="milkbank.E001",
        )
    ]
