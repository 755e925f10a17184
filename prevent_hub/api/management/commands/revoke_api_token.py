"""Revoke a partner API token by its prefix (the first characters, as shown
on the API tokens page)."""

from django.core.management.base import BaseCommand, CommandError

from prevent_hub.audit.context import acting_as

from ...models import PREFIX_LENGTH
from ...selectors import api_tokens_with_prefix
from ...services import api_token_revoke


class Command(BaseCommand):
    help = "Revoke a partner API token: every later call with it is refused."

    def add_arguments(self, parser):
        parser.add_argument("prefix", help=f"The token's first {PREFIX_LENGTH} characters, like ph_AbC1234")

    def handle(self, *args, prefix, **options):
        prefix = prefix.strip().rstrip("…")[:PREFIX_LENGTH]
        tokens = list(api_tokens_with_prefix(prefix))
        active = [token for token in tokens if token.is_active]
        if not tokens:
            raise CommandError(f"There is no API token {prefix}")
        if not active:
            raise CommandError(f"API token {prefix} is already revoked")
        if len(active) > 1:
            raise CommandError(f"More than one active API token starts {prefix}: revoke them on the "
                               "API tokens page instead")
        with acting_as(None, request_id="revoke_api_token"):
            token = api_token_revoke(token=active[0], acting_user=None)
        self.stdout.write(f"Revoked API token {token.prefix}… (acted for {token.user.email}).")
