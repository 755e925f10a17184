from django.db import models


class DemoDataLoad(models.Model):
    """Marks a database that holds synthetic demo data.

    `make run` loads demo data once; production settings refuse to serve a
    database carrying this mark (see prevent_hub.core.checks).
    """

    loaded_at = models.DateTimeField(auto_now_add=True)
    version = models.CharField(max_length=20)

    class Meta:
        verbose_name = "demo data load"

    def __str__(self):
        return f"Demo data v{self.version} loaded {self.loaded_at:%Y-%m-%d %H:%M}"


class BankHoliday(models.Model):
    """A bank holiday in England and Wales. Shipped as data (loaded by a
    migration from core/data/bank-holidays-england-and-wales.json) and editable
    by administrators, never fetched at run time. Working-day clocks skip
    these and weekends."""

    date = models.DateField(unique=True)
    title = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.title} ({self.date:%d %B %Y})"
