"""Factories for the public objects tests build on. Identity numbers are official test numbers."""

import itertools
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.generators import official_born_in
from letters.models import Letter, LetterBatch, LetterTemplate
from organisations.models import Membership, Municipality, Organisation, kaa_unit_of
from organisations.permissions import CASEWORK_ROLES
from people.models import Person, ResidencePeriod

_numbers = itertools.cycle(official_born_in(2008) + official_born_in(2007))


def next_number() -> str:
    return next(_numbers)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare{n}")
    password = factory.django.Password("Testlösenord-2026")


def member(user, municipality_code: str, role: str, **kwargs):
    """Give ``user`` a role in the municipality: in its KAA unit for a role that works
    with persons, in the municipality itself otherwise (administrator, analyst)."""
    municipality = Municipality.objects.by_code(municipality_code)
    organisation = kaa_unit_of(municipality.pk) if role in CASEWORK_ROLES else municipality
    Membership.objects.create(user=user, organisation=organisation, role=role, **kwargs)
    return user


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.PARTNER
    category = Organisation.Category.EMPLOYMENT_SERVICE
    name = factory.Sequence(lambda n: f"Arbetsförmedlingen kontor {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.UNIT
    category = Organisation.Category.SOCIAL_SERVICES
    name = factory.Sequence(lambda n: f"Socialtjänsten {n}")
    parent = factory.LazyFunction(lambda: Municipality.objects.by_code("0183"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    municipality = factory.LazyFunction(lambda: Municipality.objects.by_code("0183"))
    identity_number = factory.LazyFunction(next_number)
    first_name = factory.Iterator(["Alva", "Noah", "Elsa", "Hugo", "Maja"])
    last_name = factory.Iterator(["Lind", "Berg", "Holm", "Nyberg"])
    street = "Storgatan 1"
    postal_code = "17231"
    city = "SUNDBYBERG"

    @factory.lazy_attribute
    def birth_year(self):
        return int(self.identity_number[:4])

    @factory.lazy_attribute
    def birth_date(self):
        from people.identity import parse

        return parse(self.identity_number).birth_date

    @factory.post_generation
    def resident(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            ResidencePeriod.objects.create(
                municipality=obj.municipality,
                person=obj,
                municipality_code=obj.municipality.code,
                start=obj.birth_date,
            )


# Casework: measures, plans and cases (minimal; tests set what they need) -------


def _refresh_state(obj, create, extracted, **kwargs):
    """Keep the person's worklist state as the actions would (worklists.state)."""
    if create:
        from worklists import state

        state.refresh([obj.person_id])


def _days_from_today(days: int):
    return timezone.localdate() + timedelta(days=days)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "casework.Measure"

    municipality = factory.LazyFunction(lambda: Municipality.objects.by_code("0183"))
    name = factory.Sequence(lambda n: f"Studiemotivation {n}")
    kind = "motivational"
    owner = factory.LazyAttribute(lambda o: kaa_unit_of(o.municipality.pk))


class PersonMeasureFactory(factory.django.DjangoModelFactory):
    """An offer written directly, without the action: set ``first_offer`` yourself."""

    class Meta:
        model = "casework.PersonMeasure"
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    municipality = factory.LazyAttribute(lambda o: o.person.municipality)
    measure = factory.SubFactory(
        MeasureFactory, municipality=factory.SelfAttribute("..municipality")
    )
    offered_on = factory.LazyFunction(timezone.localdate)
    responsible = "municipality"

    worklist_state = factory.PostGeneration(_refresh_state)


class PlanFactory(factory.django.DjangoModelFactory):
    """An open plan with its first revision, as write_plan leaves it (without measures)."""

    class Meta:
        model = "casework.Plan"
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    municipality = factory.LazyAttribute(lambda o: o.person.municipality)
    goal = "Börja på gymnasiet till hösten."
    follow_up_on = factory.LazyFunction(lambda: _days_from_today(14))
    evaluate_on = factory.LazyFunction(lambda: _days_from_today(60))

    @factory.post_generation
    def revision(obj, create, extracted, **kwargs):
        if create:
            obj.revisions.create(
                number=obj.version,
                goal=obj.goal,
                own_words=obj.own_words,
                follow_up_on=obj.follow_up_on,
                evaluate_on=obj.evaluate_on,
                written_by=obj.created_by,
            )

    worklist_state = factory.PostGeneration(_refresh_state)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "casework.Case"
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    municipality = factory.LazyAttribute(lambda o: o.person.municipality)

    worklist_state = factory.PostGeneration(_refresh_state)


def letter_to(person, *, on=None, body: str = "Hej!"):
    """One letter to ``person`` in a batch of its own dated ``on`` (today), written directly."""
    on = on or timezone.localdate()
    template, _created = LetterTemplate.objects.get_or_create(
        municipality=person.municipality,
        name="Första brevet",
        defaults={"purpose": "first_letter", "subject": "Hej {förnamn}", "body": "Hej!"},
    )
    batch = LetterBatch.objects.create(
        municipality=person.municipality,
        template=template,
        template_name=template.name,
        purpose=template.purpose,
        subject=template.subject,
        body=template.body,
        recipients="newly",
        since=on,
        letter_date=on,
    )
    return Letter.objects.create(
        municipality=person.municipality,
        batch=batch,
        person=person,
        subject=f"Hej {person.first_name}",
        body=body,
        text_hash="0" * 64,
    )
