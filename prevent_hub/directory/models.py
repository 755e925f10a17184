from django.db import models


class Contact(models.Model):
    """A service the public or practitioners may be sent to.

    Numbers, addresses and hours change without notice, so they are data that
    administrators keep up to date (and record when they last checked), never
    text in templates. Pages refer to a contact by its `key`.
    """

    key = models.SlugField(
        max_length=60, unique=True,
        help_text="How pages and routing rules refer to this contact. Do not change it.",
    )
    name = models.CharField(max_length=120)
    who_for = models.TextField("who it is for", max_length=500)
    phone = models.CharField(max_length=40, blank=True)
    phone_note = models.CharField(
        max_length=200, blank=True, help_text="For example: free from landlines and mobiles."
    )
    web_address = models.URLField(blank=True)
    web_label = models.CharField(
        max_length=120, blank=True, help_text="Link text, for example: Report online."
    )
    email = models.EmailField(blank=True)
    hours = models.CharField("opening hours", max_length=200, blank=True)
    last_checked = models.DateField(
        null=True, blank=True,
        help_text="When someone last confirmed these details with the service.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Untick to hide this contact from every page."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def phone_href(self):
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
