"""The scale benchmark and its seed data (`manage.py bench`, `manage.py seed_scale`): tooling, not the app.

- runner: seeds each size, times every page, the export and gunicorn throughput, writes bench-results/.
- scale: the realistic large data set (`seed_scale`).
- settings, urls: what the benchmark's gunicorn serves (the real site plus a bare baseline view).
"""
