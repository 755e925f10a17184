"""Roles: what people do in the Prevent and Channel process. They belong to
the access rules (which say what each may do); accounts assign them to users.
Kept apart from any model so the rules can import them while Django is still
loading apps."""

from django.db import models


class Role(models.TextChoices):
    """What a person does in the Prevent and Channel process. A user may hold
    several; what each allows is in prevent_hub.access.policy."""

    PREVENT_COORDINATOR = "prevent_coordinator", "Prevent coordinator"
    CHANNEL_CHAIR = "channel_chair", "Channel panel chair"
    POLICE_PRACTITIONER = "police_practitioner", "Police practitioner"
    PANEL_MEMBER = "panel_member", "Panel member"
    INTERVENTION_PROVIDER = "intervention_provider", "Intervention provider"
    VENUE_BOOKING_OFFICER = "venue_booking_officer", "Venue booking officer"
    COMPLAINTS_OFFICER = "complaints_officer", "Complaints officer"
    INVESTIGATING_OFFICER = "investigating_officer", "Investigating officer"
    TRAINING_ADMINISTRATOR = "training_administrator", "Training administrator"
    TRAINING_LEAD = "training_lead", "Organisation's training lead"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"
    AUDITOR = "auditor", "Auditor"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
