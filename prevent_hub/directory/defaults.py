"""The contact directory as first installed.

National numbers and addresses were taken from public sources; the county's own
teams are fictional (Ofcom drama numbers 01632 960xxx and `.example` addresses)
until a council replaces them. `last_checked` is left empty so the directory
screen shows every entry as needing a check before going live.
"""

DEFAULT_CONTACTS = [
    {
        "key": "emergency",
        "name": "Emergency services",
        "who_for": "Anyone, when someone is in immediate danger or a crime is happening now.",
        "phone": "999",
        "phone_note": "If you cannot speak, stay on the line and follow the operator's instructions.",
        "hours": "24 hours a day, every day",
    },
    {
        "key": "anti-terrorist-hotline",
        "name": "Anti-Terrorist Hotline",
        "who_for": (
            "Anyone with information about suspicious activity or behaviour that could be "
            "linked to terrorism. You can stay anonymous."
        ),
        "phone": "0800 789 321",
        "phone_note": "Free to call.",
        "web_address": "https://act.campaign.gov.uk/",
        "web_label": "Report suspicious activity online (ACT)",
        "hours": "24 hours a day, every day",
    },
    {
        "key": "report-online-material",
        "name": "Report online terrorist or extremist material",
        "who_for": (
            "Anyone who comes across material online that promotes terrorism or extremism, "
            "such as videos, posts or websites. You can report anonymously."
        ),
        "web_address": "https://www.gov.uk/report-terrorism",
        "web_label": "Report online material",
    },
    {
        "key": "act-early",
        "name": "ACT Early support line",
        "who_for": (
            "Family and friends who are worried that someone close to them is being drawn "
            "into extremism. Specially trained officers listen and give advice in confidence."
        ),
        "phone": "0800 011 3764",
        "phone_note": "Free to call.",
        "web_address": "https://actearly.uk/",
        "web_label": "ACT Early advice for family and friends",
        "hours": "9am to 5pm, every day",
    },
    {
        "key": "police-non-emergency",
        "name": "Shireford Police (non-emergency)",
        "who_for": "Anyone who wants to tell the police about a concern that is not an emergency.",
        "phone": "101",
        "web_address": "https://www.shireford-police.example/report",
        "web_label": "Report to Shireford Police online",
        "hours": "24 hours a day, every day",
    },
    {
        "key": "childrens-duty",
        "name": "First Response Children's Duty",
        "who_for": (
            "Anyone worried that a child or young person under 18 in the county is at risk of "
            "harm, including being exploited or drawn into extremism."
        ),
        "phone": "01632 960 101",
        "email": "firstresponse@shireford.example",
        "hours": "Monday to Friday, 8:30am to 5pm. At other times call the Emergency Duty Team.",
    },
    {
        "key": "emergency-duty-team",
        "name": "Emergency Duty Team (social care out of hours)",
        "who_for": (
            "Urgent worries about a child or an adult at risk when First Response or Adult "
            "Social Care are closed."
        ),
        "phone": "01632 960 199",
        "hours": "Evenings, weekends and bank holidays",
    },
    {
        "key": "adult-social-care",
        "name": "Adult Social Care",
        "who_for": (
            "Anyone worried that an adult with care and support needs is at risk of abuse or "
            "exploitation, including radicalisation."
        ),
        "phone": "01632 960 202",
        "email": "adults@shireford.example",
        "hours": "Monday to Friday, 8:30am to 5pm. At other times call the Emergency Duty Team.",
    },
    {
        "key": "prevent-team",
        "name": "Shireford Prevent team (Community Safety)",
        "who_for": (
            "Professionals and members of the public who want advice about a Prevent concern, "
            "training or the Channel panel. Not for emergencies."
        ),
        "phone": "01632 960 303",
        "email": "prevent@shireford.example",
        "hours": "Monday to Friday, 9am to 5pm",
    },
    {
        "key": "nspcc-helpline",
        "name": "NSPCC helpline",
        "who_for": (
            "Parents, carers and other adults who want advice about a child, including how to "
            "talk to children about extremism and terrorism."
        ),
        "phone": "0808 800 5000",
        "phone_note": "Free to call.",
        "web_address": "https://www.nspcc.org.uk/",
        "web_label": "NSPCC website",
        "hours": "24 hours a day, every day",
    },
    {
        "key": "lets-talk-about-it",
        "name": "Let's Talk About It",
        "who_for": "Anyone who wants to understand online radicalisation and how Prevent works.",
        "web_address": "https://www.ltai.info/",
        "web_label": "Let's Talk About It website",
    },
    {
        "key": "stacu",
        "name": "Prevent Standards and Compliance Unit (StaCU)",
        "who_for": (
            "Anyone, including practitioners, who wants to complain about how the Prevent duty "
            "was applied, or about Prevent training. Not for complaints about Prevent policy."
        ),
        "web_address": "https://www.gov.uk/guidance/make-a-complaint-about-prevent",
        "web_label": "Make a complaint about how Prevent was applied",
    },
    {
        "key": "independent-prevent-commissioner",
        "name": "Office of the Independent Prevent Commissioner",
        "who_for": (
            "Anyone who wants to report a concern about how a public authority applied its "
            "Prevent duties. Concerns are recorded and used to look for patterns."
        ),
        "web_address": "https://www.gov.uk/guidance/report-a-concern-about-prevent",
        "web_label": "Report a concern about how Prevent was applied",
    },
    {
        "key": "council-complaints",
        "name": "Council complaints team",
        "who_for": "Anyone who wants to complain about a council service, including ours.",
        "phone": "01632 960 404",
        "email": "complaints@shireford.example",
        "hours": "Monday to Friday, 9am to 5pm",
    },
    {
        "key": "data-protection-officer",
        "name": "Data Protection Officer",
        "who_for": (
            "Anyone who wants a copy of the information we hold about them, or to correct or "
            "object to how it is used."
        ),
        "email": "dpo@shireford.example",
    },
    {
        "key": "venue-bookings",
        "name": "Council venue bookings",
        "who_for": "Anyone who wants to hire a council room, hall or outdoor space for an event.",
        "phone": "01632 960 505",
        "email": "bookings@shireford.example",
        "hours": "Monday to Friday, 9am to 5pm",
    },
    {
        "key": "prevent-training",
        "name": "Home Office Prevent e-learning",
        "who_for": (
            "Anyone who works with the public and wants free training on Prevent awareness, "
            "making a referral or Channel."
        ),
        "web_address": "https://www.support-people-vulnerable-to-radicalisation.service.gov.uk/",
        "web_label": "Prevent duty training",
    },
    {
        "key": "safeguarding-children-partnership",
        "name": "Shireford Safeguarding Children Partnership",
        "who_for": (
            "Schools, early years settings and other practitioners looking for local "
            "multi-agency procedures on children and radicalisation."
        ),
        "web_address": "https://www.shireford-safeguarding.example/children",
        "web_label": "Safeguarding children procedures",
    },
    {
        "key": "safeguarding-adults-board",
        "name": "Shireford Safeguarding Adults Board",
        "who_for": "Practitioners looking for local multi-agency procedures on adults and radicalisation.",
        "web_address": "https://www.shireford-safeguarding.example/adults",
        "web_label": "Safeguarding adults procedures",
    },
    # Added for the public information pages (migration 0003).
    {
        "key": "prevent-referral-form",
        "name": "Prevent referral form (national form, Shireford route)",
        "who_for": (
            "Professionals who have checked a concern with their Designated Safeguarding Lead "
            "or Prevent lead. The completed form goes to counter-terrorism police and the "
            "council's Prevent team."
        ),
        "web_address": "https://www.shireford.example/prevent/referral-form",
        "web_label": "Get the national Prevent referral form",
        "email": "prevent.referrals@shireford.example",
    },
    {
        "key": "prevent-duty-guidance",
        "name": "Prevent duty guidance (GOV.UK)",
        "who_for": (
            "Organisations covered by the Prevent duty that want the statutory guidance "
            "on what the duty asks of them."
        ),
        "web_address": "https://www.gov.uk/government/publications/prevent-duty-guidance",
        "web_label": "Prevent duty guidance",
    },
    {
        "key": "channel-guidance",
        "name": "Channel duty guidance (GOV.UK)",
        "who_for": "Anyone who wants the full statutory guidance on how Channel panels work.",
        "web_address": (
            "https://www.gov.uk/government/publications/"
            "channel-and-prevent-multi-agency-panel-pmap-guidance"
        ),
        "web_label": "Channel duty guidance",
    },
    {
        "key": "keeping-children-safe-in-education",
        "name": "Keeping children safe in education (GOV.UK)",
        "who_for": "Schools and colleges: statutory guidance on safeguarding children.",
        "web_address": (
            "https://www.gov.uk/government/publications/keeping-children-safe-in-education--2"
        ),
        "web_label": "Keeping children safe in education",
    },
    {
        "key": "working-together",
        "name": "Working together to safeguard children (GOV.UK)",
        "who_for": (
            "Everyone who works with children: statutory guidance on how organisations work "
            "together to keep children safe."
        ),
        "web_address": (
            "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"
        ),
        "web_label": "Working together to safeguard children",
    },
    {
        "key": "ico",
        "name": "Information Commissioner's Office (ICO)",
        "who_for": (
            "Anyone who is unhappy with how the council has handled their personal information "
            "and has not been able to sort it out with us."
        ),
        "phone": "0303 123 1113",
        "web_address": "https://ico.org.uk/make-a-complaint/",
        "web_label": "Make a complaint to the ICO",
    },
    {
        "key": "eass",
        "name": "Equality Advisory and Support Service (EASS)",
        "who_for": (
            "Anyone who is not happy with how we responded to a complaint about the "
            "accessibility of this website."
        ),
        "phone": "0808 800 0082",
        "web_address": "https://www.equalityadvisoryservice.com/",
        "web_label": "Equality Advisory and Support Service website",
    },
    {
        "key": "lgsco",
        "name": "Local Government and Social Care Ombudsman",
        "who_for": (
            "Anyone who has been through the council's complaints process and is still "
            "unhappy with the outcome."
        ),
        "phone": "0300 061 0614",
        "web_address": "https://www.lgo.org.uk/",
        "web_label": "Local Government and Social Care Ombudsman website",
    },
]
