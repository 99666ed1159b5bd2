# gunicorn reads this file when started from the project folder (or with `-c gunicorn.conf.py`).
# Access log to stdout, in the usual combined format, with donors' private-link tokens hidden.
logger_class = "milkbank.logs.GunicornLogger"
accesslog = "-"
