from django.contrib import admin

from agreements import admin_alerts  # noqa: F401  (registers the alert models)
from agreements.clauses import clauses_locked
from agreements.models import (
    ChangeDecision,
    ChangeRequest,
    ContractAcceptance,
    ContractVersion,
    DefaultClause,
    FreelancerProfile,
    Milestone,
    MilestoneDateChange,
    Notification,
    Project,
    ProjectClause,
    RevisionRequest,
    ScopeAddition,
    ScopeItem,
    SummaryLink,
    SummarySnapshot,
)


class LockableInline(admin.TabularInline):
    """Rows that can be added, changed or deleted only while their parent is not locked."""

    extra = 0

    def locked(self, parent) -> bool:
        raise NotImplementedError

    def _open(self, parent) -> bool:
        return parent is None or not self.locked(parent)

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


class AgreedFieldsReadOnly:
    """The admin shows what the client agreed read-only, as the app's forms do."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + list(obj.agreed_fields()) if obj else readonly


class AgreedTermsInline(LockableInline):
    """Deliverables and deadlines of an agreed project change only by change request."""

    def locked(self, parent) -> bool:
        return parent.terms_locked


class ScopeItemInline(AgreedTermsInline):
    model = ScopeItem
    fields = ["title", "quantity", "unit", "exclusions", "position"]


class MilestoneInline(AgreedTermsInline):
    model = Milestone
    fields = ["title", "due_at", "owed_by", "estimated_hours", "progress", "amount"]


@admin.register(Project)
class ProjectAdmin(AgreedFieldsReadOnly, admin.ModelAdmin):
    list_display = ["title", "client", "owner", "status", "pricing", "currency", "start_date"]
    list_filter = ["status", "pricing", "currency", "revision_charge"]
    search_fields = ["title", "goal", "client__name", "owner__email"]
    list_select_related = ["client", "owner"]
    readonly_fields = ["status", "created_at", "updated_at"]
    raw_id_fields = ["owner", "client"]
    inlines = [ScopeItemInline, MilestoneInline]


@admin.register(ScopeItem)
class ScopeItemAdmin(AgreedFieldsReadOnly, admin.ModelAdmin):
    list_display = ["title", "project", "quantity", "unit", "added_by", "removed_by"]
    list_filter = ["project__status"]
    search_fields = ["title", "exclusions", "project__title"]
    list_select_related = ["project", "added_by", "removed_by"]
    raw_id_fields = ["project"]


@admin.register(Milestone)
class MilestoneAdmin(AgreedFieldsReadOnly, admin.ModelAdmin):
    list_display = ["title", "project", "due_at", "owed_by", "progress", "amount", "completed_at", "paid_at"]
    list_filter = ["owed_by", "project__status", "due_at"]
    search_fields = ["title", "project__title"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]


@admin.register(RevisionRequest)
class RevisionRequestAdmin(admin.ModelAdmin):
    list_display = ["scope_item", "round_number", "charge", "requested_by", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["description", "scope_item__title", "scope_item__project__title"]
    list_select_related = ["scope_item", "requested_by"]
    readonly_fields = ["round_number", "charge", "created_at"]
    raw_id_fields = ["scope_item", "requested_by"]

    def has_add_permission(self, request):
        return False  # rounds are numbered and priced by revision_request_create()


class ImpactInline(LockableInline):
    """A request's impact is editable only while it is submitted, as in the app."""

    def locked(self, parent) -> bool:
        return not parent.impact_editable


class DateChangeInline(ImpactInline):
    model = MilestoneDateChange
    raw_id_fields = ["milestone"]


class ScopeAdditionInline(ImpactInline):
    model = ScopeAddition


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "project", "status", "price_delta", "requested_by", "needed_by", "created_at"]
    list_filter = ["status", "needed_by", "created_at"]
    search_fields = ["description", "purpose", "on_behalf_of", "project__title", "requested_by__name"]
    list_select_related = ["project", "requested_by"]
    readonly_fields = [
        "number", "status", "created_at", "quoted_at", "decided_at", "decided_by", "approved_by",
        "decision_note", "applied_impact",
    ]
    raw_id_fields = ["project", "requested_by"]
    filter_horizontal = ["remove_scope_items"]
    inlines = [DateChangeInline, ScopeAdditionInline]

    def has_add_permission(self, request):
        return False  # requests are numbered by change_request_create()

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.impact_editable) and super().has_change_permission(request, obj)


