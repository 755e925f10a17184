"""Panels, their standing members, meetings, people invited for one item,
attendance and meeting notices. Agenda building is in panels.agenda,
decisions in panels.decisions, minutes in panels.minutes.

Every write: keyword-only arguments, `acting_user=`, one transaction, its
audit event inside it, emails after commit.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.channel.models import Area
from prevent_hub.core.formatting import govuk_date, govuk_time
from prevent_hub.core.names import neutralise_bidi

from . import ics
from .models import (
    AgendaItem,
    Attendance,
    ItemInvitee,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Panel,
    PanelMeeting,
    PanelMember,
)

# Roles whose holders can sit on a panel as standing members.
MEMBER_ROLES = (Role.PANEL_MEMBER, Role.POLICE_PRACTITIONER, Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR)


def _raise(errors):
    if errors:
        raise ValidationError(errors)


def _text(value) -> str:
    """Typed text, trimmed, without controls that reorder how it shows."""
    return neutralise_bidi((value or "").strip())


def _max(errors, field, value, limit, what):
    if len(value) > limit:
        errors[field] = f"{what} must be {limit:,} characters or fewer"


# Panels ----------------------------------------------------------------------------


def _chair_error(user, what: str) -> str:
    if not (user.is_active and user.has_role(Role.CHANNEL_CHAIR)):
        return f"{user.full_name} does not have the Channel panel chair role, so cannot be {what}"
    return ""


def _panel_errors(*, name: str, area: str, chair, deputy_chairs, panel: Panel | None) -> dict:
    errors = {}
    if not name:
        errors["name"] = "Enter the panel's name"
    _max(errors, "name", name, 200, "The name")
    if not area:
        errors["area"] = "Enter the area the panel serves"
    _max(errors, "area", area, 100, "The area")
    if chair is None:
        errors["chair"] = "Select the chair"
    elif error := _chair_error(chair, "its chair"):
        errors["chair"] = error
    for deputy in deputy_chairs:
        if deputy == chair:
            errors["deputy_chairs"] = f"{deputy.full_name} is the chair: choose someone else as deputy"
        elif error := _chair_error(deputy, "a deputy chair"):
            errors["deputy_chairs"] = error
    others = Panel.objects.exclude(pk=panel.pk) if panel else Panel.objects.all()
    if name and others.filter(name__iexact=name).exists():
        errors["name"] = "There is already a panel with this name"
    if area and others.filter(area__name__iexact=area).exists():
        errors["area"] = "There is already a panel for this area"
    elif area and panel and Area.objects.exclude(pk=panel.area_id).filter(name__iexact=area).exists():
        errors["area"] = "There is already an area with this name"
    return errors


def panel_create(*, name: str, area: str, chair, deputy_chairs=(), acting_user) -> Panel:
    """A panel for an area, chaired by someone with the Channel panel chair
    role. The area is new reference data, or an area no panel serves yet."""
    name, area, deputy_chairs = _text(name), _text(area), list(deputy_chairs)
    _raise(_panel_errors(name=name, area=area, chair=chair, deputy_chairs=deputy_chairs, panel=None))
    try:
        with transaction.atomic():
            served, created = Area.objects.get_or_create(name__iexact=area, defaults={"name": area})
            if not created and not served.is_active:
                served.is_active = True
                served.save(update_fields=["is_active"])
            panel = Panel.objects.create(name=name, area=served, chair=chair, created_at=timezone.now(),
                                         created_by=acting_user)
            panel.deputy_chairs.set(deputy_chairs)
            if created:
                audit_event_record(action=AuditAction.CREATE, obj=served, changed_fields=["name"],
                                   actor=acting_user)
            audit_event_record(action=AuditAction.CREATE, obj=panel,
                               changed_fields=["name", "area", "chair", "deputy_chairs"], actor=acting_user)
    except IntegrityError:
        raise ValidationError({"name": "There is already a panel with this name or area"}) from None
    return panel


def panel_update(*, panel: Panel, name: str, area: str, chair, deputy_chairs, is_active: bool,
                 acting_user) -> Panel:
    """Change a panel: its name, its chair and deputy chairs, the name of the
    area it serves (the area is renamed, so its cases, meetings and police
    representatives keep it), or deactivate it. A panel with meetings still
    to come is not deactivated: they are cancelled or held first. Its area
    goes out of use with it, and comes back with it."""
    name, area, deputy_chairs = _text(name), _text(area), list(deputy_chairs)
    errors = _panel_errors(name=name, area=area, chair=chair, deputy_chairs=deputy_chairs, panel=panel)
    if not is_active and panel.is_active:
        coming = panel.meetings.filter(status=MeetingStatus.SCHEDULED).order_by("date")
        if coming.exists():
            dates = ", ".join(govuk_date(meeting.date) for meeting in coming[:3])
            errors["is_active"] = (f"Cancel or hold this panel's scheduled meetings ({dates}) before "
                                   "deactivating it")
    _raise(errors)
    try:
        with transaction.atomic():
            locked = Panel.objects.select_for_update().select_related("area").get(pk=panel.pk)
            served = locked.area
            area_changes = [field for field, changed in (("name", served.name != area),
                                                         ("is_active", served.is_active != is_active))
                            if changed]
            if area_changes:
                former = served.name
                served.name, served.is_active = area, is_active
                served.save(update_fields=area_changes)
                audit_event_record(action=AuditAction.UPDATE, obj=served, changed_fields=area_changes,
                                   details={"former_name": former} if "name" in area_changes else {},
                                   actor=acting_user)
            changed = [field for field, differs in (
                ("name", locked.name != name), ("chair", locked.chair_id != chair.pk),
                ("is_active", locked.is_active != is_active),
                ("deputy_chairs", set(locked.deputy_chairs.values_list("pk", flat=True))
                 != {deputy.pk for deputy in deputy_chairs})) if differs]
            locked.name, locked.chair, locked.is_active = name, chair, is_active
            locked.save(update_fields=[field for field in changed if field != "deputy_chairs"])
            if "deputy_chairs" in changed:
                locked.deputy_chairs.set(deputy_chairs)
            if changed or area_changes:
                audit_event_record(action=AuditAction.UPDATE, obj=locked,
                                   changed_fields=changed + (["area"] if "name" in area_changes else []),
                                   actor=acting_user)
    except IntegrityError:
        raise ValidationError({"name": "There is already a panel with this name or area"}) from None
    return locked


def panel_member_add(*, panel: Panel, user, acting_user) -> PanelMember:
    """A standing member: invited to every meeting of the panel from now on."""
    if user is None:
        raise ValidationError({"user": "Select the person to add"})
    if not (user.is_active and user.has_role(*MEMBER_ROLES)):
        raise ValidationError({"user": f"{user.full_name} has no role that can sit on a Channel panel "
                                       "(panel member, police practitioner, Prevent coordinator or chair)"})
    with transaction.atomic():
        Panel.objects.select_for_update().only("pk").get(pk=panel.pk)
        if PanelMember.objects.filter(panel=panel, user=user, removed_at__isnull=True).exists():
            raise ValidationError({"user": f"{user.full_name} is already a member of this panel"})
        member = PanelMember.objects.create(panel=panel, user=user, added_at=timezone.now(),
                                            added_by=acting_user)
        audit_event_record(action=AuditAction.CREATE, obj=member, changed_fields=["panel", "user"],
                           details={"panel": panel.pk, "user": user.pk}, actor=acting_user)
    return member


def panel_member_remove(*, member: PanelMember, acting_user) -> PanelMember:
    """No longer a standing member: they stop seeing the panel's meetings and
    the cases on its agendas at once. The row stays as the record."""
    with transaction.atomic():
        locked = PanelMember.objects.select_for_update().get(pk=member.pk)
        if locked.removed_at is None:
            locked.removed_at, locked.removed_by = timezone.now(), acting_user
            locked.save(update_fields=["removed_at", "removed_by"])
            audit_event_record(action=AuditAction.UPDATE, obj=locked, changed_fields=["removed_at"],
                               details={"panel": locked.panel_id, "user": locked.user_id}, actor=acting_user)
    return locked


# Meetings ----------------------------------------------------------------------------


def meeting_schedule(*, panel: Panel, date: datetime.date | None, start_time: datetime.time | None,
                     location: str = "", online_link: str = "", acting_user) -> PanelMeeting:
    """Schedule a meeting of `panel`, with a place, an online link or both.
    Its minutes start as an empty draft."""
    location, online_link = _text(location), _text(online_link)
    errors = {}
    if panel is None or not panel.is_active:
        errors["panel"] = "Select the panel"
    if date is None:
        errors["date"] = "Enter the date of the meeting"
    elif date < timezone.localdate() - datetime.timedelta(days=365):
        errors["date"] = "The date of the meeting must be within the last year or in the future"
    if start_time is None:
        errors["start_time"] = "Enter the time the meeting starts"
    if not location and not online_link:
        errors["location"] = "Enter where the meeting is, an online link, or both"
    _max(errors, "location", location, 300, "The place")
    if online_link:
        try:
            URLValidator(schemes=["https"])(online_link)
        except ValidationError:
            errors["online_link"] = "Enter the online link as a web address starting https://"
        _max(errors, "online_link", online_link, 500, "The online link")
    _raise(errors)
    with transaction.atomic():
        now = timezone.now()
        meeting = PanelMeeting.objects.create(
            panel=panel, date=date, start_time=start_time, location=location, online_link=online_link,
            created_at=now, created_by=acting_user)
        Minutes.objects.create(meeting=meeting, updated_at=now, updated_by=acting_user)
        audit_event_record(action=AuditAction.CREATE, obj=meeting,
                           changed_fields=["panel", "date", "start_time", "location", "online_link"],
                           actor=acting_user)
    return meeting


def meeting_lock(meeting: PanelMeeting) -> PanelMeeting:
    """The meeting row, locked, for a change to it or its agenda."""
    # Only the meeting row: PostgreSQL cannot lock the nullable side of the join to its minutes.
    return (PanelMeeting.objects.select_for_update(of=("self",)).select_related("panel", "minutes")
            .get(pk=meeting.pk))


def meeting_refuse_if_closed(meeting: PanelMeeting, what: str = "The agenda"):
    """Cancelled meetings and meetings whose minutes are approved do not change."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(f"This meeting was cancelled. {what} cannot be changed", code="cancelled")
    if meeting.minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(f"The minutes of this meeting are approved. {what} cannot be changed",
                              code="approved")


