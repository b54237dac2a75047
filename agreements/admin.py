from django.contrib import admin

from agreements.models import (
    ChangeRequest,
    Milestone,
    MilestoneDateChange,
    Project,
    RevisionRequest,
    ScopeAddition,
    ScopeItem,
)


class ScopeItemInline(admin.TabularInline):
    model = ScopeItem
    extra = 0
    fields = ["title", "quantity", "unit", "exclusions", "position"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_at", "owed_by", "estimated_hours", "progress", "amount"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "client", "owner", "status", "pricing", "currency", "start_date"]
    list_filter = ["status", "pricing", "currency", "revision_charge"]
    search_fields = ["title", "goal", "client__name", "owner__email"]
    list_select_related = ["client", "owner"]
    readonly_fields = ["status", "created_at", "updated_at"]
    raw_id_fields = ["owner", "client"]
    inlines = [ScopeItemInline, MilestoneInline]


@admin.register(ScopeItem)
class ScopeItemAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "quantity", "unit", "added_by", "removed_by"]
    list_filter = ["project__status"]
    search_fields = ["title", "exclusions", "project__title"]
    list_select_related = ["project", "added_by", "removed_by"]
    raw_id_fields = ["project"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
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


class DateChangeInline(admin.TabularInline):
    model = MilestoneDateChange
    extra = 0
    raw_id_fields = ["milestone"]


class ScopeAdditionInline(admin.TabularInline):
    model = ScopeAddition
    extra = 0


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


@admin.register(MilestoneDateChange)
class MilestoneDateChangeAdmin(admin.ModelAdmin):
    list_display = ["change_request", "milestone", "new_due_at"]
    list_filter = ["change_request__status"]
    search_fields = ["milestone__title", "change_request__project__title"]
    raw_id_fields = ["change_request", "milestone"]


@admin.register(ScopeAddition)
class ScopeAdditionAdmin(admin.ModelAdmin):
    list_display = ["title", "change_request", "quantity", "unit"]
    list_filter = ["change_request__status"]
    search_fields = ["title", "change_request__project__title"]
    raw_id_fields = ["change_request"]
