"""Admin for deadline alerts: policies are editable; plans, schedules and raised alerts are records."""

from django.contrib import admin

from agreements.models import Alert, AlertPlan, AlertPolicy, AlertSchedule, CalendarFeed


class RecordAdmin(admin.ModelAdmin):
    """Written by the alert engine only: staff may look, not edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AlertPolicy)
class AlertPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "lead_unit", "lead_times", "country", "subdivision"]
    list_filter = ["lead_unit", "country"]
    search_fields = ["project__title", "project__client__name", "owner__email"]
    list_select_related = ["owner", "project"]
    raw_id_fields = ["owner", "project"]


@admin.register(Alert)
class AlertAdmin(RecordAdmin):
    list_display = ["__str__", "owner", "kind", "threshold", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["kind", "status", "created_at"]
    search_fields = ["milestone__title", "milestone__project__title", "milestone__project__client__name", "last_error"]
    list_select_related = ["owner", "milestone"]


@admin.register(AlertPlan)
class AlertPlanAdmin(RecordAdmin):
    list_display = ["__str__", "owner", "milestone", "kind", "fire_at"]
    list_filter = ["kind"]
    search_fields = ["milestone__title", "milestone__project__title", "milestone__project__client__name"]
    list_select_related = ["owner", "milestone"]


@admin.register(AlertSchedule)
class AlertScheduleAdmin(RecordAdmin):
    list_display = ["owner", "plan_due_at"]
    list_filter = ["plan_due_at"]
    search_fields = ["owner__email", "owner__projects__title", "owner__clients__name"]
    list_select_related = ["owner"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(RecordAdmin):
    list_display = ["__str__", "created_at", "revoked_at", "last_read_at"]
    list_filter = ["created_at", "revoked_at"]
    search_fields = ["owner__email", "owner__clients__name", "contact__name", "contact__client__name",
                     "contact__client__projects__title"]
    list_select_related = ["owner", "contact"]