def meeting_cancel(*, meeting: PanelMeeting, reasons: str, acting_user) -> PanelMeeting:
    """Cancel a meeting with nothing decided at it. Its cases return to the
    next agenda built; members stop seeing them through this meeting. If its
    notice went out, everyone who got it is told (after commit), with a
    calendar cancellation that takes the entry out of their calendars; the
    email does not give the reasons, which may be about a case."""
    reasons = _text(reasons)
    if not reasons:
        raise ValidationError({"reasons": "Enter why the meeting is cancelled"})
    with transaction.atomic():
        locked = meeting_lock(meeting)
        meeting_refuse_if_closed(locked, "The meeting")
        if locked.items.exclude(decision="").exists():
            raise ValidationError("Decisions have been recorded at this meeting, so it cannot be cancelled",
                                  code="decided")
        recipients = notice_recipients(locked) if locked.notice_sent_at else []
        locked.status, locked.cancelled_reason = MeetingStatus.CANCELLED, reasons
        locked.save(update_fields=["status", "cancelled_reason"])
        audit_event_record(action=AuditAction.UPDATE, obj=locked,
                           changed_fields=["status", "cancelled_reason"],
                           details={"recipients": len(recipients)}, actor=acting_user)
        if recipients:
            _emails_on_commit(locked, recipients, template="cancelled", cancelled=True)
    return locked


