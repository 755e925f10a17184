"""What capabilities built on people (Channel) do when person records change.
Each is sent inside the transaction of the change, so a receiver's work is
done with it or not at all; people import nothing from the apps above."""

from django.dispatch import Signal

# A referral was linked to a person (a new record made from it, or a match
# confirmed): `referral`, `person`, `acting_user`, `linked_at`.
referral_linked = Signal()

# `merged` was merged into `kept` (`acting_user`). Each receiver moves what it
# holds about `merged` to `kept` and returns what it moved, as lists of ids by
# kind ({"cases": [...]}); the merge keeps that so undoing it moves exactly
# those back.
person_merged = Signal()

# A merge was undone: `kept`, `merged`, `moved` (what the merge recorded),
# `acting_user`. Receivers move back what they moved.
person_merge_undone = Signal()
