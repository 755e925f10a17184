"""The wording each letter to complainants starts with. Complaints officers
edit it afterwards (Staff area → Complaints → Letter wording); migration 0002
loads it once. How to escalate is not here: the product adds it to every
letter that closes a complaint (letters.with_escalation)."""

LETTERS = {
    "acknowledgement": (
        "Your complaint $reference: we have received it",
        "Dear $complainant_name\n\n"
        "Thank you for your complaint, which we received on $received_on. Its reference is $reference: "
        "please quote it if you contact us.\n\n"
        "We will look at what your complaint is about and who is best placed to answer it. If it is about "
        "how the council applied the Prevent duty, we will look into it and send you a full response by "
        "$respond_by. If it is about another organisation, we will only pass it on to them if you have "
        "agreed to that, and we will tell you when we have.\n\n"
        "If we need more time, we will write to you before $respond_by to explain why and give you a "
        "new date.\n\n"
        "Yours sincerely\n\n$officer\nComplaints team",
    ),
    "holding": (
        "Your complaint $reference: we need more time",
        "Dear $complainant_name\n\n"
        "We are still looking into your complaint $reference. We said we would respond by the original "
        "date, but we need more time because:\n\n$extension_reason\n\n"
        "We will now send you our full response by $extended_to. We are sorry for the delay.\n\n"
        "Yours sincerely\n\n$officer\nComplaints team",
    ),
    "passed_on": (
        "Your complaint $reference: passed to $organisation",
        "Dear $complainant_name\n\n"
        "Your complaint $reference is about how $organisation applied the Prevent duty. As you agreed, "
        "we have passed it to them, and they will respond to you directly.\n\n"
        "$scope_reasons\n\n"
        "Yours sincerely\n\n$officer\nComplaints team",
    ),
    "signposted": (
        "Your complaint $reference: where to send it",
        "Dear $complainant_name\n\n"
        "Thank you for your complaint $reference. We are not able to investigate it ourselves, "
        "because:\n\n$scope_reasons\n\n"
        "Prevent policy is set by the government and Parliament. If you want the policy itself to "
        "change, you can write to your MP or respond when the government consults on changes.\n\n"
        "Yours sincerely\n\n$officer\nComplaints team",
    ),
    "response": (
        "Your complaint $reference: our response",
        "Dear $complainant_name\n\n"
        "We have finished looking into your complaint $reference, received on $received_on.\n\n"
        "What we looked at and what we found:\n\n$findings\n\n"
        "Overall, your complaint is $outcome.\n\n"
        "What we will do to put things right:\n\n$remedy\n\n"
        "What we have learnt and will change:\n\n$lessons_learnt\n\n"
        "Yours sincerely\n\n$officer\nComplaints team",
    ),
}
