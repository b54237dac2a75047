"""agreements/sharing.py: the executive summary as a web page, a one-page PDF and an email text.

All three are rendered from one ExecutiveSummary, so they must say the same things.
"""

import datetime
import html
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from agreements.models import ChangeRequest, Milestone
from agreements.models.project import NOTE_MAX
from agreements.sharing import render_summary_html, render_summary_pdf, render_summary_text, summary_for
from tests.factories import NOW, ChangeRequestFactory, MilestoneFactory, RevisionRequestFactory, ScopeItemFactory
from tests.html import flat
from tests.pdf import embedded_fonts, page_size_mm, pdf_pages, pdf_text

KOLKATA = ZoneInfo("Asia/Kolkata")
PAPER_MM = {"A4": (210.0, 297.0), "letter": (215.9, 279.4)}  # 595 × 842 pt and 612 × 792 pt

pytestmark = pytest.mark.usefixtures("frozen_now")


def at(month, day, hour=18):
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=KOLKATA)



def page_text(markup: str) -> str:
    """What a reader sees of an HTML fragment."""
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", markup)))


@pytest.fixture
def reported_project(project, approver):
    """Alice's packaging project three weeks in: some paid, a change approved, one waiting, the client late."""
    project.summary_good_news = "The client loved the first concepts and picked one on the call."
    project.summary_concerns = "The printer needs the files by 10 December; the photos are late."
    project.save()
    MilestoneFactory(project=project, title="Kick-off", due_at=at(11, 3), completed_at=at(11, 3),
                     amount=Decimal("50000"), paid_at=at(11, 4))
    MilestoneFactory(project=project, title="Product photos", due_at=at(11, 20), owed_by=Milestone.OwedBy.CLIENT)
    MilestoneFactory(project=project, title="Second concepts", due_at=at(12, 4))
    MilestoneFactory(project=project, title="Print-ready files", due_at=at(12, 15))
    ChangeRequestFactory(project=project, number=1, status=ChangeRequest.Status.APPROVED,
                         price_delta=Decimal("101000"), requested_by=approver)
    ChangeRequestFactory(project=project, number=2, description="Add a trade-fair banner.",
                         status=ChangeRequest.Status.QUOTED, price_delta=Decimal("12000"),
                         needed_by=datetime.date(2026, 12, 10), requested_by=approver)
    RevisionRequestFactory(scope_item=ScopeItemFactory(project=project), round_number=3, charge=Decimal("4000"))
    return project


def test_the_web_page_the_pdf_and_the_email_say_the_same_things(reported_project):
    summary = summary_for(reported_project, NOW)

    renderings = {
        "web": page_text(render_summary_html(summary)),
        "pdf": flat(pdf_text(render_summary_pdf(summary, paper_size="A4"))),
        "email": flat(render_summary_text(summary)),
    }

    said = [
        "At risk",
        "Waiting for the client: “Product photos” was due on 20 Nov 2026.",
        "20 Nov 2026: Product photos (from the client)",
        "4 Dec 2026: Second concepts",
        "15 Dec 2026: Print-ready files",
        "Overdue: send “Product photos”. Needed by 20 Nov 2026.",
        "Approve or decline CR-2: Add a trade-fair banner. (₹12,000.00). Needed by 10 Dec 2026.",
        "The client loved the first concepts and picked one on the call.",
        "The printer needs the files by 10 December; the photos are late.",
    ]
    money = [
        ("Contracted", "₹1,00,000.00"),
        ("Approved changes", "₹1,01,000.00"),
        ("Extra revision rounds", "₹4,000.00"),
        ("Current total", "₹2,05,000.00"),
        ("Paid", "₹50,000.00"),
        ("Still to pay", "₹1,55,000.00"),
    ]
    for name, text in renderings.items():
        missing = [line for line in said if line not in text]
        missing += [f"{label} {amount}" for label, amount in money if not re.search(f"{label}:? {amount}", text)]
        assert missing == [], f"the {name} summary does not say: {missing}"


@pytest.mark.parametrize("paper_size", ["A4", "letter"])
def test_the_pdf_is_one_page_with_the_title_a_help_line_and_page_numbers(reported_project, paper_size):
    pdf = render_summary_pdf(summary_for(reported_project, NOW), paper_size=paper_size)

    (page,) = pdf_pages(pdf)
    assert page_size_mm(pdf) == PAPER_MM[paper_size]
    text = flat(page)
    assert "Diwali packaging · Executive summary" in text
    assert "Need help? Write to Alice at alice@example.com." in text
    assert "Page 1 of 1" in text


def busy_note(opening: str) -> str:
    sentence = f"{opening} The team met on Tuesday and agreed the next steps, with dates, in writing. "
    return (sentence * 20)[:NOTE_MAX].strip()


