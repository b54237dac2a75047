"""Reading rendered pages in tests."""

import re
from html.parser import HTMLParser


def field_block(html: str, name: str) -> str:
    """The HTML of one crispy form field: its label, input and the error shown next to it."""
    match = re.search(rf'<div id="div_id_{name}".*?(?=<div id="div_id_|<button)', html, re.S)
    assert match, f"no field {name!r} on the page"
    return match.group(0)


def refused(response, field: str, *, form: str = "form") -> str:
    """The form page shown again (no redirect) with an error next to `field` of the form in the
    context as `form` (a page with two forms names which); returns its HTML."""
    assert response.status_code == 200
    assert field in response.context[form].errors, response.context[form].errors
    return response.content.decode()


class FormFields(HTMLParser):
    """What a browser sends for a page's form when nothing is touched: inputs (ticked boxes
    only), the selected option of each select, and each textarea's text."""

    def __init__(self, html):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        kind = attrs.get("type")
        if tag == "input" and "name" in attrs and kind != "submit":
            if kind not in ("checkbox", "radio"):
                self.data[attrs["name"]] = attrs.get("value", "")
            elif "checked" in attrs:
                self.data[attrs["name"]] = attrs.get("value", "on")
        elif tag == "select":
            self._select = attrs["name"]
            self.data.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs["value"]
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n")


def flat(text: str) -> str:
    """Words separated by single spaces: lines wrap differently on paper, in mail and on screen."""
    return " ".join(text.split())
