"""The iCalendar text of a subscription feed (RFC 5545, RFC 7986), built with `icalendar`.

Every moment is written in UTC (…Z): each calendar shows it in its reader's zone, and there is no
TZID or VTIMEZONE to get wrong (django-ical wrote DTSTAMP 5½ hours off in Asia/Kolkata). Alarms
are absolute (TRIGGER;VALUE=DATE-TIME), at the moments the alert emails use.
"""

import datetime
from dataclasses import dataclass, field

from icalendar import Alarm, Calendar, Event, vDuration

from agreements.alerts.leads import utc

REFRESH = datetime.timedelta(hours=1)  # how often a calendar should fetch the feed again
EVENT_LENGTH = datetime.timedelta(minutes=15)  # a deadline is a moment; calendars want a block


@dataclass(frozen=True)
class Deadline:
    uid: str
    due_at: datetime.datetime
    summary: str
    description: str
    url: str
    alarms: list[tuple[datetime.datetime, str]] = field(default_factory=list)  # (when, what it says)


def _event(deadline: Deadline, now: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", deadline.uid)
    event.add("dtstamp", utc(now))
    event.add("dtstart", utc(deadline.due_at))
    event.add("duration", EVENT_LENGTH)
    event.add("summary", deadline.summary)
    event.add("description", deadline.description)
    event.add("url", deadline.url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    for at, text in deadline.alarms:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", text)
        alarm.add("trigger", utc(at), parameters={"VALUE": "DATE-TIME"})
        event.add_component(alarm)
    return event


def calendar_ics(*, name: str, deadlines: list[Deadline], now: datetime.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Vachan//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for deadline in deadlines:
        calendar.add_component(_event(deadline, now))
    return calendar.to_ical()