class ImpactAdmin(admin.ModelAdmin):
    """Parts of a change request: browsable, but edited with their request."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.change_request.impact_editable) and super().has_change_permission(request, obj)


@admin.register(MilestoneDateChange)
class MilestoneDateChangeAdmin(ImpactAdmin):
    list_display = ["change_request", "milestone", "new_due_at"]
    list_filter = ["change_request__status"]
    search_fields = ["milestone__title", "change_request__project__title"]
    raw_id_fields = ["change_request", "milestone"]


@admin.register(ScopeAddition)
class ScopeAdditionAdmin(ImpactAdmin):
    list_display = ["title", "change_request", "quantity", "unit"]
    list_filter = ["change_request__status"]
    search_fields = ["title", "change_request__project__title"]
    raw_id_fields = ["change_request"]


@admin.register(FreelancerProfile)
class FreelancerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "business_name", "paper_size"]
    list_filter = ["paper_size"]
    search_fields = ["display_name", "business_name", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(DefaultClause)
class DefaultClauseAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "position"]
    list_filter = ["owner__is_active"]
    search_fields = ["title", "body", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]


@admin.register(ProjectClause)
class ProjectClauseAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "position"]
    list_filter = ["project__status"]
    search_fields = ["title", "body", "project__title"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]

    def get_readonly_fields(self, request, obj=None):
        # A clause the client agreed to changes only by a new contract version.
        if obj is not None and clauses_locked(obj.project):
            return ["project", "title", "body", "position"]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not clauses_locked(obj.project)) and super().has_delete_permission(request, obj)


class PermanentRecordAdmin(admin.ModelAdmin):
    """Issued documents: staff may read them, never add, change or delete them."""

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*self.exclude)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContractVersion)
class ContractVersionAdmin(PermanentRecordAdmin):
    list_display = ["project", "number", "issued_at", "issued_by", "change_request", "short_hash"]
    list_filter = ["issued_at", "paper_size"]
    search_fields = ["project__title", "project__client__name", "sha256"]
    list_select_related = ["project", "issued_by", "change_request"]
    exclude = ["pdf", "html"]


@admin.register(SummarySnapshot)
class SummarySnapshotAdmin(PermanentRecordAdmin):
    list_display = ["project", "created_at", "reason", "status", "recipients"]
    list_filter = ["reason", "status", "created_at"]
    search_fields = ["project__title", "project__client__name", "recipients"]
    list_select_related = ["project"]
    exclude = ["pdf", "html", "text"]


@admin.register(SummaryLink)
class SummaryLinkAdmin(admin.ModelAdmin):
    list_display = ["snapshot", "created_at", "expires_at", "revoked_at", "opened_count"]
    list_filter = ["expires_at", "revoked_at"]
    search_fields = ["snapshot__project__title", "snapshot__project__client__name"]
    list_select_related = ["snapshot__project"]
    # Staff may revoke a link (set "revoked at"), never revive or extend one.
    readonly_fields = ["snapshot", "created_at", "expires_at", "opened_count", "last_opened_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["revoked_at"] if obj is not None and obj.revoked_at else fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("snapshot__html", "snapshot__text", "snapshot__pdf")

    def has_add_permission(self, request):
        return False  # links are made, and their token shown once, by the app

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContractAcceptance)
class ContractAcceptanceAdmin(PermanentRecordAdmin):
    list_display = ["version", "typed_name", "email", "at", "ip"]
    list_filter = ["at", "language"]
    search_fields = ["version__project__title", "contact__client__name", "typed_name", "email"]
    list_select_related = ["version__project", "contact"]
    exclude = []


@admin.register(ChangeDecision)
class ChangeDecisionAdmin(PermanentRecordAdmin):
    list_display = ["change_request", "decision", "contact", "at", "ip"]
    list_filter = ["decision", "at"]
    search_fields = ["change_request__project__title", "contact__client__name", "contact__name", "note"]
    list_select_related = ["change_request__project", "contact"]
    exclude = []


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["text", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", "created_at", "read_at"]
    search_fields = ["text", "recipient__email"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
