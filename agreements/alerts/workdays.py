"""Which days are working days: the weekend and the public holidays of a country (and region)."""

import datetime
from dataclasses import dataclass, field
from functools import cache

import holidays
from django.utils.translation import gettext as _

# `holidays` still gives Nepal a Saturday and Sunday weekend; since June 2022 it is Saturday only.
WEEKEND_OVERRIDES = {"NP": frozenset({5})}


@cache
def supported_countries() -> dict[str, list[str]]:
    return holidays.list_supported_countries()


def subdivision_error(country: str, subdivision: str) -> dict | None:
    """A field → message dict when the country or region is not one `holidays` knows."""
    regions = supported_countries().get(country)
    if regions is None:
        return {"country": _("“%(code)s” is not a country we have public holidays for (for example IN, NP, US).")
                % {"code": country}}
    if subdivision and subdivision not in regions:
        return {"subdivision": _("%(country)s has no region “%(code)s”. Known regions: %(known)s.")
                % {"country": country, "code": subdivision, "known": ", ".join(regions) or "—"}}
    return None


@dataclass(frozen=True)
class WorkCalendar:
    country: str
    subdivision: str = ""
    _holidays: holidays.HolidayBase = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_holidays", holidays.country_holidays(self.country, subdiv=self.subdivision or None))

    @property
    def weekend(self) -> frozenset[int]:
        return WEEKEND_OVERRIDES.get(self.country, frozenset(self._holidays.weekend))

    @property
    def days_per_week(self) -> int:
        return 7 - len(self.weekend)

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() not in self.weekend and day not in self._holidays

    def holiday_name(self, day: datetime.date) -> str | None:
        return self._holidays.get(day)

    def working_days_before(self, day: datetime.date, count: int) -> datetime.date:
        """The day `count` working days before `day` (which itself need not be a working day)."""
        while count > 0:
            day -= datetime.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day


@cache
def work_calendar(country: str, subdivision: str = "") -> WorkCalendar:
    """One calendar per country and region (the holiday tables are built once, lazily per year)."""
    return WorkCalendar(country, subdivision)
