"""The first system administrator of a new installation (everyone after that
is created from the administration screens)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from prevent_hub.access.roles import Role
from prevent_hub.audit.context import acting_as
from prevent_hub.core.email_addresses import canonical_email, plain_email_problem

from ... import services
from ...models import Organisation, OrganisationType, User
from ...tasks import password_link


class Command(BaseCommand):
    help = (
        "Create a system administrator and print a single-use link to set their password "
        "(they set up their second factor at first sign-in)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="Full name")
        parser.add_argument("--organisation", required=True,
                            help="Organisation name (a local authority is created if it is new)")
        parser.add_argument("--site-url", required=True,
                            help="Where the service is reached, e.g. https://prevent.shireford.example")

    def handle(self, *args, email, name, organisation, site_url, **options):
        email = canonical_email(email)
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address") from error
        if problem := plain_email_problem(email):
            raise CommandError(problem)
        if User.objects.filter(email=email).exists():
            raise CommandError(f"An account for {email} already exists")
        with transaction.atomic(), acting_as(None, request_id="create_system_administrator"):
            org, _ = Organisation.objects.get_or_create(
                name=organisation.strip(), defaults={"type": OrganisationType.LOCAL_AUTHORITY})
            user = services.user_create(
                acting_user=None, email=email, full_name=name.strip(), organisation=org,
                job_title="System administrator", roles=[Role.SYSTEM_ADMINISTRATOR])
        self.stdout.write(f"Created {user.email} ({org.name}) with the system administrator role.")
        self.stdout.write("Send them this single-use link to set their password; it expires "
                          "like a password reset link:")
        self.stdout.write(password_link(user, site_url))
