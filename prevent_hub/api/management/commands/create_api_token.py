"""Issue a partner API token and print it once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from prevent_hub.accounts.models import User
from prevent_hub.audit.context import acting_as

from ...models import ApiScope
from ...services import api_token_issue


class Command(BaseCommand):
    help = (
        "Issue a partner API token acting for an account, with one or more scopes. "
        "The token is printed once and only its hash is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Email address of the account the token acts for")
        parser.add_argument("--scope", required=True, action="append", dest="scopes",
                            help=f"Repeat for each scope: {', '.join(ApiScope.values)}")
        parser.add_argument("--name", default="", help="What the token is for, e.g. the partner system")

    def handle(self, *args, user, scopes, name, **options):
        account = User.objects.filter(email__iexact=user.strip()).first()
        if account is None:
            raise CommandError(f"There is no account for {user}")
        with acting_as(None, request_id="create_api_token"):
            try:
                token, plaintext = api_token_issue(user=account, scopes=scopes, name=name)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Issued API token {token.prefix}… for {account.email} "
                          f"with scopes: {', '.join(token.scopes)}.")
        self.stdout.write("")
        self.stdout.write(plaintext)
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(
            "Copy it now and give it to the partner system securely. It will not be shown again: "
            "only a hash of it is kept."))
