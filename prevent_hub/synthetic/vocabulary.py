"""The words synthetic records are made of. Every name is invented and reads
as invented; every postcode is in the ZZ99 area, which does not exist; every
organisation, place and street ends "(fictional)" or is obviously made up."""

GIVEN_NAMES = [
    "Testina", "Sampleton", "Fictitia", "Mockwell", "Dummia", "Examplo", "Instancia", "Trialla",
    "Placida", "Specima", "Demoro", "Fakira", "Mockery", "Pretendo", "Imagina", "Inventa",
    "Madeupa", "Notreal", "Proxima", "Stubbo", "Fixturo", "Seedling", "Randoma", "Synthia",
    "Modella", "Draftina", "Templata", "Sketcha", "Prototo", "Figmenta", "Fabla", "Mythra",
    "Parablo", "Fancia", "Whimsy", "Pseudon", "Anonyma", "Nominal", "Figura", "Likenia",
    "Semblan", "Mimica", "Echoa", "Replica", "Facsimo", "Copia", "Simula", "Avatara",
    "Persona", "Characta", "Rolea", "Playa", "Guisel", "Masko", "Veila", "Cloakin",
]
FAMILY_NAMES = [
    "Exampleton", "Specimen", "Placeholder", "Sample", "Testworth", "Demoley", "Fakeley",
    "Mockingham", "Dummyfield", "Fictionby", "Trialford", "Instanceworth", "Stubbington",
    "Fixtureby", "Seedwell", "Randomley", "Synthwick", "Modelworth", "Draftfield", "Templeton-Test",
    "Sketchley", "Prototon", "Figmentby", "Fableton", "Mythwick", "Parableford", "Fancyworth",
    "Whimsley", "Pseudonym", "Anonby", "Nominalton", "Figureworth", "Likeness", "Semblanceby",
    "Mimicford", "Echoley", "Replicaton", "Facsimile", "Copyworth", "Simulacrum", "Avatarby",
    "Personaworth", "Charactersby", "Roleford", "Guiseley-Test", "Maskwell", "Veilby", "Cloakley",
    "Notaperson", "Inventedby", "Madeupton", "Imaginary", "Pretendley", "Unrealworth",
]
STREETS = [
    "Example Street", "Specimen Road", "Placeholder Lane", "Sample Avenue", "Test Crescent",
    "Fixture Close", "Mockingbird Way", "Dummy Terrace", "Fiction Row", "Trial Gardens",
    "Instance Drive", "Seedbed Grove", "Stub Mews", "Prototype Place", "Figment Walk",
]
TOWNS = [
    "Sampletown", "Exampleford", "Testbury", "Mockton", "Fictionshire Vale", "Placeholder Heath",
    "Specimen Cross", "Demoport", "Trialminster", "Stubwick",
]
SCHOOLS = [
    "Sampletown Academy (fictional)", "Exampleford High School (fictional)",
    "Testbury College (fictional)", "Mockton Primary School (fictional)",
    "Placeholder Sixth Form (fictional)", "Specimen Cross Free School (fictional)",
    "Demoport Further Education College (fictional)", "Trialminster University (fictional)",
]
EMPLOYERS = [
    "Stubwick Logistics (fictional)", "Mockton Retail Park (fictional)", "Exampleford Cafe (fictional)",
    "Testbury Warehousing (fictional)", "Demoport Call Centre (fictional)",
]
ORGANISATION_KINDS = [
    # (name pattern, accounts.OrganisationType value)
    ("{town} Academy Trust (fictional)", "education"),
    ("{town} Primary School (fictional)", "education"),
    ("{town} College (fictional)", "education"),
    ("{town} Health Trust (fictional)", "health"),
    ("{town} GP Practice (fictional)", "health"),
    ("{town} Children's Services (fictional)", "childrens_social_care"),
    ("{town} Adult Social Care (fictional)", "adult_social_care"),
    ("{town} Probation Office (fictional)", "probation"),
    ("{town} Youth Justice Team (fictional)", "youth_justice"),
    ("{town} Housing Association (fictional)", "housing"),
    ("{town} Mentoring (fictional)", "intervention_provider"),
    ("{town} Community Trust (fictional)", "voluntary_sector"),
    ("{town} Police (fictional)", "police"),
    ("{town} District Council (fictional)", "local_authority"),
]
AREA_WORDS = [
    "North", "South", "East", "West", "Central", "Upper", "Lower", "Greater", "Inner", "Outer",
]
CONCERNS = [
    "A fictional student was heard repeating slogans from a made-up extremist group in class.",
    "A fictional neighbour reports that the person has been sharing invented extremist videos online.",
    "A fictional youth worker noticed the person drawing symbols of an imaginary violent movement.",
    "A fictional teacher is worried the person has stopped seeing friends and spends nights on a "
    "made-up forum that praises attacks.",
    "A fictional relative says the person talks about travelling to join an invented armed group.",
    "A fictional employer found leaflets for a made-up hate group in the person's locker.",
    "A fictional GP noted the person expressed interest in past mass-casualty attacks (invented "
    "for testing).",
    "A fictional probation officer reports contact with people from an imaginary extremist network.",
]
NOTE_TEXTS = [
    "Spoke to the fictional school's safeguarding lead; attendance is improving.",
    "Home visit with the fictional family; the person engaged well.",
    "Mentor session notes received from the fictional provider; no new concerns.",
    "Telephone call with the fictional parent about support arrangements.",
    "Multi-agency conversation with fictional partners; actions agreed.",
    "Person did not attend today's fictional appointment; rearranged.",
    "Update from the fictional college: good progress on the course.",
]
SESSION_TEXTS = [
    "Mentoring session with the fictional intervention provider.",
    "Session on critical thinking online (fictional).",
    "Careers guidance session (fictional).",
    "Family support session (fictional).",
]
CHRONOLOGY = {
    "referral": "Referral received",
    "shared": "Referral shared with the police gateway",
    "decision": "Gateway outcome recorded: {outcome}",
    "status": "Case status changed to: {status}",
    "information_request": "Information requested from {organisation}",
    "consent": "Consent {answer}",
    "session": "Support session {status}",
    "review": "Panel review held",
    "post_exit": "Post-exit review held ({months} months)",
    "note": "Note added",
    "email": "Email sent to the fictional family",
}
BOOKING_TITLES = [
    "Community coffee morning (fictional)", "Book club for adults (fictional)",
    "Faith and community dialogue evening (fictional)", "Local history talk (fictional)",
    "Youth music showcase (fictional)", "Charity quiz night (fictional)",
    "Parenting support group (fictional)", "Public meeting about a made-up planning application",
]
COMPLAINT_TEXTS = [
    "I was not told that a fictional referral had been made about my son.",
    "The fictional panel took too long to reply to my letters.",
    "A fictional member of staff was rude to me when I asked about Prevent.",
    "I do not think the fictional school should have shared my daughter's details.",
]
RIGHTS_TEXTS = [
    "Please send me a copy of everything held about me (fictional request).",
    "My date of birth is recorded wrongly (fictional request).",
    "Please delete the record about my son (fictional request).",
]
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Synthetic/1.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Synthetic/1.0",
    "Mozilla/5.0 (X11; Linux x86_64) Synthetic/1.0",
]
