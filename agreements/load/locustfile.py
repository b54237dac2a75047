"""The load test's visitors, for locust (run by `manage.py benchmark_load`, never imported by the site).

A freelancer opens the dashboard, a project page and a summary PDF; a client contact opens the
portal's project page; both poll the health check, the baseline. Each logs in once, over plain
HTTP on loopback, as the TLS proxy in front of Gunicorn would forward it (X-Forwarded-Proto).
What they open is read from the JSON file `seed_load --target` wrote (VACHAN_LOAD_TARGET).
"""

import json
import os
import re

from locust import HttpUser, between, task

TARGET = json.loads(open(os.environ["VACHAN_LOAD_TARGET"], encoding="utf-8").read())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.15)
    login_path = ""
    login_fields: dict = {}

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"
        page = self.client.get(self.login_path, name="login (not measured)")
        token = CSRF.search(page.text).group(1)
        self._insecure_cookies()
        origin = f"https://{self.host.split('://', 1)[1]}"
        response = self.client.post(
            self.login_path, data=self.login_fields | {"csrfmiddlewaretoken": token},
            headers={"Origin": origin, "Referer": origin + self.login_path},
            allow_redirects=False, name="login (not measured)",
        )
        if response.status_code != 302:
            raise RuntimeError(f"login to {self.login_path} failed: {response.status_code}")
        self._insecure_cookies()

    def _insecure_cookies(self):
        # The cookies are Secure (production); this client speaks plain HTTP to loopback like the proxy.
        for cookie in self.client.cookies:
            cookie.secure = False

    def page(self, path: str, name: str, content_type: str = "text/html"):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not response.headers.get("Content-Type", "").startswith(content_type):
                response.failure(f"content type {response.headers.get('Content-Type')}")

    @task
    def health(self):
        self.page("/healthz", "health check", "text/plain")


class Freelancer(Visitor):
    login_path = "/accounts/login/"
    login_fields = {"username": TARGET["freelancer_email"], "password": TARGET["password"]}

    @task
    def dashboard(self):
        self.page("/", "dashboard")

    @task
    def project(self):
        self.page(f"/projects/{TARGET['project_id']}/", "project page")

    @task
    def summary_pdf(self):
        self.page(f"/summaries/{TARGET['snapshot_id']}/pdf/", "summary PDF", "application/pdf")


class ClientContact(Visitor):
    login_path = "/portal/login/"
    login_fields = {"email": TARGET["portal_email"], "password": TARGET["password"]}

    @task
    def portal_project(self):
        self.page(f"/portal/projects/{TARGET['project_id']}/", "portal project page")
