"""agreements/contracts.py + agreements/pdf.py: a contract in Marathi, Hindi and Nepali mixed with English.

Its text comes from the seed articles (tests/fixtures/seeds). It must be set in our own fonts
(static/fonts), with no system font standing in for a missing glyph, and keep a text layer.

About the text layer: WeasyPrint maps each glyph to one piece of text. Words whose vowel sign
is drawn before its consonant (ि) or with a reph (र्) are reordered into glyph clusters that do
not map back one to one, so their copied text differs; we only ask for words without them.
"""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from agreements.contracts import contract_issue
from tests.factories import NOW, MilestoneFactory, ScopeItemFactory
from tests.html import flat
from tests.pdf import embedded_fonts, pdf_text

DEVANAGARI_WORD = re.compile(r"[\u0900-\u0963\u0966-\u097F]+")  # without the danda (।, ॥)

# Words of each seed that have no ि and no र्, so their text survives copying from the PDF.
SEED_WORDS = {
    "003": ["क्लायंटसह", "करण्यासाठी", "सोपी", "प्रभावी", "योजना", "नेहमीच", "बरोबर", "ग्राहकांना"],  # Marathi
    "001": ["ग्राहक", "सेवा"],  # Hindi
    "000": ["चाहते", "क्लाइंट", "प्रश्न"],  # Hindi
    "002": ["ग्राहकहरूले", "उनीहरूलाई", "आवश्यक", "मद्दतको"],  # Nepali
}
ENGLISH = ["Diwali packaging", "Pvt Ltd", "Help page", "Not included", "Working with the client", "Final artwork"]


@pytest.fixture
def mixed_project(project, client_company, seed_text):
    marathi = seed_text("003")
    project.title = "Diwali packaging: " + marathi.split(".")[0]  # "क्लायंटसह कार्य करण्यासाठी एक सोपी …"
    project.price = Decimal("1234567.50")
    project.save()
    client_company.name = re.search("ग्राहक सेवा विभाग", seed_text("001")).group(0) + " Pvt Ltd"
    client_company.save()
    ScopeItemFactory(
        project=project, title="Help page: " + seed_text("002").splitlines()[0],  # Nepali
        exclusions="Not included: " + seed_text("000").splitlines()[0],  # Hindi
    )
    MilestoneFactory(project=project, title="Final artwork / अंतिम डिझाइन", amount=Decimal("234567.50"))
    opening = marathi.split("\n\n")[1]
    project.clauses.create(
        position=1, title="Working with the client / क्लायंटसह कार्य",
        body=opening[: opening.index("वागतात") + len("वागतात.")],  # "ग्राहक नेहमीच बरोबर असतो" …
    )
    return project


def test_devanagari_is_set_in_our_own_fonts_and_keeps_its_text(mixed_project, freelancer, seed_text):
    with translation.override("mr"):
        version = contract_issue(project=mixed_project, issued_by=freelancer, now=NOW)

    fonts = embedded_fonts(version.pdf)
    assert {"Vachan-Devanagari", "Vachan-Sans"} <= fonts
    assert all(name.startswith("Vachan-") for name in fonts), fonts  # no DejaVu, Liberation … fallback
    text = pdf_text(version.pdf)
    words = set(DEVANAGARI_WORD.findall(text))
    for seed, expected in SEED_WORDS.items():
        for word in expected:
            assert "ि" not in word and "र्" not in word
            assert word in DEVANAGARI_WORD.findall(seed_text(seed)), f"{word} is not from seed {seed}"
            assert word in words, f"{word} (seed {seed}) is missing from the PDF text"
    flat_text = flat(text)
    for phrase in ENGLISH:
        assert phrase in flat_text
    # The contract's own words are in Marathi (locale/mr), and Marathi is the one language whose
    # Babel locale groups thousands the western way: the amounts are grouped the Indian way anyway.
    # ("किंमत ₹12,34,567.50 (INR) आहे." — the PDF's text layer drops the pre-base vowel sign ि.)
    assert "₹12,34,567.50 (INR) आहे." in flat_text
    assert "The price is" not in flat_text
    assert "₹2,34,567.50" in flat_text
    assert "₹10,00,000.00" in flat_text  # due on completion
    assert "1,234,567" not in flat_text


def test_pasted_mojibake_needs_no_fallback_font_either(project, freelancer, mojibake):
    ScopeItemFactory(project=project, title="Leaflet", description=mojibake)

    version = contract_issue(project=project, issued_by=freelancer, now=NOW)

    assert all(name.startswith("Vachan-") for name in embedded_fonts(version.pdf))
    assert flat(mojibake) in flat(pdf_text(version.pdf))
