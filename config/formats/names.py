"""Month names, here so that our catalogs carry them (makemessages finds them in this file).

Django translates month names in its own catalogs, and some of its Hindi and Nepali ones are
misspelt ("नवमबर", "नभम्वर"); ours come first (LOCALE_PATHS) and replace them. Nothing imports
this module: it only names the strings, exactly as django/utils/dates.py marks them.
"""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"),
    gettext_noop("May"), gettext_noop("June"), gettext_noop("July"), gettext_noop("August"),
    gettext_noop("September"), gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
]
# "j M" (23 Nov): Django's three-letter names, which the M format capitalises.
MONTHS_3 = [
    gettext_noop("jan"), gettext_noop("feb"), gettext_noop("mar"), gettext_noop("apr"), gettext_noop("may"),
    gettext_noop("jun"), gettext_noop("jul"), gettext_noop("aug"), gettext_noop("sep"), gettext_noop("oct"),
    gettext_noop("nov"), gettext_noop("dec"),
]
