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


# Routing rules for "Get help or raise a concern", as first installed (migration
# 0005). Conditions list the answers a rule applies to (see models.CONDITIONS);
# a condition left out, or empty, matches any answer. Contacts are listed by key,
# in the order they are shown. Positions go up in tens so that rules can be
# added between them.
DEFAULT_ROUTING_RULES = [
    {
        "key": "call-999",
        "position": 10,
        "title": "Call 999 now",
        "when_danger": ["yes"],
        "contacts": ["emergency"],
        "advice": (
            "Someone's life may be at risk, so call 999 straight away and ask for the police. "
            "Do not wait until you are sure. If you cannot talk, stay on the line and follow "
            "what the operator tells you.\n"
            "When everyone is safe, you can come back to these pages for advice about what to "
            "do next."
        ),
    },
    {
        "key": "report-online-material",
        "position": 20,
        "title": "Report the material online",
        "when_danger": ["no"],
        "when_online": ["yes"],
        "contacts": ["report-online-material"],
        "advice": (
            "You can report videos, posts, images or websites that promote terrorism or "
            "extremism. Trained officers look at every report and can have the material taken "
            "down. You do not have to give your name.\n"
            "Please do not share the material with anyone, even to warn them."
        ),
    },
    {
        "key": "family-act-early",
        "position": 30,
        "title": "Talk to ACT Early in confidence",
        "when_danger": ["no"],
        "when_who": ["family-or-friend"],
        "contacts": ["act-early"],
        "advice": (
            "If someone close to you is changing and you are worried they are being drawn "
            "towards extremism, you can talk it through with specially trained officers. They "
            "will listen, help you think about what to do next and explain the support on "
            "offer. Asking for advice will not get the person into trouble."
        ),
    },
    {
        "key": "public-suspicious-activity",
        "position": 40,
        "title": "Tell the police about anything suspicious",
        "when_danger": ["no"],
        "when_who": ["member-of-public"],
        "contacts": ["anti-terrorist-hotline"],
        "advice": (
            "If you have seen or heard something that could be linked to terrorism, such as "
            "someone talking about planning to hurt people or behaving in an unusual way, tell "
            "the police. Trust your instincts: they would rather hear from you and check. You "
            "can phone or report online, and you do not have to give your name."
        ),
    },
    {
        "key": "child-childrens-duty",
        "position": 50,
        "title": "Tell the council's children's team",
        "when_danger": ["no"],
        "when_who": ["family-or-friend", "member-of-public"],
        "when_age": ["child", "not-sure"],
        "contacts": ["childrens-duty", "emergency-duty-team"],
        "offer": "concern",
        "advice": (
            "If you are worried that a child or young person under 18 is being groomed, "
            "exploited or drawn into extremism, the council's children's team can help. They "
            "will listen, decide with you what needs to happen and involve the right people. "
            "If you are not sure how old the person is, contact them anyway."
        ),
    },
    {
        "key": "child-nspcc",
        "position": 60,
        "title": "Advice for parents and carers",
        "when_danger": ["no"],
        "when_who": ["family-or-friend", "member-of-public"],
        "when_age": ["child"],
        "contacts": ["nspcc-helpline"],
        "advice": (
            "If you want advice on how to talk to a child about extremism or terrorism, or you "
            "are not sure whether something is a worry, you can call the NSPCC. It is free and "
            "you do not have to give your name."
        ),
    },
    {
        "key": "adult-social-care",
        "position": 70,
        "title": "Tell Adult Social Care",
        "when_danger": ["no"],
        "when_who": ["family-or-friend", "member-of-public"],
        "when_age": ["adult", "not-sure"],
        "contacts": ["adult-social-care", "emergency-duty-team"],
        "offer": "concern",
        "advice": (
            "Some adults are more likely to be exploited, for example because of a disability, "
            "a mental health condition or what is happening in their life. If you are worried "
            "that an adult like this is being drawn into extremism, Adult Social Care will talk "
            "it through with you and make sure the right help is offered."
        ),
    },
    {
        "key": "professional-safeguarding-lead",
        "position": 80,
        "title": "Talk to your safeguarding lead, then make a referral",
        "when_danger": ["no"],
        "when_who": ["professional"],
        "contacts": ["prevent-team"],
        "offer": "referral",
        "advice": (
            "Talk to your Designated Safeguarding Lead, or whoever leads on safeguarding or "
            "Prevent where you work, as soon as you can. If you agree there is a Prevent "
            "concern, make a Prevent referral, and follow your organisation's own safeguarding "
            "procedures too.\n"
            "If you would like advice before you refer, the council's Prevent team can help."
        ),
    },
    {
        "key": "professional-child",
        "position": 90,
        "title": "If it is about a child, tell the children's team as well",
        "when_danger": ["no"],
        "when_who": ["professional"],
        "when_age": ["child", "not-sure"],
        "contacts": ["childrens-duty", "safeguarding-children-partnership"],
        "advice": (
            "When the concern is about a child or young person under 18, tell the council's "
            "children's team as well as making a Prevent referral. The local procedures explain "
            "how schools, health, police and social care work together on these concerns."
        ),
    },
    {
        "key": "professional-adult",
        "position": 100,
        "title": "If it is about an adult with care needs, tell Adult Social Care as well",
        "when_danger": ["no"],
        "when_who": ["professional"],
        "when_age": ["adult", "not-sure"],
        "contacts": ["adult-social-care", "safeguarding-adults-board"],
        "advice": (
            "If the adult has care and support needs, tell Adult Social Care as well as making "
            "a Prevent referral. The local procedures explain how agencies work together to "
            "keep adults at risk safe."
        ),
    },
]
