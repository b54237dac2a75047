"""The production profile: WhiteNoise's hashed, compressed static files, and Gunicorn serving them.

`bin/serve` (collectstatic, then `gunicorn -c config/gunicorn.py config.wsgi`) is started here
for real, with the production environment of README "Production", behind a pretend TLS proxy.
The security headers of each kind of response, with the same settings, are in
test_security_headers.py.
"""

import gzip
import http.client
import http.cookies
import json
import os
import re
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

import brotli
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from gunicorn.config import Config

from agreements.load.run import free_port, production_env, stop
from tests.config.test_security_headers import production_settings

ROOT = Path(settings.BASE_DIR)
HASHED = re.compile(r"^[0-9a-f]{12}$")
FOREVER = "max-age=315360000, public, immutable"


def hashed_name(manifest: dict, name: str) -> str:
    """The name collectstatic gave `name`: its stem, a dot, 12 hex digits of its content hash."""
    hashed = manifest["paths"][name]
    stem, ext = os.path.splitext(name)
    assert hashed.startswith(f"{stem}.") and hashed.endswith(ext), hashed
    assert HASHED.match(hashed.removeprefix(f"{stem}.").removesuffix(ext)), hashed
    return hashed


# collectstatic with the production storage -----------------------------------------------------


# Static files and bin/serve's SQLite server do not depend on the test run's database: once, on SQLite.
SQLITE_RUN_ONLY = pytest.mark.skipif(connection.vendor != "sqlite", reason="the same on any engine; runs on SQLite")


