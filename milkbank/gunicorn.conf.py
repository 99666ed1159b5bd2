"""gunicorn settings for production: `gunicorn -c milkbank/gunicorn.conf.py --bind 127.0.0.1:8000`.

Threaded workers (gthread), not gunicorn's default sync workers. A sync worker serves one request at a time
and reports to gunicorn only between requests, so a request longer than `timeout` (30 s) gets the worker
killed mid-answer: the million-row CSV export was cut at 530,000-780,000 lines with a 200 status. A gthread
worker's main loop keeps reporting while its threads work, so `timeout` restarts only a worker that is truly
stuck, a long download streams to the end, and the worker's other threads keep serving everyone else.

3 workers x 8 threads serve 24 requests at once per server (20 coordinators with an export running, with
room to spare); each thread keeps its own database connection (CONN_MAX_AGE), so PostgreSQL's
max_connections must cover 24 per server plus the cron jobs. Any of these can be changed on the command
line (`--workers 5`), which wins over this file.
"""

wsgi_app = "milkbank.wsgi:application"
worker_class = "gthread"
workers = 3
threads = 8
timeout = 30
# On a restart, give a running download this long to finish (one that is cut lacks its "complete" line).
graceful_timeout = 120
keepalive = 5
# No control socket (gunicorn 25+): it has one fixed path per user, which a second server on the same
# machine would take over; nothing here uses it.
control_socket_disable = True

# One line per request on stdout: method, path (tokens hidden by the logger class), status, bytes and time,
# and nothing else: no query string, referrer or user agent (they can carry a token or a search for a name).
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

logger_class = "milkbank.logs.GunicornLogger"  # hides private-link tokens in every line
