import datetime
import zoneinfo
from functools import cache, cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Min, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models.fields import MoneyField
from agreements.money import UNKNOWN_CURRENCY, is_known_currency, minor_unit_error

# The executive summary is one page: each part of the freelancer's note is kept short enough to fit.
NOTE_MAX = 800

UNKNOWN_TIMEZONE = _("“%(zone)s” is not a known time zone (for example Asia/Kolkata).")


@cache
def known_timezones() -> frozenset[str]:
    """The zones tzdata knows (reading them walks the tzdata files: about 4 ms, so once)."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in known_timezones():
        raise ValidationError(UNKNOWN_TIMEZONE, params={"zone": value}, code="timezone")


def validate_currency(value: str) -> None:
    if not is_known_currency(value):
        raise ValidationError(UNKNOWN_CURRENCY, params={"code": value}, code="currency")


def money_lookups() -> tuple:
    """What `project_totals` reads, as prefetch lookups (for a queryset, or one loaded project)."""
    from agreements.models import ScopeItem

    scope_items = ScopeItem.objects.select_related("added_by", "removed_by").prefetch_related("revisions")
    return ("milestones", "change_requests", Prefetch("scope_items", queryset=scope_items))


class ProjectQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(owner=user)

    def active(self):
        return self.filter(status=Project.Status.ACTIVE)

    def with_money(self):
        """Prefetch exactly what `project_totals` reads, for lists of projects."""
        return self.prefetch_related(*money_lookups())

    def for_overview(self):
        """Everything the project page shows (agreements/overview.py), in a fixed number of queries."""
        from agreements.models import ContractVersion

        return self.select_related("client").with_money().prefetch_related(
            "change_requests__requested_by",
            Prefetch(
                "contract_versions",
                queryset=ContractVersion.objects.for_list(),
            ),
        )

    def for_list(self):
        """The project list: client, next open deadline and open change requests, in one query."""
        from agreements.models import ChangeRequest

        return (
            self.select_related("client")
            .annotate(
                next_due_at=Min("milestones__due_at", filter=Q(milestones__completed_at=None)),
                open_change_count=Count(
                    "change_requests",
                    filter=Q(change_requests__status__in=ChangeRequest.OPEN_STATUSES),
                    distinct=True,
                ),
            )
            .order_by("client__name", "title", "pk")
        )


class Project(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    # Where a project may go from each status. Completed and cancelled are final.
    TRANSITIONS = {
        Status.DRAFT: (Status.PROPOSED, Status.CANCELLED),
        Status.PROPOSED: (Status.ACTIVE, Status.DRAFT, Status.CANCELLED),
        Status.ACTIVE: (Status.ON_HOLD, Status.COMPLETED, Status.CANCELLED),
        Status.ON_HOLD: (Status.ACTIVE, Status.CANCELLED),
        Status.COMPLETED: (),
        Status.CANCELLED: (),
    }

    # The button that moves a project to each status, as one phrase per status (for translators).
    ACTIONS = {
        Status.DRAFT: _("Back to draft"),
        Status.PROPOSED: _("Mark proposed"),
        Status.ACTIVE: _("Mark active"),
        Status.ON_HOLD: _("Put on hold"),
        Status.COMPLETED: _("Mark completed"),
        Status.CANCELLED: _("Mark cancelled"),
    }

    # Once the client has agreed (the project went active), these terms change only through an
    # approved change request: the edit forms and the admin show them read-only.
    AGREED_STATUSES = (Status.ACTIVE, Status.ON_HOLD, Status.COMPLETED, Status.CANCELLED)
    # Projects whose agreement can still change; completed and cancelled ones are closed.
    OPEN_STATUSES = (Status.DRAFT, Status.PROPOSED, Status.ACTIVE, Status.ON_HOLD)
    AGREED_FIELDS = (
        "client", "start_date", "timezone", "currency", "pricing", "price", "hourly_rate", "free_revision_rounds",
        "revision_charge", "extra_round_fee", "extra_round_hours",
    )

    class Pricing(models.TextChoices):
        FIXED = "fixed", _("Fixed price")
        HOURLY = "hourly", _("Hourly rate")
        PER_MILESTONE = "milestone", _("Per milestone")

    class RevisionCharge(models.TextChoices):
        FIXED = "fixed", _("A fixed amount per extra round")
        HOURLY = "hourly", _("Estimated hours × hourly rate per extra round")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects",
        verbose_name=_("owner"),
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="projects", verbose_name=_("client")
    )
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), blank=True, help_text=_("What the client wants to achieve."))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    start_date = models.DateField(_("start date"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Kolkata", validators=[validate_timezone],
        help_text=_("Deadlines are entered and shown in this time zone."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="INR", validators=[validate_currency],
        help_text=_("ISO 4217 code, for example INR, NPR or USD."),
    )
    pricing = models.CharField(
        _("pricing"), max_length=10, choices=Pricing.choices, default=Pricing.FIXED
    )
    price = MoneyField(
        _("fixed price"), validators=[MinValueValidator(0)],
        help_text=_("The agreed price, for fixed-price projects."),
    )
    hourly_rate = MoneyField(
        _("hourly rate"), validators=[MinValueValidator(0)],
        help_text=_("For hourly projects, and for extra revision rounds charged by the hour."),
    )
    free_revision_rounds = models.PositiveSmallIntegerField(
        _("free revision rounds"), default=2, validators=[MaxValueValidator(50)],
        help_text=_("Rounds of corrections per deliverable included in the price."),
    )
    revision_charge = models.CharField(
        _("extra rounds are charged"), max_length=8, choices=RevisionCharge.choices,
        default=RevisionCharge.FIXED,
    )
    extra_round_fee = MoneyField(
        _("fee per extra round"), validators=[MinValueValidator(0)],
    )
    extra_round_hours = models.DecimalField(
        _("estimated hours per extra round"), max_digits=6, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
    )
    summary_good_news = models.TextField(
        _("what is going well"), blank=True, max_length=NOTE_MAX,
        help_text=_("For the executive summary: progress and good news, said plainly."),
    )
    summary_concerns = models.TextField(
        _("what needs attention"), blank=True, max_length=NOTE_MAX,
        help_text=_("For the executive summary: delays, risks and bad news, said just as plainly."),
    )
    clauses_copied = models.BooleanField(
        _("contract clauses set up"), default=False, editable=False,
        help_text=_("The owner's default clauses were copied in once; from then on the project's own are used."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "pk"]
        indexes = [
            # The project list and the dashboard: one owner's projects by status.
            models.Index(fields=["owner", "status"], name="project_owner_status"),
        ]

    def __str__(self):
        return self.title

    # Set by their own conditional UPDATEs (the status flow in agreements/projects.py, the clause
    # copy in agreements/clauses.py): a save writes them only if this instance changed them, so a
    # project loaded earlier never writes a stale value back over a newer one.
    GUARDED_FIELDS = ("status", "clauses_copied")

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            loaded = getattr(self, "_loaded", {})
            unchanged = {name for name, value in loaded.items() if getattr(self, name) == value}
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in unchanged
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("agreements:project_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        project = super().from_db(db, field_names, values, *args, **kwargs)
        project._loaded = {name: getattr(project, name) for name in cls.GUARDED_FIELDS if name in field_names}
        return project

    @cached_property
    def zoneinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_date(self, moment) -> datetime.date:
        """The calendar day a moment falls on where the project is (not in UTC)."""
        return timezone.localtime(moment, self.zoneinfo).date()

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def terms_locked(self) -> bool:
        return self.status in self.AGREED_STATUSES

    def agreed_fields(self) -> tuple[str, ...]:
        """Fields that change only by change request (none until the client has agreed)."""
        return self.AGREED_FIELDS if self.terms_locked else ()

    def allowed_transitions(self) -> tuple:
        return self.TRANSITIONS[Project.Status(self.status)]

    @property
    def status_actions(self) -> list[tuple[str, str]]:
        """(status, button label) for each status the project may move to now."""
        return [(target.value, self.ACTIONS[target]) for target in self.allowed_transitions()]

    def clean(self):
        super().clean()
        errors = {}
        if self.client_id and self.owner_id and self.client.owner_id != self.owner_id:
            errors["client"] = _("Choose one of your own clients.")
        for name in ("price", "hourly_rate", "extra_round_fee"):
            if error := minor_unit_error(getattr(self, name), self.currency):
                errors[name] = error
        if self.pricing == self.Pricing.HOURLY and not self.hourly_rate:
            errors.setdefault("hourly_rate", _("Hourly projects need an hourly rate."))
        if self.revision_charge == self.RevisionCharge.HOURLY:
            if not self.extra_round_hours:
                errors.setdefault(
                    "extra_round_hours", _("Say how many hours an extra round is estimated at.")
                )
            if not self.hourly_rate:
                errors.setdefault(
                    "hourly_rate", _("Extra rounds charged by the hour need an hourly rate.")
                )
        if errors:
            raise ValidationError(errors)