@SQLITE_RUN_ONLY
@pytest.mark.django_db
def test_collectstatic_writes_hashed_compressed_files_and_pages_link_to_them(tmp_path, client):
    static_root = tmp_path / "static"
    storages = production_settings(tmp_path)["STORAGES"]
    assert storages["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    with override_settings(STORAGES=storages, STATIC_ROOT=static_root):
        call_command("collectstatic", interactive=False, verbosity=0)
        page = client.get("/accounts/login/").content.decode()

    manifest = json.loads((static_root / "staticfiles.json").read_text())
    names = ["css/vachan.css", "vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js"]
    for name in names:
        hashed = static_root / hashed_name(manifest, name)
        assert gzip.decompress(hashed.with_name(f"{hashed.name}.gz").read_bytes()) == hashed.read_bytes()
        assert brotli.decompress(hashed.with_name(f"{hashed.name}.br").read_bytes()) == hashed.read_bytes()
        assert f'"/static/{manifest["paths"][name]}"' in page
    # What the files name is rewritten to hashed names too: our stylesheet's fonts, Bootstrap's source map.
    font = "vendor/fonts/noto-sans-devanagari-devanagari-400-normal.woff2"
    css = (static_root / manifest["paths"]["css/vachan.css"]).read_text()
    assert f'url("../{manifest["paths"][font]}")' in css
    bootstrap = (static_root / manifest["paths"]["vendor/bootstrap/bootstrap.min.css"]).read_text()
    source_map = manifest["paths"]["vendor/bootstrap/bootstrap.min.css.map"].removeprefix("vendor/bootstrap/")
    assert bootstrap.endswith(f"/*# sourceMappingURL={source_map} */")
    # Fonts are not compressed again (woff2 is compressed already).
    assert not (static_root / f"{manifest['paths'][font]}.gz").exists()


def test_local_use_and_the_tests_keep_plain_static_names_read_from_static():
    """Hashed names need a collectstatic run first, and 404 under live_server (FIELD-NOTES)."""
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert settings.WHITENOISE_USE_FINDERS is True and settings.WHITENOISE_AUTOREFRESH is True


# Gunicorn's settings --------------------------------------------------------------------------

GUNICORN_ENV = ("HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_LOG_LEVEL", "FORWARDED_ALLOW_IPS")


def gunicorn_config(monkeypatch, **env) -> Config:
    """config/gunicorn.py read by Gunicorn's own Config, with only `env` set."""
    for name in GUNICORN_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    namespace = {}
    exec(compile((ROOT / "config" / "gunicorn.py").read_text(), "config/gunicorn.py", "exec"), namespace)
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_gunicorn_listens_on_loopback_with_two_workers_and_trusts_no_proxy_by_default(monkeypatch):
    config = gunicorn_config(monkeypatch)

    assert config.bind == ["127.0.0.1:8000"]
    assert config.workers == 2
    assert config.timeout == 30
    assert config.accesslog == "-"
    assert config.forwarded_allow_ips == []  # not Gunicorn's own default, 127.0.0.1 and ::1
    assert config.control_socket_disable is True


def test_gunicorn_reads_its_address_workers_and_trusted_proxy_from_the_environment(monkeypatch):
    config = gunicorn_config(monkeypatch, HOST="::1", PORT="9000", WEB_CONCURRENCY="5", GUNICORN_TIMEOUT="60",
                             FORWARDED_ALLOW_IPS="10.0.0.5, 192.168.0.0/16")

    assert config.bind == ["[::1]:9000"]
    assert config.workers == 5
    assert config.timeout == 60
    assert config.forwarded_allow_ips == ["10.0.0.5", "192.168.0.0/16"]


def test_every_variable_the_configuration_reads_is_in_env_example():
    read = set()
    for source in ("settings.py", "gunicorn.py"):
        read |= set(re.findall(r'env_(?:str|int|bool|list)\(\s*"([A-Z0-9_]+)"', (ROOT / "config" / source).read_text()))
    listed = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))

    assert {"DJANGO_SECRET_KEY", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"} <= read
    assert read - listed == set()


# bin/serve, for real ---------------------------------------------------------------------------


class Site:
    """Plain HTTP to the server, as the TLS proxy in front of it would send it."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, *, https=True, body=None, headers=None) -> tuple[http.client.HTTPResponse, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = dict(headers or {})
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        return response, content

    def set_cookies(self, response) -> dict[str, http.cookies.Morsel]:
        jar = http.cookies.SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return dict(jar)


def nonce_of(response, html: str) -> str:
    policy = response.headers["Content-Security-Policy"]
    (nonce,) = re.findall(r"'nonce-([^']+)'", policy)
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    tags = re.findall(r"<script\b[^>]*>", html)
    assert tags and all(f'nonce="{nonce}"' in tag for tag in tags)
    return nonce


def wait_until_listening(process, port: int, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"bin/serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"bin/serve did not listen on port {port} in time:\n{log.read_text()}")


@SQLITE_RUN_ONLY
@pytest.mark.subprocesses
def test_bin_serve_runs_gunicorn_with_security_headers_and_whitenoise_static_files(tmp_path):
    port = free_port()
    env = production_env(tmp_path, port)
    python = str(ROOT / ".venv" / "bin" / "python")
    made = subprocess.run(
        [python, "manage.py", "shell", "-c",
         "from django.core.management import call_command; call_command('migrate', verbosity=0); "
         "from django.contrib.auth import get_user_model; "
         "get_user_model().objects.create_user('alice@example.com', 'alice@example.com', 'correct horse battery')"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert made.returncode == 0, made.stderr
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen([str(ROOT / "bin" / "serve")], cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_listening(process, port, log, deadline=time.monotonic() + 120)
        site = Site(port)

        # Plain HTTP is sent to HTTPS.
        response, _ = site.request("GET", "/accounts/login/", https=False)
        assert response.status == 301
        assert response.headers["Location"] == f"https://127.0.0.1:{port}/accounts/login/"

        # The login page, over the proxy's HTTPS.
        response, body = site.request("GET", "/accounts/login/")
        html = body.decode()
        assert response.status == 200
        assert response.headers["Server"] == "gunicorn"
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        login_nonce = nonce_of(response, html)
        csrf = site.set_cookies(response)["csrftoken"]
        assert csrf["secure"] and csrf["samesite"] == "Lax"

        # Logging in (the database is there): a Secure, HttpOnly, SameSite=Lax session cookie.
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        form = urlencode({"csrfmiddlewaretoken": token, "username": "alice@example.com",
                          "password": "correct horse battery"})
        response, _ = site.request("POST", "/accounts/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://127.0.0.1:{port}"})
        assert response.status == 302, response.headers
        assert response.headers["Location"] == "/"
        session = site.set_cookies(response)["sessionid"]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"

        # The dashboard: a new nonce, and hashed static names.
        response, body = site.request("GET", "/")
        html = body.decode()
        assert response.status == 200
        assert "Dashboard" in html
        assert nonce_of(response, html) != login_nonce
        css = re.search(r'href="(/static/css/vachan\.[0-9a-f]{12}\.css)"', html).group(1)
        script = re.search(r'src="(/static/vendor/bootstrap/bootstrap\.bundle\.min\.[0-9a-f]{12}\.js)"', html).group(1)
        on_disk = (tmp_path / "static" / css.removeprefix("/static/")).read_bytes()

        # WhiteNoise serves them compressed, cached for ever (the name changes with the content).
        response, body = site.request("GET", css, headers={"Accept-Encoding": "gzip"})
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Cache-Control"] == FOREVER
        assert response.headers["Content-Type"].startswith("text/css")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert gzip.decompress(body) == on_disk
        response, body = site.request("GET", script, headers={"Accept-Encoding": "br, gzip"})
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "br"
        assert response.headers["Cache-Control"] == FOREVER
        # The unhashed name still works, but is cached only briefly.
        response, _ = site.request("GET", "/static/css/vachan.css")
        assert response.status == 200
        assert "immutable" not in response.headers["Cache-Control"]

        # Gunicorn's access log goes to stdout.
        assert '"GET / HTTP/1.1" 200' in log.read_text()
    finally:
        stop(process)
    assert process.returncode == 0, log.read_text()