# People invited for one item ----------------------------------------------------------


def item_invitee_add(*, item: AgendaItem, user=None, name: str = "", organisation_name: str = "",
                     email: str = "", acting_user) -> ItemInvitee:
    """Invite someone for one item only (the referrer, a social worker...).
    With an account, their name, organisation and email come from it."""
    errors = {}
    if user is not None:
        if not user.is_active:
            errors["user"] = f"{user.full_name}'s account is deactivated"
        name, email = user.full_name, user.email
        organisation_name = user.organisation.name if user.organisation_id else organisation_name
    name, organisation_name, email = _text(name), _text(organisation_name), _text(email)
    if not name:
        errors["name"] = "Enter the name of the person invited"
    _max(errors, "name", name, 150, "The name")
    if not organisation_name:
        errors["organisation_name"] = "Enter the organisation they are from"
    _max(errors, "organisation_name", organisation_name, 200, "The organisation")
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.gov.uk"
    _raise(errors)
    with transaction.atomic():
        meeting = meeting_lock(item.meeting)
        meeting_refuse_if_closed(meeting, "Invitations")
        if user is not None and ItemInvitee.objects.filter(item=item, user=user).exists():
            raise ValidationError({"user": f"{name} is already invited for this item"})
        invitee = ItemInvitee.objects.create(item=item, user=user, name=name,
                                             organisation_name=organisation_name, email=email,
                                             invited_at=timezone.now(), invited_by=acting_user)
        audit_event_record(action=AuditAction.CREATE, obj=invitee,
                           changed_fields=["item", "user", "name", "organisation_name", "email"],
                           details={"meeting": meeting.pk, "case": item.case_id}, actor=acting_user)
    return invitee


