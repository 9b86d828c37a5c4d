"""Time ranges that must not overlap per resource (a unit's occupancies, a room's bookings,
the service elevator's slots), held by a PostgreSQL exclusion constraint (btree_gist: the
extension is created by tenants' first migration).

Ranges are half-open, ``[start, end)``: one occupancy may end on the day the next begins, a
booking until 10:00 and the next from 10:00 do not clash. ``end`` may be open (NULL: until
further notice).

Use:

    class Occupancy(DateSpan):
        unit = models.ForeignKey(Unit, ...)

        class Meta:
            constraints = no_overlap("occupancy", resource="unit", message=_("…"), code="occupied")

and write through ``insert_without_overlap`` (lock the resource row, check, insert).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _


class DateRange(Func):
    """``daterange(start, end, '[)')``, for day-based ranges (occupancies, leases)."""

    function = "daterange"
    output_field = models.Field()


class DateTimeRange(Func):
    """``tstzrange(start, end, '[)')``, for ranges by the minute (bookings, elevator slots)."""

    function = "tstzrange"
    output_field = models.Field()


def no_overlap(
    prefix: str,
    *,
    resource: str,
    message: str,
    code: str = "overlap",
    start: str = "start",
    end: str = "end",
    range_function: type[Func] = DateRange,
    condition: Q | None = None,
) -> list[models.BaseConstraint]:
    """The two constraints of a range table: ``<prefix>_end_after_start`` and
    ``<prefix>_no_overlap`` (no two rows of the same ``resource`` overlap in time; rows outside
    ``condition``, e.g. cancelled bookings, are not counted)."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": F(start)}),
            name=f"{prefix}_end_after_start",
            violation_error_message=_("The end date must be after the start date."),
        ),
        ExclusionConstraint(
            name=f"{prefix}_no_overlap",
            expressions=[
                (resource, RangeOperators.EQUAL),
                (range_function(start, end, models.Value("[)")), RangeOperators.OVERLAPS),
            ],
            condition=condition,
            violation_error_message=message,
            violation_error_code=code,
        ),
    ]


class DateSpan(models.Model):
    """``start`` to ``end`` in days, ``end`` exclusive and open while the span lasts."""

    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def last_day(self):
        """The last day of the span (``end`` itself is exclusive)."""
        return self.end - timedelta(days=1) if self.end else None

    def clean(self) -> None:
        # Checked here, not only by the check constraint: daterange(start, end) with end before
        # start is a database error in the exclusion constraint's validation, not a message.
        if self.end is not None and self.start is not None and self.end <= self.start:
            raise ValidationError({"end": _("The end date must be after the start date.")})


# --- writing ------------------------------------------------------------------------------------


def _exclusions(model: type[models.Model]) -> list[ExclusionConstraint]:
    return [c for c in model._meta.constraints if isinstance(c, ExclusionConstraint)]


def is_overlap(exc: IntegrityError, model: type[models.Model]) -> bool:
    """Whether the database refused the row because of one of ``model``'s exclusion constraints
    (not some other integrity error, which must stay an error)."""
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) in {c.name for c in _exclusions(model)}


@contextmanager
def overlap_as(model: type[models.Model], conflict: Callable[[], Exception]) -> Iterator[None]:
    """Turn the exclusion constraint's IntegrityError into ``conflict()``, a domain error the
    form shows beside the field. Opens a savepoint, so the caller's transaction survives."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if is_overlap(exc, model):
            raise conflict() from exc
        raise


def _check_violated(exc: IntegrityError, model: type[models.Model]) -> models.CheckConstraint | None:
    """The model's check constraint the database refused the row by, if that was the cause."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    checks = (c for c in model._meta.constraints if isinstance(c, models.CheckConstraint))
    return next((c for c in checks if c.name == name), None)


def _validate_and_save(obj: models.Model) -> None:
    """``full_clean()`` and ``save()``, with the database judging the constraints.

    Django validates each constraint with a query of its own (three for a booking: the
    exclusion and two checks, each in a savepoint) and the existence of each foreign key with
    another. Here the fields, the row's ``clean`` and its unique fields are validated in Python
    as by ``full_clean``, foreign keys whose rows the caller loaded are not queried again (their
    foreign key constraints still stand), and the insert itself is the constraints' check: a
    check constraint's refusal becomes its ``violation_error_message``, the exclusion
    constraint's becomes the caller's ``conflict()`` (``overlap_as``). The same answers, a
    third of the statements."""
    loaded = {
        f.name
        for f in obj._meta.concrete_fields
        if f.is_relation
        and f.is_cached(obj)
        and getattr(obj, f.name) is not None
        and not getattr(obj, f.name)._state.adding
    }
    errors: dict = {}
    for step in (lambda: obj.clean_fields(exclude=loaded), obj.clean):
        try:
            step()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    try:
        obj.validate_unique(exclude={name for name in errors if name != NON_FIELD_ERRORS})
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        check = _check_violated(exc, type(obj))
        if check is None:
            raise
        raise ValidationError(check.get_violation_error_message(), code=check.violation_error_code) from exc


def insert_without_overlap(
    obj: models.Model, *, lock: models.QuerySet, conflict: Callable[[], Exception]
) -> models.Model:
    """Lock the resource row(s), then validate and insert ``obj``.

    Writers of one resource queue on its row lock, so the later one sees the earlier row and
    gets ``conflict()`` from the exclusion constraint (the insert is the check). Without the
    lock, two concurrent inserts into an exclusion constraint can deadlock (a database error,
    not a message). The constraint also guards writers that bypass this (the admin, a script).
    """
    with overlap_as(type(obj), conflict):
        list(lock.select_for_update().order_by("pk").values_list("pk", flat=True))
        _validate_and_save(obj)
    return obj
