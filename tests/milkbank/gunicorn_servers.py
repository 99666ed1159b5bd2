"""Real gunicorn servers for tests: the README's deployment command on a free port, on the test database.

A server is another process, so it sees only committed rows: tests that use one are transactional
(`django_db(transaction=True)`). On PostgreSQL the servers open the test database itself; SQLite's test
database lives in the test process's memory, so it is copied to a file (`backup_db`) once the test has made
its rows. Every server is stopped when its `with` block ends, and each step has a time limit.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

ROOT = Path(settings.BASE_DIR)
CONFIG = "milkbank/gunicorn.conf.py"
HOST = "localhost"  # the name the proxy passes on; both servers answer to it, as behind a load balancer


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(tmp_path: Path) -> str:
    """The test database as another process opens it (call it after the test has made its rows), with the
    cache table the servers use (the test settings cache in memory, so migrate made none)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "live.sqlite3"
        call_command("backup_db", output=str(copy))
        url = f"sqlite:///{copy}"
    else:
        password = f":{urllib.parse.quote(params['PASSWORD'])}" if params.get("PASSWORD") else ""
        host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
        url = f"postgres://{params['USER']}{password}@{host}:{port}/{params['NAME']}"
    _manage("createcachetable", env=server_env(url))
    return url


def _manage(*args, env: dict) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True, timeout=120
    )


def server_env(database_url: str, **extra) -> dict:
    """Production settings (DEBUG off), signed with the test's key so sessions made in the test are valid."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "milkbank.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "REQUIRE_STAFF_2FA": "false",
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def collect_static() -> None:
    """`manage.py collectstatic`, as the README's deployment does: pages need its manifest."""
    _manage("collectstatic", "--noinput", "-v0", env=server_env("sqlite:///unused.sqlite3"))


class Gunicorn:
    """`gunicorn -c milkbank/gunicorn.conf.py --bind 127.0.0.1:<free port>` under production settings."""

    def __init__(self, *, database_url: str, log: Path, args=(), env=None):
        self.port = free_port()
        self.log_path = log
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            CONFIG,
            "--bind",
            f"127.0.0.1:{self.port}",
            *args,
        ]
        self.env = server_env(database_url, **(env or {}))
        self.process = None

    def __enter__(self):
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            self.command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log()[-2000:]}")
            try:
                if Visitor().get(self, "/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer within 40 s:\n{self.log()[-2000:]}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class Visitor:
    """One person's browser, as far as these tests need it: cookies, and the headers our proxy adds."""

    ip: str = "203.0.113.10"
    cookies: dict = field(default_factory=dict)

    def _headers(self, extra=None) -> dict:
        headers = {
            "Host": HOST,
            "X-Forwarded-For": self.ip,
            "X-Forwarded-Proto": "https",  # the proxy terminates TLS
            **(extra or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep_cookies(self, message: http.client.HTTPMessage) -> None:
        for header in message.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def open(
        self, server: Gunicorn, method: str, path: str, *, body=None, headers=None, timeout=30, slow=False
    ):
        """Send a request and return the unread http.client response (the caller reads it and closes).

        `slow`: a small receive window, as on a slow connection, so the server waits on the reader."""
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
        if slow:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
            sock.settimeout(timeout)
            sock.connect(("127.0.0.1", server.port))
            conn.sock = sock
        conn.request(method, path, body=body, headers=self._headers(headers))
        response = conn.getresponse()
        self._keep_cookies(response.msg)
        return response

    def get(self, server: Gunicorn, path: str, *, timeout=30) -> Response:
        response = self.open(server, "GET", path, timeout=timeout)
        try:
            return Response(response.status, response.msg, response.read())
        finally:
            response.close()

    def post(self, server: Gunicorn, path: str, data: dict, *, timeout=30) -> Response:
        """A form post, with the CSRF token a page would carry (from the cookie: GET a form first)."""
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
        }
        body = urllib.parse.urlencode(data, doseq=True)
        response = self.open(server, "POST", path, body=body, headers=headers, timeout=timeout)
        try:
            return Response(response.status, response.msg, response.read())
        finally:
            response.close()


def signed_in(user, ip: str = "203.0.113.10") -> Visitor:
    """A visitor carrying a new session of `user`'s, made in the test database."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Visitor(ip=ip, cookies={settings.SESSION_COOKIE_NAME: session})
