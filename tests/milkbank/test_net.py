from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from milkbank.net import client_ip


def test_it_trusts_only_as_many_forwarded_addresses_as_we_have_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # the visitor cannot spoof it by sending their own header
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.1"


def test_lockouts_key_on_the_same_visitor_address_as_flood_limits(settings):
    """Behind our proxy, sign-in lockouts (django-axes) count per visitor, not per proxy address."""
    settings.TRUSTED_PROXY_COUNT = 1
    one = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    other = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.8")
    assert get_client_ip_address(one) == "203.0.113.7"
    assert get_client_ip_address(other) == "203.0.113.8"
