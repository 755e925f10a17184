from django.contrib import admin

from .models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "phone", "web_address", "last_checked", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "key", "who_for"]
    readonly_fields = ["key"]
    ordering = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # The key is how pages find the contact: fixed once created.
        return ["key"] if obj else []
