"""What other parts of Prevent Hub may listen to.

`rights_request_decided` is sent by services.rights_request_decide inside its
transaction, once the decision on a request is recorded, with `request` (the
RightsRequest) and `acting_user`. A receiver that carries out the decision
(erasure through the retention deletion path, restriction) does so in the
same transaction, so a failure rolls the decision back too, and may return a
short sentence saying what it did: the request keeps those sentences
(`effects`) and its page shows them as what happened next."""

from django.dispatch import Signal

rights_request_decided = Signal()
