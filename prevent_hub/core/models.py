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


class ScheduledJob(models.Model):
    """When a periodic background job (prevent_hub.core.scheduler) is next due.

    The scheduler claims a due job with one conditional UPDATE, so two
    schedulers running at once never both enqueue it."""

    name = models.CharField(max_length=200, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RateLimitCount(models.Model):
    """How many times one kind of request came from one client address in one
    hour (prevent_hub.core.ratelimit). The key is a keyed hash: the address
    itself is not stored. Old windows are deleted by a scheduled task."""

    key = models.CharField(max_length=64)
    window = models.BigIntegerField(help_text="Hours since 1 January 1970 (UTC).")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="one_count_per_key_and_window"),
        ]
        indexes = [models.Index(fields=["window"], name="ratelimit_by_window")]

    def __str__(self):
        return f"{self.key[:8]}… {self.window}: {self.count}"


class KeyedName(models.Model):
    """A name someone is known by, split into given and family names, with
    the keys it is found by (core.names.name_key), so "Mohammed" finds
    "Muhammad" and "Łukasz" finds "Lukasz". People's records and referrals
    each keep their names in a table of this shape."""

    class Kind(models.TextChoices):
        MAIN = "main", "Name"
        OTHER = "other", "Other name"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MAIN)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    given_key = models.CharField(max_length=40, blank=True)
    family_key = models.CharField(max_length=40, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.given_name} {self.family_name}".strip()
