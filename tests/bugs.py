"""Known bugs in app code, as strict xfail markers shared by several tests. When a bug is fixed
its tests XPASS, strict mode fails the run, and the marker is removed here and at its uses."""

import pytest

# permits/models.py declares every transition with field="status" (a string) while the model
# redeclares the abstract Application.status FSMField. On class_prepared, the inherited field's
# listener (registered first) claims the methods and rebinds their meta to itself, so the
# subclass's own field collects no transitions: get_all_status_transitions() and
# get_available_user_status_transitions() are empty. available_actions() returns nothing (no
# buttons on any detail page) and ActionsMixin.post answers 403 to every action POST, for every
# role. Services still work (transition() checks the methods directly). Fix: @transition(field=status,
# ...) with the class-body field object (verified: the workflow tests then pass), or do not
# redeclare ``status`` in the subclass.
FSM_TRANSITIONS_NOT_COLLECTED = pytest.mark.xfail(
    reason="BUG: permits/models.py @transition(field='status') binds to the inherited abstract FSMField, "
    "so PremisesCertificate.get_all_status_transitions() is empty: no action buttons, every action POST is 403",
    strict=True,
)
