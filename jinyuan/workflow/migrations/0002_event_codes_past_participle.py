"""Audit event codes follow ``<record>.<past participle>``: transition events were named after
the transition's verb (``certificate.approve``); they are renamed to what happened
(``certificate.approved``). Reversible: the reverse maps every new code back."""

from django.db import migrations

RENAMED = {
    "certificate.pass_check": "certificate.checked",
    "certificate.send_back": "certificate.returned",
    "certificate.resubmit": "certificate.resubmitted",
    "certificate.withdraw": "certificate.withdrawn",
    "certificate.approve": "certificate.approved",
    "certificate.reject": "certificate.rejected",
    "certificate.revoke": "certificate.revoked",
    "movein.confirm": "movein.confirmed",
    "movein.cancel": "movein.cancelled",
    "movein.signboard_not_needed": "movein.signboard_waived",
    "moveout.complete": "moveout.completed",
    "moveout.cancel": "moveout.cancelled",
    "signboard.approve": "signboard.approved",
    "signboard.allow_mismatch": "signboard.mismatch_allowed",
    "signboard.reject": "signboard.rejected",
    "signboard.produce": "signboard.produced",
    "signboard.install": "signboard.installed",
    "signboard.remove": "signboard.removed",
}


def _rename(apps, mapping: dict[str, str]) -> None:
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    for old, new in mapping.items():
        AuditEvent.objects.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
