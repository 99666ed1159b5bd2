"""Load demo data for trying the app: staff logins per role and each app's sample records.

Idempotent: running it again adds nothing new. Demo logins are made only while DEBUG is on, and the
login backend refuses them when DEBUG is off (see milkbank.auth).
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from milkbank import roles
from milkbank.auth import DEMO_EMAIL_DOMAIN

DEMO_PASSWORD = "demo-milkbank-2026"  # noqa: S105 - documented demo login, refused when DEBUG is off
DEMO_USERS = [
    ("coordinator", "Casey", roles.COORDINATOR),
    ("coordinator2", "Robin", roles.COORDINATOR),
    ("volunteer", "Val", roles.DEPOT_VOLUNTEER),
    ("memorial", "Mara", roles.MEMORIAL_STAFF),
    ("editor", "Eden", roles.CONTENT_EDITOR),
]


class Command(BaseCommand):
    help = "Load demo staff logins and sample records (only with DJANGO_DEBUG on). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already has staff users."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo makes known passwords, so it runs only with DJANGO_DEBUG=true.")
        if options["if_empty"] and get_user_model().objects.exists():
            self.stdout.write("The database already has users, so no demo data was added.")
            self._print_logins()
            return
        with transaction.atomic():
            users = self._users()
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError:
                    continue
                module.seed(users=users, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(
            f"Demo staff logins at http://127.0.0.1:8000/admin/ (password for all: {DEMO_PASSWORD}):"
        )
        for username, _first, role in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {role}")

    def _users(self):
        User = get_user_model()
        users = {}
        for username, first_name, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                    "is_staff": True,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
            users[username] = user
        return users
