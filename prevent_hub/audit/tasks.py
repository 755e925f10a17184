"""Background jobs for the audit trail."""

import datetime

from django.tasks import task

from prevent_hub.core.scheduler import schedule

from .forwarding import audit_forward_quietly
from .services import audit_chain_seal, audit_refusal_tallies_write


@task()
def refusal_tallies_write_task() -> int:
    """Write the refused look-ups counted in minutes that are over (flood control)."""
    return audit_refusal_tallies_write()


schedule(refusal_tallies_write_task, every=datetime.timedelta(minutes=1))


@task()
def seal_task() -> int:
    """Seal audit events still waiting, and forward what is sealed: a safety
    net beside the seal_audit loop."""
    sealed = audit_chain_seal()
    audit_forward_quietly()
    return sealed


schedule(seal_task, every=datetime.timedelta(minutes=1))
