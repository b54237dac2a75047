"""Emails from one pair of templates (plain text and HTML), and sending after a commit."""

import logging
from email.utils import formataddr

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

SUBJECT_MAX = 150


def address(name: str, email: str) -> str:
    """"Priya Kulkarni <priya@…>", quoted as the standard wants for any name (commas, Devanagari)."""
    return formataddr((name, email))


def templated_email(*, template: str, context: dict, subject, to: list[str], reply_to=()) -> EmailMultiAlternatives:
    """One email from `<template>.txt` and `<template>.html`, rendered in the active language.

    A header is one line: line breaks typed by a person (quoted in a subject) become spaces.
    """
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split())[:SUBJECT_MAX],
        body=render_to_string(f"{template}.txt", context),
        to=to,
        reply_to=list(reply_to),
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def send_after_commit(messages: list[EmailMultiAlternatives]) -> None:
    """Enqueue each email as a task once the surrounding transaction commits (never for
    something that rolled back).

    Used where the record in the app is what counts: a mail server that is down loses only the
    email, which is logged, and never undoes or breaks what the person did.
    """
    from agreements.tasks import email_to_dict, send_email

    def enqueue():
        for message in messages:
            try:
                send_email.enqueue(email_to_dict(message))
            except Exception:
                log.exception("Could not send %r to %s", message.subject, message.to)

    transaction.on_commit(enqueue)
