"""Private links never reach a log: every record our handlers write, and each line of gunicorn's logs, has
donors' link tokens replaced before it is written (paths, query strings, referers, tracebacks)."""

import logging
import re

from gunicorn.glogging import Logger as GunicornBaseLogger

HIDDEN = "[private-link]"
_TOKENS = re.compile(
    # The path part after a private-link prefix (/donate/q/<token>/, /donate/s/<token>/), whatever it holds,
    r"(?<=/donate/[qs]/)[^/\s?#\"'<>]+"
    # and anything shaped like a signed token (<random>:<signature>, the colon maybe percent-encoded).
    r"|[A-Za-z0-9_-]{32,}(?::|%3[aA])[A-Za-z0-9_-]{20,}"
)


def redact(text: str) -> str:
    return _TOKENS.sub(HIDDEN, text)


class RedactPrivateLinks(logging.Filter):
    """Rewrite a record's message and traceback with private-link tokens hidden. Attached to our log
    handlers (settings.LOGGING) and to gunicorn's loggers (GunicornLogger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: keep its parts, hidden
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's logger (access and error logs) with private links hidden; named in gunicorn.conf.py."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactPrivateLinks) for f in log.filters):
                log.addFilter(RedactPrivateLinks())
