"""The bench command: tiny sizes, no gunicorn; it measures every page and writes its results files."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from milkbank.bench import runner as bench

pytestmark = pytest.mark.django_db


def _run(tmp_path, *extra, sizes="20:100,40:200"):
    call_command(
        "bench",
        "--sizes",
        sizes,
        "--requests",
        "2",
        "--no-load",
        "--in-process",  # child processes cannot see this test's database
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


def test_each_size_gets_a_sibling_scratch_database():
    assert bench.size_database_urls("postgres://u:p@db:5432/milkbank_bench", 2) == [
        "postgres://u:p@db:5432/milkbank_bench",
        "postgres://u:p@db:5432/milkbank_bench_size2",
    ]
    assert bench.size_database_urls("sqlite:////tmp/bench/x.sqlite3", 3) == [
        "sqlite:////tmp/bench/x.sqlite3",
        "sqlite:////tmp/bench/x_size2.sqlite3",
        "sqlite:////tmp/bench/x_size3.sqlite3",
    ]


def test_the_real_run_seeds_two_databases_and_times_them_request_by_request(tmp_path):
    """`make bench` end to end on SQLite files: migrate and seed each size's database, one child process
    per size asked in turn request by request, the export in a child, then the whole export through
    gunicorn as deployed. Slow-ish (two migrations), so tiny sizes and two requests."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "milkbank.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "CACHE_URL": "locmemcache://",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        [
            sys.executable,
            "manage.py",
            "bench",
            "--sizes=15:60,30:120",
            "--requests=2",
            "--no-load",
            f"--output={tmp_path / 'out'}",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "bench_size2.sqlite3").exists()
    assert "Timing request 1 of 2 of every page, the sizes in turn" in done.stdout
    results = json.loads((tmp_path / "out" / "latest.json").read_text())
    assert results["interleaved"] is True and results["in_process"] is False
    sorted_pages = [p for p in results["pages"] if "sorted by" in p["name"]]
    assert len(sorted_pages) >= 8 and all(
        len(p["sizes"][0]) and p["sizes"][0]["status"] == 200 for p in sorted_pages
    )
    served = results["served_export"]
    assert served["status"] == 200 and served["rows"] == served["expected_rows"] == 120 and served["complete"]
    assert served["command"].startswith("gunicorn ")
    pages = {p["name"]: p for p in results["pages"]}
    assert [m["status"] for m in pages["admin donor list (default)"]["sizes"]] == [200, 200]
    assert [e["rows"] for e in results["export"]] == [60, 120]
