from django.contrib import admin

from clients.models import Client, Contact


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
    list_display = ["name", "client", "email", "title", "may_approve", "receives_summaries", "preferred_language"]
    list_filter = ["may_approve", "receives_summaries", "preferred_language"]
    search_fields = ["name", "email", "title", "client__name"]
    list_select_related = ["client"]
    raw_id_fields = ["client"]
