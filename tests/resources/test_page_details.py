"""What a careful reader notices: breadcrumbs, "Last updated" on the lists, time zone in words, phone
extensions and valid <time> values."""

import re

import pytest
from django.urls import reverse

from resources.models import MilkBank

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "current", "heading"),
    [
        ("/butterflies/", "Forever Butterflies", "<h1>Forever Butterflies</h1>"),
        ("/donate/", "Become a donor", "Become a donor"),
        ("/donate/depots/", "Find a depot", "<h1>Find a depot</h1>"),
    ],
)
def test_the_donating_pages_have_breadcrumbs_back_to_their_section(client, url, current, heading):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and heading in html
    trail = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert '<a href="/">Home</a>' in trail
    assert '<a href="/donating-after-loss/">Donating after loss</a>' in trail
    assert f'aria-current="page">{current}</li>' in trail


@pytest.mark.parametrize("url", ["/grief-resources/", "/other-milk-banks/"])
def test_the_lists_say_when_they_were_last_updated(client, url):
    bank = MilkBank.objects.get(name="NorthernStar Mothers Milk Bank")
    bank.description = "Edited today."
    bank.save()
    html = client.get(url).content.decode()
    match = re.search(r'Last updated <time datetime="([^"]+)">([^<]+)</time>', html)
    assert match, "no Last updated line"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", match[1])
    if url == "/other-milk-banks/":  # the newest edit counts
        from django.utils import timezone

        assert match[1] == timezone.localdate(bank.updated_at).isoformat()


def test_the_footer_names_the_time_zone_in_words(client):
    html = client.get("/").content.decode()
    footer = html.split('<footer class="site-footer')[1]
    assert "(Central time)" in footer
    assert "America/Chicago" not in html


def test_a_phone_link_keeps_its_extension(client):
    html = client.get(reverse("resources:milk_banks")).content.decode()
    assert '<a href="tel:6048752424;ext=3743">604-875-2424, ext. 3743</a>' in html


def test_time_values_carry_no_microseconds(client, make_page):
    make_page("fresh-page")  # updated_at now, with microseconds
    for url in ["/fresh-page/", "/grief-resources/", "/other-milk-banks/"]:
        html = client.get(url).content.decode()
        values = re.findall(r'<time datetime="([^"]+)"', html)
        assert values, url
        for value in values:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), (url, value)


def test_the_tel_filter_handles_what_editors_type():
    from resources.templatetags.resources_extras import tel_href

    assert tel_href("604-875-2424, ext. 3743") == "tel:6048752424;ext=3743"
    assert tel_href("555-0100 x12") == "tel:5550100;ext=12"
    assert tel_href("988 (call or text)") == "tel:988"
    assert tel_href("+1 833 852 6262") == "tel:+18338526262"
    assert tel_href("call us") == ""
