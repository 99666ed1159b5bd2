from django.conf import settings


def client_ip(request) -> str:
    """The visitor's address. Behind N trusted proxies it is the N-th address from the right of
    X-Forwarded-For (entries further left are whatever the visitor chose to send)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    return forwarded[-count] if len(forwarded) >= count else remote
