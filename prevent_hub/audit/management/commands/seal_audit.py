"""Seal new audit events into the hash chain.

    manage.py seal_audit            seal what is waiting, once, and stop
    manage.py seal_audit --loop     keep sealing, every --interval seconds (1)

Audited requests append their events unsealed, without waiting for one
another; this extends the chain over them (services.audit_chain_seal). Run
the loop beside the web servers (bin/serve starts one); any number of loops
may run, on any hosts: they take turns under the database's sealer lock.
Requests also seal opportunistically after they commit, and a scheduled task
seals every minute, so a stopped loop slows sealing down rather than stopping
it; each round then forwards what is sealed to AUDIT_FORWARD_SYSLOG, if set
(audit.forwarding); `manage.py verify_audit` reports events left unsealed for 5 minutes.
"""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from prevent_hub.audit.forwarding import audit_forward_quietly
from prevent_hub.audit.services import audit_chain_seal

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Seal new audit events into the hash chain (once, or --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep sealing until stopped.")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds between rounds with --loop (default 1).")

    def handle(self, *args, loop=False, interval=1.0, verbosity=1, **options):
        if not loop:
            sealed = self.seal()
            self.stdout.write(f"Sealed {sealed:,} audit events")
            return
        while True:
            try:
                sealed = self.seal()
                if sealed and verbosity > 1:
                    self.stdout.write(f"Sealed {sealed:,} audit events")
            except DatabaseError:
                # The database restarting or failing over: try again next round.
                logger.exception("Sealing audit events failed; trying again")
                close_old_connections()
                connection.close()
            time.sleep(interval)

    def seal(self) -> int:
        if connection.vendor == "postgresql":
            # So monitoring (and the benchmarks) can tell the sealer's
            # connection, and its waits on the sealer lock, from requests'.
            with connection.cursor() as cursor:
                cursor.execute("SET application_name TO 'prevent_hub_sealer'")
        sealed = audit_chain_seal(wait=True)
        # Then on to the separate log system (AUDIT_FORWARD_SYSLOG), if set.
        audit_forward_quietly()
        return sealed
