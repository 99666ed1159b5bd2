"""The bench command: tiny sizes, no gunicorn; it measures every page and writes its results files."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from milkbank import bench

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seed_here(monkeypatch):
    # The real bench seeds in a child process; a child cannot see this test's database or transaction.
    monkeypatch.setattr(bench, "seed_in_subprocess", bench.seed_in_process)


def _run(tmp_path, *extra, sizes="20:100,40:200"):
    call_command(
        "bench",
        "--sizes",
        sizes,
        "--requests",
        "2",
        "--no-load",
        "--output",
        str(tmp_path),
        *extra,
        stdout=None,
    )
    return json.loads((tmp_path / "latest.json").read_text()), (tmp_path / "latest.md").read_text()


def test_it_measures_every_page_and_writes_its_results(tmp_path):
    results, text = _run(tmp_path)
    pages = {p["name"]: p for p in results["pages"]}
    donor_list = pages["admin donor list (default)"]
    assert [m["status"] for m in donor_list["sizes"]] == [200, 200]
    assert all(m["queries"] > 0 for m in donor_list["sizes"])
    assert all(m["median_ms"] > 0 for m in donor_list["sizes"])
    assert pages["public: home"]["sizes"][0]["status"] == 200
    assert pages["drop-off form (GET)"]["persona"] == "volunteer"
    assert results["export"][-1]["rows"] == 200
    assert results["export"][-1]["peak_growth_mb"] is not None
    assert results["machine"]["nproc"] >= 1
    assert {t["target"].split(" ")[0] for t in results["targets"]} >= {"same", "public", "CSV"}
    assert "| admin donor list (default) | coordinator |" in text
    assert "## Targets" in text


def test_it_reports_a_missing_page_as_not_available(tmp_path, monkeypatch):
    missing = bench.Page("a page still being written", "anonymous", lambda ctx: reverse("donors:not_yet"))
    monkeypatch.setattr(bench, "PAGES", [*bench.PAGES[:1], missing])
    results, text = _run(tmp_path, "--no-export-memory")
    row = next(p for p in results["pages"] if p["name"] == "a page still being written")
    assert row["available"] is False
    assert "not available" in row["note"]
    assert "| a page still being written | anonymous | — / — |" in text


def test_it_fails_strictly_when_a_target_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "MAX_EXPORT_GROWTH_MB", 0)
    monkeypatch.setattr(bench, "PAGES", bench.PAGES[:1])
    with pytest.raises(CommandError, match="target"):
        _run(tmp_path, "--strict", sizes="20:100")
    assert "FAIL | " in (tmp_path / "latest.md").read_text()


def test_it_refuses_a_bad_size():
    with pytest.raises(CommandError, match="DONORS:DROPOFFS"):
        call_command("bench", "--sizes", "many", stdout=None)


def test_seed_scale_writes_its_report_for_the_bench(tmp_path):
    report = tmp_path / "seed.json"
    call_command("seed_scale", donors=10, dropoffs=30, depots=2, report=str(report), stdout=None)
    made = json.loads(report.read_text())
    assert (made["donors"], made["dropoffs"], made["depots"]) == (10, 30, 2)
    assert made["seconds"] and all(value >= 0 for value in made["seconds"].values())
