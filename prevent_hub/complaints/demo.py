"""Demo complaints, one for every scope and status a complaint can have,
with one overdue for acknowledgement, one overdue for a response and one
extended. Every complainant is invented and obviously so; the story of each
is made through the services, as the complainant's, the complaints
officer's and the investigating officer's clicks would.

No email goes out while the demo loads (core.demo.demo_loading), so the
online complaints are acknowledged here as the background task would."""

import datetime

from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.audit.context import acting_as
from prevent_hub.channel.models import ChannelCase
from prevent_hub.core.working_days import WorkingCalendar

from . import services
from .models import Finding, LetterKind, Scope


def _user(local):
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _answers(name, *, organisation_kind="council", organisation_name="", what, outcome, email=True,
             organisation_consent="given", stacu_consent="refused", relationship="parent_or_carer",
             relationship_other="", affected="", adjustments=""):
    local = name.lower().replace(" ", ".").replace("-", ".")
    return {
        "complainant_name": name, "relationship": relationship, "relationship_other": relationship_other,
        "affected_person_name": affected,
        "contact_preference": "email" if email else "post",
        "email": f"{local}@example.org" if email else "",
        "address": "" if email else "7 Fictional Close, Shireford, SF2 7XX",
        "adjustments": adjustments, "what_happened": what,
        "happened_on": timezone.localdate() - datetime.timedelta(days=40),
        "organisation_kind": organisation_kind, "organisation_name": organisation_name,
        "outcome_wanted": outcome,
        "organisation_consent": organisation_consent, "stacu_consent": stacu_consent,
    }


def _received(answers, *, working_days_ago=0, officer=None, calendar):
    """A complaint received `working_days_ago` working days ago: online if
    today (acknowledged by email as the task would), by email or post
    otherwise, recorded by the complaints officer."""
    if working_days_ago == 0:
        complaint = services.complaint_submit(answers=answers)
        services.acknowledgement_record_sent(complaint_id=complaint.pk)
        return complaint
    received_on = calendar.nth_working_day_back(timezone.localdate(), working_days_ago + 1)
    return services.complaint_submit(answers=answers, acting_user=officer, received_on=received_on,
                                     source="email" if answers["email"] else "post")


def _acknowledged(complaint, officer):
    subject, body = services.response_draft(complaint, LetterKind.ACKNOWLEDGEMENT, officer=officer)
    services.complaint_acknowledge(complaint=complaint, subject=subject, body=body, acting_user=officer)


def _investigated(complaint, officer, investigator, points, *, findings=()):
    complaint = services.complaint_triage(complaint=complaint, scope=Scope.BY_US, category="referral",
                                          reasons="", acting_user=officer)
    complaint = services.investigator_assign(complaint=complaint, investigator=investigator,
                                             acting_user=officer)
    added = [services.point_add(complaint=complaint, summary=summary, acting_user=officer)
             for summary in points]
    services.note_add(complaint=complaint, text="Read the referral record and the emails to the family. "
                      "Asked the Prevent team for their notes of the first visit.", acting_user=investigator)
    for point, (finding, reasons) in zip(added, findings, strict=False):
        services.finding_record(point=point, finding=finding, reasons=reasons, acting_user=investigator)
    return complaint


