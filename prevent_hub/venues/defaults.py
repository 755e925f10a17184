"""What a new installation starts with: the first version of the booking
conditions and the wording of each letter. Both are data that venue booking
officers change afterwards (a new conditions version; an edited template);
migration 0002 loads these once."""

CONDITIONS_INTRODUCTION = (
    "These conditions apply to every booking of a council venue. By accepting them you agree that the "
    "council may check the information you give us, ask you for more, set conditions on your event or "
    "refuse it, and that it will give you its reasons."
)

CLAUSES = [
    ("1", "Accurate information",
     "The information you give about yourself, your organisation, your event and its speakers must be "
     "complete and accurate. Tell us straight away if anything changes."),
    ("2", "Changes to your booking",
     "Any change to the date, room, speakers or agenda of an approved booking must be approved again "
     "before the event."),
    ("3", "Lawful events",
     "Events must be lawful. They must not promote or encourage terrorism, violence or hatred, or "
     "give a platform to speakers or groups who spread extremist narratives that could reasonably be "
     "linked to terrorism."),
    ("4", "Equality",
     "Events must be run in line with the Equality Act 2010. Your organisation must have an equality "
     "policy or sign up to the council's."),
    ("5", "Safety and capacity",
     "The number of people attending must not exceed the room's capacity, and you must follow the "
     "venue's safety arrangements and any conditions set on your booking."),
    ("6", "Promotion",
     "Promotion of your event must describe it accurately and must not suggest the council supports "
     "or endorses it."),
    ("7", "Conditions and stewarding",
     "The council may set conditions on an event, for example stewarding, an independent chair, or a "
     "council officer attending, where that is needed to reduce a risk."),
    ("8", "Refusal and cancellation",
     "The council may refuse or cancel a booking if these conditions are not met, if the information "
     "given was inaccurate, or if holding the event would put people at risk. You may appeal a refusal "
     "or a condition."),
]

# $placeholders (letters.PLACEHOLDERS lists them). Every letter names the
# decision-maker, the date and the reasons, and says how to appeal where an
# appeal is possible.
LETTERS = {
    "approval": (
        "Your booking $reference is approved",
        "Dear $booker_name\n\n"
        "Your booking of $room at $venue on $event_date, $times, for \"$title\" is approved.\n\n"
        "$reasons\n\n"
        "Decided by $decided_by on $decided_on.\n\n"
        "Please remember that any change to the date, room, speakers or agenda must be approved again "
        "before the event (clause 2 of the booking conditions).\n\n"
        "Venue bookings",
    ),
    "approval_with_conditions": (
        "Your booking $reference is approved with conditions",
        "Dear $booker_name\n\n"
        "Your booking of $room at $venue on $event_date, $times, for \"$title\" is approved on these "
        "conditions:\n\n$conditions\n\n"
        "Our reasons: $reasons\n\n"
        "We relied on clause $clause of the booking conditions.\n\n"
        "Decided by $decided_by on $decided_on.\n\n"
        "If you disagree with a condition you may appeal by $appeal_by, using the link in your "
        "acknowledgement email. Someone who did not make this decision will consider your appeal.\n\n"
        "Venue bookings",
    ),
    "refusal": (
        "Your booking $reference has been refused",
        "Dear $booker_name\n\n"
        "We have refused your booking of $room at $venue on $event_date for \"$title\".\n\n"
        "Our reasons: $reasons\n\n"
        "We relied on clause $clause of the booking conditions.\n\n"
        "Decided by $decided_by on $decided_on.\n\n"
        "You may appeal by $appeal_by, using the link in your acknowledgement email. Someone who did not "
        "make this decision will consider your appeal.\n\n"
        "Venue bookings",
    ),
    "appeal_upheld": (
        "Your appeal on booking $reference is upheld",
        "Dear $booker_name\n\n"
        "We have considered your appeal about your booking of $room at $venue on $event_date and upheld "
        "it.\n\n$appeal_reasons\n\n"
        "Decided by $appeal_decided_by on $appeal_decided_on.\n\n"
        "Venue bookings",
    ),
    "appeal_dismissed": (
        "Your appeal on booking $reference is dismissed",
        "Dear $booker_name\n\n"
        "We have considered your appeal about your booking of $room at $venue on $event_date and "
        "dismissed it. The original decision stands.\n\n$appeal_reasons\n\n"
        "Decided by $appeal_decided_by on $appeal_decided_on.\n\n"
        "If you are unhappy with how we handled your booking you can use the council's complaints "
        "process.\n\n"
        "Venue bookings",
    ),
    "cancellation": (
        "Your booking $reference has been cancelled",
        "Dear $booker_name\n\n"
        "We have cancelled your booking of $room at $venue on $event_date for \"$title\".\n\n"
        "Our reasons: $end_reason\n\n"
        "If you are unhappy with this you can use the council's complaints process.\n\n"
        "Venue bookings",
    ),
}
