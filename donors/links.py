"""Private links for donors (questionnaire, status page): signed, unguessable, revocable, expiring.

The URL carries `<random>:<signature>`. The signature lets us turn away forged links without touching the
database; the random part carries 256 bits, and only its SHA-256 is stored, so a copy of the database does
not open anyone's questionnaire.
"""

import datetime
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from .models import AccessLink, Donor

_SIGNER = signing.Signer(salt="donors.links")


class LinkProblem(Exception):
    """Why a link cannot be used. `reason` is one of: forged, expired, revoked."""

    def __init__(self, reason: str, link: AccessLink | None = None):
        super().__init__(reason)
        self.reason = reason
        self.link = link


def _lifetime(purpose: str) -> datetime.timedelta:
    days = (
        settings.MILKBANK["QUESTIONNAIRE_LINK_DAYS"]
        if purpose == AccessLink.Purpose.QUESTIONNAIRE
        else settings.MILKBANK["STATUS_LINK_DAYS"]
    )
    return datetime.timedelta(days=days)


def link_issue(*, donor: Donor, purpose: str, by=None, keep_current: bool = False) -> tuple[AccessLink, str]:
    """Revoke the donor's open link of this kind and make a new one. Returns the link and its secret token.

    `keep_current`: for a link asked for by typing an email address, which anyone who knows it can do. The
    donor's current link then keeps working until the new one is first opened (see link_resolve), so a
    stranger can fill the donor's inbox a little (flood-limited) but never lock them out of their page. Only
    the newest such link stays open.
    """
    now = timezone.now()
    open_links = AccessLink.objects.filter(donor=donor, purpose=purpose, revoked_at__isnull=True)
    (open_links.filter(pending=True) if keep_current else open_links).update(revoked_at=now)
    secret = secrets.token_urlsafe(32)
    link = AccessLink.objects.create(
        donor=donor,
        purpose=purpose,
        digest=AccessLink.digest_for(secret),
        created_by=by,
        created_at=now,
        expires_at=now + _lifetime(purpose),
        pending=keep_current,
    )
    return link, _SIGNER.sign(secret)


def link_revoke_all(*, donor: Donor, purpose: str | None = None) -> int:
    links = AccessLink.objects.filter(donor=donor, revoked_at__isnull=True)
    if purpose:
        links = links.filter(purpose=purpose)
    return links.update(revoked_at=timezone.now())


def link_resolve(token: str, *, purpose: str) -> AccessLink:
    """Return the live link for a token, or raise LinkProblem saying why not."""
    try:
        secret = _SIGNER.unsign(token or "")
    except signing.BadSignature:
        raise LinkProblem("forged") from None
    digest = AccessLink.digest_for(secret)
    link = AccessLink.objects.select_related("donor").filter(digest=digest, purpose=purpose).first()
    # The lookup is by hash; the constant-time comparison makes the match itself leak no timing either.
    if link is None or not hmac.compare_digest(link.digest, digest):
        raise LinkProblem("forged")
    if link.is_revoked:
        raise LinkProblem("revoked", link)
    if link.is_expired:
        raise LinkProblem("expired", link)
    if link.pending:
        _claim(link)
    return link


@transaction.atomic
def _claim(link: AccessLink) -> None:
    """The donor opened a link they asked for: it becomes their one open link, and the others close."""
    open_links = AccessLink.objects.select_for_update().filter(
        donor_id=link.donor_id, purpose=link.purpose, revoked_at__isnull=True
    )
    if link.pk not in {other.pk for other in open_links}:
        raise LinkProblem("revoked", link)  # closed by a newer one while it was being opened
    open_links.exclude(pk=link.pk).update(revoked_at=timezone.now())
    AccessLink.objects.filter(pk=link.pk).update(pending=False)
    link.pending = False