def load():
    officer, investigator = _user("complaints"), _user("investigator")
    calendar = WorkingCalendar.load()
    case = ChannelCase.objects.select_related("referral").order_by("opened_at", "pk").first()
    with acting_as(officer):
        # Received today online: awaiting triage.
        _received(_answers(
            "Morgan Example-Parent", organisation_kind="school", organisation_name="Millbrook Academy (demo)",
            what="My daughter's teacher asked her about her beliefs in front of the class after a lesson "
                 "on current affairs, and said she would have to report it.",
            outcome="For the school to explain what it did and to apologise to my daughter.",
            affected="Riley Example-Parent", adjustments="Please phone after 4pm: I work nights."),
            calendar=calendar)

        # Received by post six working days ago and not yet acknowledged: overdue.
        _received(_answers(
            "Jordan Example-Resident", what="The council's Prevent officer came to our community centre "
            "and handed out leaflets that singled out our mosque.", outcome="An apology to the centre.",
            email=False, relationship="other", relationship_other="Chair of the community centre",
            stacu_consent="given"), working_days_ago=6, officer=officer,
            calendar=calendar)

        # About a school: the complainant agreed to it being passed on; awaiting that.
        waiting = _received(_answers(
            "Casey Example-Carer", organisation_kind="school", organisation_name="Millbrook Academy (demo)",
            what="The school made a referral about my foster son without telling his social worker.",
            outcome="To know why the social worker was not told.", affected="Kit Example-Carer"),
            working_days_ago=2, officer=officer, calendar=calendar)
        _acknowledged(waiting, officer)
        services.complaint_triage(complaint=waiting, scope=Scope.BY_OTHER, category="information_sharing",
                                  reasons="It is about how the school applied the duty, not the council.",
                                  acting_user=officer)

        # About the police, passed on with consent.
        passed = _received(_answers(
            "Avery Example-Student", organisation_kind="police", organisation_name="Shireford Police (demo)",
            what="Officers visited my home about a post I shared and did not explain why.",
            outcome="An explanation.", relationship="self"), working_days_ago=8, officer=officer,
            calendar=calendar)
        services.complaint_triage(complaint=passed, scope=Scope.BY_OTHER, category="staff_conduct",
                                  reasons="It is about how the police applied the duty.", acting_user=officer)
        subject, body = services.response_draft(passed, LetterKind.PASSED_ON, officer=officer)
        services.complaint_pass_on(
            complaint=passed, recipient_name="Professional Standards, Shireford Police (demo)",
            method="Secure email to the professional standards department", shared_on=timezone.localdate(),
            subject=subject, body=body, acting_user=officer)

        # About Prevent policy itself: signposted.
        policy = _received(_answers(
            "Quinn Example-Campaigner", what="Prevent should not apply to nurseries at all.",
            outcome="The duty to be withdrawn from early years settings.", relationship="other",
            relationship_other="Member of the public"),
            working_days_ago=12, officer=officer, calendar=calendar)
        services.complaint_triage(complaint=policy, scope=Scope.POLICY, category="other",
                                  reasons="It asks for the law to change, which neither the council nor "
                                          "StaCU can do.", acting_user=officer)
        subject, body = services.response_draft(policy, LetterKind.SIGNPOSTED, officer=officer)
        services.complaint_signpost(complaint=policy, subject=subject, body=body, acting_user=officer)

        # About us, under investigation, linked to a Channel case, extended
        # with a holding letter.
        extended = _received(_answers(
            "Sam Example-Guardian", what="We were not told what the Channel panel decided about my nephew, "
                                         "or why.", outcome="To see the reasons and be kept informed.",
            relationship="family", affected="Ash Example-Guardian", stacu_consent="given"),
            working_days_ago=15, officer=officer, calendar=calendar)
        _acknowledged(extended, officer)
        extended = _investigated(extended, officer, investigator, [
            "The family were not told the panel's decision.",
            "Nobody explained what Channel support would involve."],
            findings=[(Finding.UPHELD, "The letter after the panel was not sent.")])
        if case is not None:
            services.complaint_link(complaint=extended, reference=case.reference, acting_user=officer)
        new_date = calendar.add_working_days(extended.respond_by, 10)
        services.complaint_extend(
            complaint=extended, new_date=new_date,
            reason="We are waiting for the panel chair, who is on leave, to give an account of the meeting.",
            subject=f"Your complaint {extended.reference}: we need more time",
            body="We need more time to finish looking into your complaint.", acting_user=officer)

        # About us, under investigation and past its response date.
        late = _received(_answers(
            "Drew Example-Teacher", relationship="professional", outcome="Better training.",
            what="The Prevent team's training for our staff was out of date and confusing."),
            working_days_ago=23, officer=officer, calendar=calendar)
        _acknowledged(late, officer)
        _investigated(late, officer, investigator, ["The training used out-of-date material."])

        # About us, investigated and answered within the deadline.
        answered = _received(_answers(
            "Robin Example-Neighbour", affected="Jess Example-Neighbour",
            what="The Prevent officer discussed my son's referral with a neighbour.",
            outcome="An apology and an assurance it will not happen again."),
            working_days_ago=14, officer=officer, calendar=calendar)
        _acknowledged(answered, officer)
        answered = _investigated(answered, officer, investigator, [
            "The officer discussed the referral with a neighbour.",
            "The council did not reply to the first email about it."],
            findings=[(Finding.PARTLY_UPHELD, "The officer asked the neighbour for the family's address, "
                       "which told them a visit was planned; nothing about the referral was said."),
                      (Finding.UPHELD, "The first email was not answered for three weeks.")])
        services.conclusions_record(
            complaint=answered, remedy="A written apology, and the officer's manager has spoken to them.",
            lessons_learnt="Officers will not ask neighbours for addresses; emails are answered within five "
                           "working days.", acting_user=investigator)
        answered.refresh_from_db()
        subject, body = services.response_draft(answered, LetterKind.RESPONSE, officer=officer)
        services.response_send(complaint=answered, subject=subject, body=body, acting_user=officer)

        # Withdrawn by the complainant.
        withdrawn = _received(_answers(
            "Lee Example-Cousin", what="A youth worker made a referral about my cousin.",
            outcome="For the referral to be withdrawn.", relationship="family",
            organisation_consent="refused"),
            working_days_ago=5, officer=officer, calendar=calendar)
        services.complaint_withdraw(complaint=withdrawn, reasons="Told us by telephone that the matter was "
                                    "resolved with the youth service.", acting_user=officer)
