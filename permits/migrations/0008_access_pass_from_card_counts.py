"""The card counts move-in and move-out recorded become access passes, so no count is lost when
tenants drops them (tenants 0014 depends on this migration).

- A move-in unit's ``cards_handed`` N (move-in not cancelled) → N issued passes without names
  or numbers, ``migrated_from = "movein_unit:<pk>"``, opening the unit's floor, free of charge
  (no money was recorded), valid until the last day of the company's occupancy of that unit if
  it has ended or has an end.
- A move-out unit's ``cards_returned`` M (move-out not cancelled) → M of those passes returned
  (the oldest first); returned cards beyond those handed (a company that moved in before the
  system) → new passes already returned, ``migrated_from = "moveout_unit:<pk>"``.

Each pass gets one audit event ``access_pass.migrated`` (and ``access_pass.returned``) dated
when the count was recorded. Backwards: the counts are written back from the migrated passes,
which are then removed (they exist only as those counts).
"""

from django.db import migrations

MOVEIN = "movein_unit:"
MOVEOUT = "moveout_unit:"


def _content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="permits", model="accesspass")[0]


def _last_day(apps, tenant_id, unit_id):
    """The last day the company holds the unit, None while it runs open-ended."""
    from datetime import timedelta

    Occupancy = apps.get_model("tenants", "Occupancy")
    latest = Occupancy.objects.filter(tenant_id=tenant_id, unit_id=unit_id).order_by("-start").first()
    if latest is None or latest.end is None:
        return None
    return latest.end - timedelta(days=1)


def counts_to_passes(apps, schema_editor):
    AccessPass = apps.get_model("permits", "AccessPass")
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    MoveInUnit = apps.get_model("tenants", "MoveInUnit")
    MoveOutUnit = apps.get_model("tenants", "MoveOutUnit")
    Through = AccessPass.floors.through
    ctype = _content_type(apps)

    def make(count, *, tenant_id, applicant_id, floor_id, when, source, status, valid_until, data):
        passes = AccessPass.objects.bulk_create(
            AccessPass(
                tenant_id=tenant_id,
                applicant_id=applicant_id,
                status=status,
                card_type="staff",
                charge="free",
                valid_until=valid_until,
                issued_at=when,
                migrated_from=source,
            )
            for _ in range(count)
        )
        ids = [p.pk for p in passes]
        AccessPass.objects.filter(pk__in=ids).update(created_at=when)
        Through.objects.bulk_create(Through(accesspass_id=pk, floor_id=floor_id) for pk in ids)
        AuditEvent.objects.bulk_create(
            AuditEvent(
                content_type=ctype,
                object_id=pk,
                action="access_pass.migrated",
                actor_id=applicant_id,
                to_state=status,
                data=data,
            )
            for pk in ids
        )
        AuditEvent.objects.filter(content_type=ctype, object_id__in=ids).update(at=when)
        return ids

    handed = (
        MoveInUnit.objects.filter(cards_handed__gt=0)
        .exclude(move_in__status="cancelled")
        .select_related("move_in", "unit")
        .order_by("pk")
    )
    for row in handed:
        make(
            row.cards_handed,
            tenant_id=row.move_in.tenant_id,
            applicant_id=row.handed_over_by_id or row.move_in.applicant_id,
            floor_id=row.unit.floor_id,
            when=row.handed_over_at or row.move_in.created_at,
            source=f"{MOVEIN}{row.pk}",
            status="issued",
            valid_until=_last_day(apps, row.move_in.tenant_id, row.unit_id),
            data={"unit": row.unit.number, "cards_handed": row.cards_handed},
        )

    returned = (
        MoveOutUnit.objects.filter(cards_returned__gt=0)
        .exclude(move_out__status="cancelled")
        .select_related("move_out", "unit")
        .order_by("pk")
    )
    for row in returned:
        tenant_id = row.move_out.tenant_id
        by = row.returned_to_id or row.move_out.applicant_id
        when = row.returned_at or row.move_out.created_at
        sources = [
            f"{MOVEIN}{pk}"
            for pk in MoveInUnit.objects.filter(move_in__tenant_id=tenant_id, unit_id=row.unit_id).values_list(
                "pk", flat=True
            )
        ]
        out = list(
            AccessPass.objects.filter(tenant_id=tenant_id, migrated_from__in=sources, status="issued")
            .order_by("pk")
            .values_list("pk", flat=True)[: row.cards_returned]
        )
        AccessPass.objects.filter(pk__in=out).update(status="returned")
        events = AuditEvent.objects.bulk_create(
            AuditEvent(
                content_type=ctype,
                object_id=pk,
                action="access_pass.returned",
                actor_id=by,
                from_state="issued",
                to_state="returned",
                data={"unit": row.unit.number, "cards_returned": row.cards_returned, "move_out": row.move_out_id},
            )
            for pk in out
        )
        AuditEvent.objects.filter(pk__in=[e.pk for e in events]).update(at=when)
        extra = row.cards_returned - len(out)
        if extra > 0:
            make(
                extra,
                tenant_id=tenant_id,
                applicant_id=by,
                floor_id=row.unit.floor_id,
                when=when,
                source=f"{MOVEOUT}{row.pk}",
                status="returned",
                valid_until=None,
                data={"unit": row.unit.number, "cards_returned": row.cards_returned, "handed_unknown": extra},
            )


def passes_to_counts(apps, schema_editor):
    """Backwards: each move-in unit's count is its migrated passes, each move-out unit's count
    the returned ones among those and its own."""
    from django.db.models import Count

    AccessPass = apps.get_model("permits", "AccessPass")
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    MoveInUnit = apps.get_model("tenants", "MoveInUnit")
    MoveOutUnit = apps.get_model("tenants", "MoveOutUnit")
    migrated = AccessPass.objects.exclude(migrated_from="")
    for row in migrated.filter(migrated_from__startswith=MOVEIN).values("migrated_from").annotate(n=Count("pk")):
        MoveInUnit.objects.filter(pk=int(row["migrated_from"][len(MOVEIN) :])).update(cards_handed=row["n"])
    for out in MoveOutUnit.objects.filter(returned_at__isnull=False).select_related("move_out"):
        sources = [
            f"{MOVEIN}{pk}"
            for pk in MoveInUnit.objects.filter(move_in__tenant_id=out.move_out.tenant_id, unit_id=out.unit_id).values_list(
                "pk", flat=True
            )
        ]
        back = migrated.filter(status="returned", migrated_from__in=[*sources, f"{MOVEOUT}{out.pk}"]).count()
        if back:
            MoveOutUnit.objects.filter(pk=out.pk).update(cards_returned=back)
    ctype = _content_type(apps)
    ids = list(migrated.values_list("pk", flat=True))
    AuditEvent.objects.filter(content_type=ctype, object_id__in=ids).delete()
    AccessPass.floors.through.objects.filter(accesspass_id__in=ids).delete()
    migrated.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("permits", "0007_access_pass"),
        ("tenants", "0013_drop_archivefile"),
        ("workflow", "0004_number_sequence_labels"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(counts_to_passes, passes_to_counts)]