# Attendance -------------------------------------------------------------------------


def _police_area_error(organisation_type, police_area):
    if organisation_type == OrganisationType.POLICE:
        if police_area is None:
            return "Select the area this police representative represents"
        if not police_area.is_active:
            return "Select one of the areas the panels serve"
    return ""


def attendance_record(*, meeting: PanelMeeting, user=None, name: str = "", organisation=None,
                      organisation_name: str = "", organisation_type: str = "",
                      police_area: Area | None = None, item: AgendaItem | None = None,
                      apologies: bool = False, deputy_for: Attendance | None = None,
                      acting_user) -> Attendance:
    """Record someone as present, for the whole meeting or (`item`) one
    item, for an organisation, or (`apologies`) as having sent apologies.
    Police representatives say which area they represent (by default, the
    panel's). Someone present may be deputising for (`deputy_for`) someone
    who sent apologies."""
    errors = {}
    if user is not None:
        name = user.full_name
        organisation = user.organisation if user.organisation_id else organisation
    if organisation is not None:
        organisation_name, organisation_type = organisation.name, organisation.type
    name, organisation_name = _text(name), _text(organisation_name)
    if organisation_type == OrganisationType.POLICE and police_area is None:
        police_area = meeting.panel.area
    if not name:
        errors["name"] = "Enter the name of the person who attended"
    _max(errors, "name", name, 150, "The name")
    if not organisation_name:
        errors["organisation_name"] = "Enter the organisation they attended for"
    _max(errors, "organisation_name", organisation_name, 200, "The organisation")
    if organisation_type not in OrganisationType.values:
        errors["organisation_type"] = "Select the type of organisation"
    elif error := _police_area_error(organisation_type, police_area):
        errors["police_area"] = error
    if organisation_type != OrganisationType.POLICE:
        police_area = None
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = "Select an item on this meeting's agenda"
    if deputy_for is not None:
        if apologies:
            errors["deputy_for"] = "Someone who sent apologies cannot deputise for anyone"
        elif deputy_for.meeting_id != meeting.pk or not deputy_for.apologies:
            errors["deputy_for"] = "Select someone who sent apologies for this meeting"
    _raise(errors)
    with transaction.atomic():
        locked = meeting_lock(meeting)
        meeting_refuse_if_closed(locked, "Attendance")
        if user is not None and Attendance.objects.filter(meeting=locked, user=user, item=item).exists():
            raise ValidationError({"user": f"{name} is already on the attendance"})
        attendance = Attendance.objects.create(
            meeting=locked, user=user, name=name, organisation=organisation,
            organisation_name=organisation_name, organisation_type=organisation_type,
            police_area=police_area, item=item, apologies=apologies, deputy_for=deputy_for,
            recorded_at=timezone.now(), recorded_by=acting_user)
        audit_event_record(action=AuditAction.CREATE, obj=attendance,
                           changed_fields=["name", "organisation_name", "organisation_type", "police_area",
                                           "item", "apologies", "deputy_for"],
                           details={"meeting": locked.pk}, actor=acting_user)
    return attendance