@pytest.mark.parametrize("paper_size", ["A4", "letter"])
def test_a_busy_project_still_fits_on_one_page(project, approver, paper_size):
    project.summary_good_news = busy_note("Going well.")
    project.summary_concerns = busy_note("Needs attention.")
    project.save()
    assert len(project.summary_concerns) >= NOTE_MAX - 1
    for number in range(10):
        MilestoneFactory(project=project, title=f"Packaging design {number + 1}",
                         due_at=at(11, 5) + datetime.timedelta(days=5 * number),
                         owed_by=Milestone.OwedBy.CLIENT if number % 3 == 0 else Milestone.OwedBy.FREELANCER)
    for number in range(1, 9):
        ChangeRequestFactory(project=project, number=number, status=ChangeRequest.Status.QUOTED,
                             description=f"Add a trade-fair banner in {number} more sizes, with the new logo.",
                             price_delta=Decimal("8000"), requested_by=approver)
    summary = summary_for(project, NOW)

    pdf = render_summary_pdf(summary, paper_size=paper_size)

    assert (len(summary.decisions) + summary.more_decisions, len(summary.milestones)) == (3 + 8, 10)
    assert len(pdf_pages(pdf)) == 1


@pytest.mark.parametrize("paper_size", ["A4", "letter"])
def test_the_longest_texts_the_forms_allow_still_fit_on_one_page(project, approver, paper_size):
    """Titles at their 200-character limit and long change descriptions: the densest layout
    clips them on paper (the web page keeps them whole), it never spills onto a second page."""
    project.title = ("Packaging " * 20)[:200]
    project.summary_good_news = busy_note("Going well.")
    project.summary_concerns = busy_note("Needs attention.")
    project.save()
    for number in range(10):
        MilestoneFactory(project=project, title=(f"{number} " + "milestone-title-without-breaks" * 7)[:200],
                         due_at=at(11, 5) + datetime.timedelta(days=5 * number))
    for number in range(1, 9):
        ChangeRequestFactory(project=project, number=number, status=ChangeRequest.Status.QUOTED,
                             description="Add a banner " * 20, price_delta=Decimal("8000"), requested_by=approver)

    pdf = render_summary_pdf(summary_for(project, NOW), paper_size=paper_size)

    assert len(pdf_pages(pdf)) == 1
    assert "Need help?" in flat(pdf_pages(pdf)[0])


def test_a_project_without_deadlines_says_so_on_one_page_without_a_chart(project):
    summary = summary_for(project, NOW)

    pdf = render_summary_pdf(summary, paper_size="A4")
    web = render_summary_html(summary)

    (page,) = pdf_pages(pdf)
    assert "No deadlines have been set yet." in flat(page)
    assert "No deadlines have been set yet." in page_text(web)
    assert "<svg" not in web
    assert "today" not in page  # the chart's "today" marker


def test_a_summary_in_marathi_hindi_and_nepali_embeds_the_devanagari_font(project, seed_text):
    marathi, hindi, nepali = (seed_text(n).split("\n\n") for n in ("003", "000", "002"))
    project.title = marathi[0].split(".")[0]  # क्लायंटसह कार्य करण्यासाठी एक सोपी आणि प्रभावी योजना
    project.summary_good_news = hindi[3]
    project.summary_concerns = nepali[3]
    project.save()
    MilestoneFactory(project=project, title=hindi[0], due_at=at(12, 4))  # वे चाहते हैं क्या? …
    MilestoneFactory(project=project, title=nepali[0], due_at=at(12, 15))  # किन ग्राहकहरूले उनीहरूलाई …

    pdf = render_summary_pdf(summary_for(project, NOW), paper_size="A4")

    assert "Vachan-Devanagari" in embedded_fonts(pdf)
    # Words with no pre-base ि and no reph: their text survives extraction in logical order.
    words = set(re.findall(r"[\u0900-\u097F]+", pdf_text(pdf)))
    expected = {"प्रभावी", "योजना", "सोपी", "चाहते", "हैं", "उनीहरूलाई"}
    assert expected <= set(re.findall(r"[\u0900-\u097F]+", " ".join([project.title, hindi[0], nepali[0]])))
    assert expected <= words


def test_markup_in_the_notes_is_shown_as_text(project):
    project.summary_good_news = 'Approved <script>alert("x")</script> today.'
    project.summary_concerns = "Logo <img src=http://evil.example/p.png> missing."
    project.save()
    summary = summary_for(project, NOW)

    web = render_summary_html(summary)
    pdf = flat(pdf_text(render_summary_pdf(summary, paper_size="A4")))

    assert "<script" not in web and "<img" not in web
    assert "Approved &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; today." in web
    assert "Logo &lt;img src=http://evil.example/p.png&gt; missing." in web
    assert 'Approved <script>alert("x")</script> today.' in pdf
    assert "Logo <img src=http://evil.example/p.png> missing." in pdf
