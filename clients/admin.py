from django.contrib import admin

from clients.models import Client, Contact, HelpReply, HelpRequest, Invitation, PortalAccount


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "email", "phone", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["name", "email", "contacts__name", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = [
        "name", "client", "email", "title", "may_approve", "receives_summaries", "preferred_language", "portal_access",
    ]
    list_filter = ["may_approve", "receives_summaries", "preferred_language", "portal_access"]
    search_fields = ["name", "email", "title", "client__name"]
    list_select_related = ["client"]
    raw_id_fields = ["client"]
    readonly_fields = ["account", "portal_access"]


@admin.register(PortalAccount)
class PortalAccountAdmin(admin.ModelAdmin):
    """Staff may switch a portal login off; passwords are set only by the person, through an invitation."""

    list_display = ["email", "is_active", "last_login", "created_at"]
    list_filter = ["is_active", "last_login"]
    search_fields = ["email", "contacts__name", "contacts__client__name"]
    fields = ["email", "is_active", "last_login", "created_at"]
    readonly_fields = ["email", "last_login", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "contact", "created_at", "expires_at", "used_at"]
    list_filter = ["created_at", "used_at"]
    search_fields = ["email", "contact__name", "contact__client__name"]
    list_select_related = ["contact"]
    readonly_fields = ["contact", "token_hash", "sent_by", "email", "created_at", "expires_at", "used_at"]

    def has_add_permission(self, request):
        return False  # invitations are sent, and their link shown once, by the app


class HelpReplyInline(admin.TabularInline):
    model = HelpReply
    extra = 0
    readonly_fields = ["from_freelancer", "author", "text", "created_at"]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["what", "contact", "client", "status", "created_at", "first_answered_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["what", "client__name", "project__title", "contact__name"]
    list_select_related = ["contact", "client"]
    raw_id_fields = ["client", "contact", "project"]
    inlines = [HelpReplyInline]


@admin.register(HelpReply)
class HelpReplyAdmin(admin.ModelAdmin):
    list_display = ["help_request", "author", "from_freelancer", "created_at"]
    list_filter = ["from_freelancer", "created_at"]
    search_fields = ["text", "help_request__client__name", "help_request__project__title"]
    list_select_related = ["help_request"]
    raw_id_fields = ["help_request"]
