"""Nepali: day month year, lakh and crore grouping, weeks from Sunday (Saturday is the weekend)."""

from config.formats.india import *  # noqa: F403

FIRST_DAY_OF_WEEK = 0  # Sunday
SHORT_DATE_FORMAT = "Y-m-d"  # 2026-11-23, as Nepal writes dates
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
