"""Accessibility checks with axe-core (npm, pinned in package-lock.json) in a Playwright page.

How axe gets into the page: the site sends a strict Content-Security-Policy (`script-src 'self'`
plus a per-response nonce, no 'unsafe-inline', no 'unsafe-eval'). `page.add_script_tag(path=...)`
inserts an inline <script> without that nonce, so Chromium blocks it ("Executing inline script
violates the following Content Security Policy directive ..."). Instead the file's source is run
with `page.evaluate`: Playwright evaluates it through the DevTools protocol, which the page's CSP
does not govern, and axe itself needs no eval. A context with `bypass_csp=True` would work too,
but it switches the CSP off for the whole page, so the page axe checks would no longer be the
page users get (a style or script the CSP blocks would suddenly apply); evaluating leaves the
policy in force.

axe-core is installed by `bin/setup --with-browser` (npm ci). Without it these checks are
skipped, or fail when VACHAN_BROWSER_REQUIRED=1, like the browser fixture in conftest.py.
"""

import functools
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@functools.cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        message = f"no axe-core at {AXE_JS}: run bin/setup --with-browser (npm ci)"
        if os.environ.get("VACHAN_BROWSER_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # The trailing expression keeps Playwright from calling whatever the script's last statement
    # happens to evaluate to (it calls an expression's value when that is a function).
    return AXE_JS.read_text(encoding="utf-8") + "\n;true\n//# sourceURL=axe.min.js"


def axe_violations(page: Page, *, impacts=("serious", "critical")) -> list[dict]:
    """axe's violations on the page as it is now, only those with one of `impacts`.

    Each is axe's result object: id, impact, help, helpUrl, nodes (each with target, html,
    failureSummary). Only the document is checked, as rendered at the page's viewport size.
    """
    source = _axe_source()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [violation for violation in violations if violation["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """One line per violation (id, impact, help) and up to three of the elements it is about."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{len(nodes)} element(s)]")
        for node in nodes[:3]:
            lines.append(f"    {' '.join(str(target) for target in node['target'])}")
        if len(nodes) > 3:
            lines.append(f"    ... and {len(nodes) - 3} more")
    return "\n".join(lines)


def assert_accessible(page: Page, label: str, *, impacts=("serious", "critical")) -> None:
    """Fail, listing what axe found, when the page has violations with one of `impacts`."""
    violations = axe_violations(page, impacts=impacts)
    if violations:
        pytest.fail(f"{label} ({page.url}): {len(violations)} axe violation(s)\n{describe(violations)}", pytrace=False)
