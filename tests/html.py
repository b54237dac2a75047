"""Reading rendered pages in tests."""

import re


def field_block(html: str, name: str) -> str:
    """The HTML of one crispy form field: its label, input and the error shown next to it."""
    match = re.search(rf'<div id="div_id_{name}".*?(?=<div id="div_id_|<button)', html, re.S)
    assert match, f"no field {name!r} on the page"
    return match.group(0)
