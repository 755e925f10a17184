"""Test data for people. Every name here is obviously fictional."""

import datetime

import factory

from prevent_hub.core.addresses import address_key
from prevent_hub.core.names import name_key
from prevent_hub.people.models import Person, PersonName


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with their main name recorded (with search keys). Pass
    `other_names=["Jon Smyth", ...]` to record other names too."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    given_name = factory.Sequence(lambda n: f"Testperson{n}")
    family_name = "Example"
    date_of_birth = datetime.date(2009, 5, 17)
    gender = "Not stated"
    address = "2 Imaginary Road, Shireford"
    postcode = "ZZ992ZZ"
    address_key = factory.LazyAttribute(lambda person: address_key(person.address))

    @factory.post_generation
    def other_names(self, create, extracted, **kwargs):
        if not create:
            return
        names = [(PersonName.Kind.MAIN, self.given_name, self.family_name)]
        for full_name in extracted or ():
            *given, family = full_name.split()
            names.append((PersonName.Kind.OTHER, " ".join(given), family))
        PersonName.objects.bulk_create([
            PersonName(person=self, kind=kind, given_name=given, family_name=family,
                       given_key=name_key(given), family_key=name_key(family))
            for kind, given, family in names
        ])
