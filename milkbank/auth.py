from django.conf import settings
from django.contrib.auth.backends import ModelBackend

DEMO_EMAIL_DOMAIN = "demo.invalid"


class StaffBackend(ModelBackend):
    """Django's backend, except demo logins made by `seed_demo` work only while DEBUG is on."""

    def user_can_authenticate(self, user):
        if not settings.DEBUG and (user.email or "").endswith("@" + DEMO_EMAIL_DOMAIN):
            return False
        return super().user_can_authenticate(user)
