"""The public depot directory: open, listed depots by region, city but never the street, fixed queries."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from donors.milk import services as ms
from donors.models import Depot
from tests.donors.milk_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

URL = reverse("donors:depots")


def test_it_lists_open_listed_depots_by_region_without_street_addresses(client, depot_a, depot_b):
    Depot.objects.create(name="Closed Depot", city="Duluth", region="Minnesota", active=False)
    Depot.objects.create(name="Hidden Depot", city="Duluth", region="Minnesota", listed_publicly=False)
    html = client.get(URL).content.decode()
    assert "Northside Clinic" in html and "Lakeside Hospital" in html
    assert "Mon-Fri 9-5" in html and "555-0101" in html and "Duluth" in html
    assert "Closed Depot" not in html and "Hidden Depot" not in html
    assert "12 Elm Street" not in html and "400 Shore Road" not in html


def test_it_filters_by_region_with_a_plain_get_form(client, depot_a, depot_b):
    html = client.get(URL, {"region": "Wisconsin"}).content.decode()
    assert "Lakeside Hospital" in html and "Northside Clinic" not in html
    bad = client.get(URL, {"region": "<script>alert(1)</script>"})
    assert bad.status_code == 200
    assert "Choose an area from the list" in bad.content.decode()
    assert "<script>alert(1)</script>" not in bad.content.decode()


def test_it_runs_two_queries_however_many_depots(client, depot_a, django_assert_num_queries):
    """Two queries, the regions for the filter and the depots, for 1 depot or 30."""
    with django_assert_num_queries(2):
        client.get(URL)
    for n in range(30):
        Depot.objects.create(name=f"Depot {n}", city=f"Town {n}", region=f"Region {n % 4}")
    with django_assert_num_queries(2):
        client.get(URL, {"region": "Region 1"})


def test_the_include_shows_street_addresses_only_when_asked(depot_a):
    depots = ms.depots_for_approved_donor()
    private = render_to_string("donors/milk/depot_list.html", {"depots": depots, "show_address": True})
    public = render_to_string("donors/milk/depot_list.html", {"depots": depots})
    assert "12 Elm Street" in private
    assert "12 Elm Street" not in public and "Northside Clinic" in public
