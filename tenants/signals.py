"""Signals for higher apps (billing bills what tenants records; permits revokes passes)."""

from django.dispatch import Signal

# sender=MoveIn, move_in=..., by=...
move_in_confirmed = Signal()
# sender=MoveOut, move_out=..., by=...
move_out_completed = Signal()
# sender=MoveOutUnit, row=..., by=...: a damage charge was recorded at the final inspection
move_out_damage_recorded = Signal()
# sender=Signboard, signboard=..., by=...: the text is approved, production may be billed
signboard_approved = Signal()
# sender=ReadingRound, reading_round=..., by=...: the supervisor confirmed the round; billing bills it
reading_round_confirmed = Signal()
