from django.core.exceptions import ValidationError
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


# Routing rules for "Get help or raise a concern" -----------------------------
#
# The public answers a few questions; each rule says which answers it applies
# to and which contacts and advice to show. The answer values are shared with
# the question pages (prevent_hub/public/questions.py).


class Danger(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class OnlineMaterial(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class WhoAsks(models.TextChoices):
    FAMILY_OR_FRIEND = "family-or-friend", "Family member or friend"
    MEMBER_OF_PUBLIC = "member-of-public", "Member of the public"
    PROFESSIONAL = "professional", "Professional or volunteer"


class ChildOrAdult(models.TextChoices):
    CHILD = "child", "Child or young person under 18"
    ADULT = "adult", "Adult (18 or over)"
    NOT_SURE = "not-sure", "Not sure"


class Offer(models.TextChoices):
    NONE = "", "Do not offer a form"
    CONCERN = "concern", "The form for the public to tell the Prevent team about a concern"
    REFERRAL = "referral", "The Prevent referral form for professionals"


# (rule field, the answer it looks at, its choices, how administrators see the question)
CONDITIONS = (
    ("when_danger", "danger", Danger, "Is anyone in immediate danger?"),
    ("when_online", "online", OnlineMaterial, "Is it about terrorist or extremist material online?"),
    ("when_who", "who", WhoAsks, "Who is asking?"),
    ("when_age", "age", ChildOrAdult, "Is it about a child or an adult?"),
)


def _condition_field(verbose_name):
    return models.JSONField(
        verbose_name, default=list, blank=True,
        help_text="The answers this rule applies to. Empty means any answer, or the question "
                  "was not asked.",
    )


class RoutingRule(models.Model):
    """Advice and contacts shown to people whose answers fit the conditions.

    Each condition is a list of answers; an empty list matches any answer,
    including a question the person was never asked (someone in immediate
    danger is asked nothing else). The result page shows every active rule
    that matches, in position order, with each contact shown once.
    """

    key = models.SlugField(
        max_length=60, unique=True,
        help_text="How the defaults and tests refer to this rule. Do not change it.",
    )
    title = models.CharField(max_length=120, help_text="The heading shown on the result page.")
    advice = models.TextField(max_length=1000, help_text="Plain English, shown under the heading.")
    when_danger = _condition_field("immediate danger")
    when_online = _condition_field("online material")
    when_who = _condition_field("who is asking")
    when_age = _condition_field("child or adult")
    contacts = models.ManyToManyField(
        Contact, through="RoutingRuleContact", related_name="routing_rules", blank=True
    )
    offer = models.CharField(
        "offer to send the concern to the Prevent team", max_length=20, choices=Offer.choices,
        blank=True, default=Offer.NONE,
    )
    position = models.PositiveIntegerField(
        default=100, help_text="Rules with lower numbers are shown first."
    )
    is_active = models.BooleanField(default=True, help_text="Untick to stop using this rule.")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        for field, _answer, choices, _question in CONDITIONS:
            values = getattr(self, field)
            if not isinstance(values, list) or not all(value in choices.values for value in values):
                errors[field] = f"Choose from: {', '.join(choices.values)}"
            elif len(set(values)) != len(values):
                errors[field] = "Choose each answer once"
        if errors:
            raise ValidationError(errors)

    def matches(self, answers: dict[str, str]) -> bool:
        """Whether every condition accepts the given answers (missing = not asked)."""
        for field, answer, _choices, _question in CONDITIONS:
            wanted = getattr(self, field)
            if wanted and answers.get(answer) not in wanted:
                return False
        return True


class RoutingRuleContact(models.Model):
    """One contact of a routing rule, in the order the rule lists them."""

    rule = models.ForeignKey(RoutingRule, on_delete=models.CASCADE, related_name="rule_contacts")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rule", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "contact"], name="routing_rule_contact_once"),
            models.UniqueConstraint(fields=["rule", "position"], name="routing_rule_position_once"),
        ]

    def __str__(self):
        return f"{self.rule} – {self.contact}"