def attendance_ticks_save(*, meeting: PanelMeeting, expected, present: set[int], apologies: set[int],
                          acting_user) -> None:
    """Make the `expected` people's whole-meeting rows what the attendance
    page's ticks say: present (user ids in `present`), apologies (in
    `apologies`) or neither. A change of mind replaces the row, so each
    row's audit event says what was recorded. All or nothing."""
    wanted = dict.fromkeys(present, False) | dict.fromkeys(apologies, True)
    with transaction.atomic():
        current = {row.user_id: row for row in Attendance.objects.filter(
            meeting=meeting, item__isnull=True, user__in=[user.pk for user in expected])}
        for user in expected:
            row = current.get(user.pk)
            if row is not None and wanted.get(user.pk) != row.apologies:
                attendance_remove(attendance=row, acting_user=acting_user)
                row = None
            if row is None and user.pk in wanted:
                attendance_record(meeting=meeting, user=user, apologies=wanted[user.pk],
                                  acting_user=acting_user)


def attendance_remove(*, attendance: Attendance, acting_user) -> None:
    """Take someone off the attendance (recorded in error). Not once a
    decision relied on them: then the record stands."""
    with transaction.atomic():
        locked = meeting_lock(attendance.meeting)
        meeting_refuse_if_closed(locked, "Attendance")
        decided = locked.items.exclude(decision="").exists()
        if attendance.organisation_type == OrganisationType.POLICE and not attendance.apologies and decided:
            raise ValidationError("Decisions have been recorded with this police representative present, so "
                                  "they cannot be taken off the attendance", code="relied_on")
        audit_event_record(action=AuditAction.DELETE, obj=attendance,
                           changed_fields=["name", "organisation_name"], details={"meeting": locked.pk},
                           actor=acting_user)
        attendance.delete()


# Meeting notices ------------------------------------------------------------------------


def notice_recipients(meeting: PanelMeeting) -> list[dict]:
    """Who gets the notice and agenda: the chair and standing members (every
    item), and people invited for one item (that item only)."""
    items = list(meeting.items.select_related("case").order_by("position", "pk"))
    chair = meeting.panel.chair
    everyone = {chair.email: {"name": chair.full_name, "items": items}} if chair.is_active else {}
    members = meeting.panel.members.filter(removed_at__isnull=True, user__is_active=True)
    for member in members.select_related("user"):
        everyone[member.user.email] = {"name": member.user.full_name, "items": items}
    by_item = {item.pk: item for item in items}
    for invitee in ItemInvitee.objects.filter(item__meeting=meeting).select_related("user"):
        # An account's current address; none once it is deactivated (the address
        # copied at invitation is theirs, and they no longer see the case).
        email = invitee.email if not invitee.user_id else invitee.user.email if invitee.user.is_active else ""
        if not email:
            continue
        entry = everyone.setdefault(email, {"name": invitee.name, "items": []})
        if by_item[invitee.item_id] not in entry["items"]:
            entry["items"].append(by_item[invitee.item_id])
    return [{"email": email, **entry} for email, entry in sorted(everyone.items())]


