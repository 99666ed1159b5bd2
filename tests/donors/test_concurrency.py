"""Two staff acting on the same donor at the same moment, each on their own database connection."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections

from donors import transitions as t
from donors.models import Counter, Donor
from milkbank import roles

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks across connections are tested on PostgreSQL (set DATABASE_URL).")


def test_two_simultaneous_second_signoffs_give_one_approval_and_one_number(make_donor, django_user_model):
    donor = make_donor(Donor.Stage.READY_FOR_SIGNOFF)
    first = django_user_model.objects.get(username="casey")
    t.donor_sign_off(donor=donor, by=first)
    group = Group.objects.get(name=roles.COORDINATOR)
    racers = []
    for name in ("ana", "ben"):
        user = django_user_model.objects.create_user(name, password="x" * 20, is_staff=True)
        user.groups.add(group)
        racers.append(user)

    barrier = threading.Barrier(2)
    outcomes = []

    def sign(user):
        try:
            barrier.wait(timeout=10)
            approved = t.donor_sign_off(donor=Donor.objects.get(pk=donor.pk), by=user)
            outcomes.append(("approved" if approved else "signed", user.username))
        except t.TransitionRefused as refused:
            outcomes.append(("refused", refused.messages[0]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(u,)) for u in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["approved", "refused"], outcomes
    refusal = next(detail for kind, detail in outcomes if kind == "refused")
    assert "Approved" in refusal
    donor.refresh_from_db()
    assert donor.stage == Donor.Stage.APPROVED
    assert donor.signoffs.count() == 2
    assert Counter.objects.get(name="donor_number").value == donor.donor_number == 1


def test_two_editors_saving_at_once_from_the_same_copy_one_is_refused(make_donor, django_user_model):
    from django.test import Client
    from django.urls import reverse

    from tests.donors.test_admin_donors import edit_post

    donor = make_donor()
    url = reverse("admin:donors_donor_change", args=[donor.pk])
    users = [django_user_model.objects.get(username=name) for name in ("casey", "robin")]
    barrier = threading.Barrier(2)
    statuses = []

    def save(user, phone):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=10)
            response = client.post(url, edit_post(donor, phone=phone))
            statuses.append(
                (response.status_code, "changed since you opened it" in response.content.decode())
            )
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(u, p))
        for u, p in zip(users, ("555-0001", "555-0002"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [(200, True), (302, False)], statuses
    donor.refresh_from_db()
    assert donor.version == 1
