import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from milkbank import roles


@pytest.mark.django_db
def test_the_four_role_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


@pytest.mark.django_db
def test_each_group_holds_exactly_the_permissions_the_code_declares():
    for role in roles.ALL_ROLES:
        group = Group.objects.get(name=role)
        held = {
            (p.content_type.app_label, p.codename) for p in group.permissions.select_related("content_type")
        }
        assert held == roles.permission_codenames(role)


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DJANGO_DEBUG=true"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_its_logins_work_only_with_debug(settings, django_user_model):
    settings.DEBUG = True
    call_command("seed_demo")
    first = django_user_model.objects.count()
    call_command("seed_demo")
    assert django_user_model.objects.count() == first
    coordinator = django_user_model.objects.get(username="coordinator")
    assert coordinator.groups.filter(name=roles.COORDINATOR).exists()

    from milkbank.management.commands.seed_demo import DEMO_PASSWORD

    assert authenticate(username="coordinator", password=DEMO_PASSWORD) == coordinator
    settings.DEBUG = False
    assert authenticate(username="coordinator", password=DEMO_PASSWORD) is None
