"""Date and number formats per interface language (settings.FORMAT_MODULE_PATH).

Django has none for Marathi and Nepali (dates fell back to US style, "Nov. 23, 2026"), and its
English and Hindi ones group digits in thousands and read 05/03/2026 as the 3rd of May. Ours:
day month year, lakh and crore grouping (12,34,567: NUMBER_GROUPING = (3, 2, 0)), Monday-first
weeks in India and Sunday-first in Nepal, and dates typed day first. Month names come from
Django's own translations. Money is formatted by Babel (agreements/money.py), grouped the same way.
"""
