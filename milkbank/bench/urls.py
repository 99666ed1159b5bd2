"""The real URLs plus a bare Django view: the throughput baseline of the benchmark (bench.settings)."""

from django.http import HttpResponse
from django.urls import path

from milkbank import urls as real


def bare(request):
    """The least a Django request can cost here: the full middleware stack, no template, no query."""
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *real.urlpatterns]
handler404 = real.handler404
handler500 = real.handler500
