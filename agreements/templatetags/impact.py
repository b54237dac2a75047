from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def iso_datetime(value: str, fmt: str = "Y-m-d H:i") -> str:
    """Show an ISO 8601 date-time kept in a record (e.g. a change's before/after) as the app does."""
    try:
        return date_format(datetime.fromisoformat(value), fmt)
    except (TypeError, ValueError):
        return value


@register.filter
def iso_local(value: str, fmt: str = "Y-m-d H:i") -> str:
    """An ISO 8601 date-time shown in the current time zone (set by {% timezone %} around it)."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, fmt)
