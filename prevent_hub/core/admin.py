"""Reference data system administrators edit in Django admin."""

from django.contrib import admin

from .models import BankHoliday


@admin.register(BankHoliday)
class BankHolidayAdmin(admin.ModelAdmin):
    """Working-day clocks skip these. The defaults ship with the product; add
    next year's dates here when GOV.UK publishes them."""

    list_display = ["date", "title"]
    list_filter = [("date", admin.DateFieldListFilter)]
    search_fields = ["title"]
    date_hierarchy = "date"
    ordering = ["-date"]