def meeting_notice_send(*, meeting: PanelMeeting, acting_user=None) -> int:
    """Email the meeting notice and agenda to every recipient. The email
    gives case references only (never names) and links to the agenda pack,
    which shows each person what they may see. Returns how many emails."""
    with transaction.atomic():
        locked = meeting_lock(meeting)
        if locked.status != MeetingStatus.SCHEDULED:
            raise ValidationError("Notices go out only for a scheduled meeting", code="not_scheduled")
        if locked.minutes.status == MinutesStatus.APPROVED:
            raise ValidationError("The minutes of this meeting are approved: it has been held",
                                  code="approved")
        recipients = notice_recipients(locked)
        locked.notice_sent_at = timezone.now()
        locked.save(update_fields=["notice_sent_at"])
        audit_event_record(action=AuditAction.UPDATE, obj=locked, changed_fields=["notice_sent_at"],
                           details={"recipients": len(recipients)}, actor=acting_user)
        # Everyone's calendar entry is the same: it names no case (panels.ics).
        _emails_on_commit(locked, recipients, template="notice")
    return len(recipients)


def _emails_on_commit(meeting: PanelMeeting, recipients: list[dict], *, template: str,
                      cancelled: bool = False) -> None:
    """Email each of `recipients` (notice_recipients) the `template` email
    about `meeting` with its calendar entry (or, `cancelled`, the entry's
    cancellation), once the transaction commits."""
    attachment = (ics.meeting_ics_filename(meeting), ics.meeting_ics(meeting, cancelled=cancelled),
                  "text/calendar")
    base = settings.SERVICE_BASE_URL.rstrip("/")
    context = {
        "panel": meeting.panel.name, "date": govuk_date(meeting.date), "time": govuk_time(meeting.start_time),
        "location": meeting.location, "online_link": meeting.online_link,
        "pack_link": base + reverse("panels:agenda-pack", kwargs={"pk": meeting.pk}),
        "meeting_link": base + reverse("panels:meeting", kwargs={"pk": meeting.pk}),
        "service_name": settings.SERVICE_NAME, "council_name": settings.COUNCIL_NAME,
    }
    subject = "".join(render_to_string(f"panels/emails/{template}_subject.txt", context).splitlines())
    messages = [(render_to_string(f"panels/emails/{template}.txt", {**context, **recipient}),
                 recipient["email"]) for recipient in recipients]

    def send():
        for body, email in messages:
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
            message.attach(*attachment)
            message.send()

    transaction.on_commit(send)


def meeting_notices_send_due(*, today: datetime.date | None = None) -> int:
    """The daily sweep: a scheduled meeting within PANEL_NOTICE_DAYS whose
    notice has not gone out gets it now. Returns how many meetings.

    A meeting whose agenda is still empty gets its notice too: what notice is
    for is the date and place, which people need in their diaries
    PANEL_NOTICE_DAYS ahead whatever the agenda, and holding it back could
    leave nobody told at all. Its email says the agenda is empty; the chair
    sends the notice again once cases are added (the page asks a chair who
    sends it by hand with an empty agenda to confirm)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.PANEL_NOTICE_DAYS)
    due = PanelMeeting.objects.filter(status=MeetingStatus.SCHEDULED, notice_sent_at__isnull=True,
                                      date__gte=today, date__lte=horizon).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        meeting = PanelMeeting.objects.get(pk=pk)
        if meeting.notice_sent_at is None:
            meeting_notice_send(meeting=meeting)
            sent += 1
    return sent
