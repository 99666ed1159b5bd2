"""Printed pages: links written out with the site's address, the bank's name and phone on every page."""

import io
import re

import pytest
from django.urls import reverse

from tests.resources.test_browser import _starter_content  # noqa: F401 - autouse fixture (browser tests)


@pytest.mark.django_db
def test_the_print_rules_carry_the_banks_details_and_site_address_safely_quoted(client, settings):
    settings.SITE_URL = "https://milk.example.org"
    settings.MILKBANK = {**settings.MILKBANK, "NAME": 'The "Quote" Bank\\', "COORDINATOR_PHONE": "555-0100"}
    response = client.get(reverse("resources:print_css"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert 'content: " (" "https://milk.example.org" attr(href) ")"' in css
    assert 'content: "The \\"Quote\\" Bank\\\\ · 555-0100 · https://milk.example.org"' in css
    html = client.get("/").content.decode()
    assert f'<link rel="stylesheet" href="{reverse("resources:print_css")}" media="print">' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_printed_page_shows_the_bank_and_full_link_addresses(page, settings):
    from pypdf import PdfReader

    page.goto("/for-professionals/")
    pdf = PdfReader(io.BytesIO(page.pdf(format="Letter")))
    texts = [re.sub(r"\s+", "", sheet.extract_text()) for sheet in pdf.pages]
    assert len(texts) >= 2, "the guide should need more than one sheet, or this test proves little"
    bank = re.sub(r"\s+", "", settings.MILKBANK["NAME"])
    for number, text in enumerate(texts, start=1):
        assert bank in text, f"page {number} lacks the bank's name"
        assert settings.MILKBANK["COORDINATOR_PHONE"] in text, f"page {number} lacks the phone"
    everything = "".join(texts)
    assert f"({settings.SITE_URL}/pumping-plan/)" in everything
    assert "(/pumping-plan/)" not in everything
