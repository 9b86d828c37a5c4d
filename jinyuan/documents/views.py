"""The public verify page behind the QR code (with a guard's actions) and the gate page."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import Role
from jinyuan.workflow.services import TransitionRefused

from . import codes, registry, selectors
from .masking import mask_name
from .models import Document
from .services import document_render, gate_check

# Who acts on a paper at the gate; everyone else (tenants, the desk) sees the public page.
GATE_ROLES = (Role.SECURITY, Role.SUPERVISOR)
RECENT_CHECKS = 5


def is_gate_user(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(*GATE_ROLES))


def _legacy_document(token: str) -> Document | bool | None:
    """The document of a link signed before codes existed (still printed on old papers).
    False when ``token`` is no valid signature; None when it names no document."""
    try:
        payload = signing.loads(token, salt=settings.DOCUMENT_VERIFY_SALT)
        doc_id, number = int(payload["d"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return False
    return Document.objects.filter(pk=doc_id, number=number).only("code").first()


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public page behind the QR code: the verdict and only what the paper shows, masked. A
    guard (security, supervisor) sees the kind's gate actions too and posts them here."""
    normalized = codes.normalize(code)
    if normalized is None:
        legacy = _legacy_document(code)
        if legacy is False:
            return render(request, "documents/verify.html", {"verdict": "invalid"}, status=400)
        if legacy is None:
            return render(request, "documents/verify.html", {"verdict": "unknown"}, status=404)
        # The old link lives on as a permanent alias of the code's page.
        return redirect(legacy.verify_path, permanent=True)
    if normalized != code:
        return redirect("verify", normalized)
    doc = selectors.document_by_code(normalized)
    if doc is None:
        return render(request, "documents/verify.html", {"verdict": "unknown"}, status=404)
    guard = is_gate_user(request.user)
    errors: dict[str, list[str]] = {}
    failed = ""
    if request.method == "POST":
        if not guard:
            # The actions exist only for guards: to a company (its own paper or another's) or
            # the desk there is nothing here to post to, as for any record that is not theirs.
            raise Http404
        failed = request.POST.get("action", "")
        errors = _act(request, doc, failed)
        if not errors:
            return redirect(request.path)
        # The refused try was rolled back; the object may have been read inside it.
        doc = selectors.document_by_code(normalized)
    now = timezone.now()
    spec = registry.get(doc.kind)
    context = {
        "verdict": doc.verdict_at(now),
        "doc": doc,
        "title": spec.title,
        "fields": spec.fields_for_verify(doc.data),
        "guard": guard,
        # Who used a single-use paper: named to the guards, masked on the public page.
        "used_by": (str(doc.used_by) if guard else mask_name(str(doc.used_by))) if doc.used_by_id else "",
    }
    if guard:
        context |= {
            "actions": [a for a in spec.gate_actions if context["verdict"] == "valid" or not a.on_valid_only],
            "items": doc.data.get("items") or [],
            "checks": selectors.recent_checks(doc, RECENT_CHECKS),
            "errors": errors,
            "failed_action": failed,
            "posted": request.POST if errors else {},
        }
        details = spec.hook("guard_details")
        if details:
            context["guard_details"] = details(doc)
    return render(request, "documents/verify.html", context, status=400 if errors else 200)


def _act(request: HttpRequest, doc: Document, action: str) -> dict[str, list[str]]:
    """Run a guard's action; a refusal is a message, bad input the errors beside the fields."""
    ticked = []
    for value in request.POST.getlist("item"):
        if value.isdigit():
            ticked.append(int(value))
    try:
        gate_check(
            document=doc,
            action=action,
            by=request.user,
            reason=request.POST.get("reason", ""),
            ticked=ticked,
            photo=request.FILES.get("photo"),
        )
    except ValidationError as exc:
        return exc.message_dict
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded."))
    return {}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code on the paper"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        normalized = codes.normalize(self.cleaned_data["code"])
        if normalized is None:
            raise ValidationError(_("A code has 16 letters and digits, as printed under the QR code."))
        if not Document.objects.filter(code=normalized).exists():
            raise ValidationError(_("No document has this code. Check the paper again."))
        return normalized


class GateView(StaffRequiredMixin, ListView):
    """The guard's page: type a code from the paper by hand, and today's checks at the gates."""

    roles = GATE_ROLES
    template_name = "documents/gate.html"
    context_object_name = "checks"
    paginate_by = 30

    def get(self, request, *args, **kwargs):
        self.form = CodeForm(request.GET) if "code" in request.GET else CodeForm()
        if self.form.is_bound and self.form.is_valid():
            return redirect("verify", self.form.cleaned_data["code"])
        response = super().get(request, *args, **kwargs)
        if self.form.is_bound:
            response.status_code = 400
        return response

    def get_queryset(self):
        return selectors.checks_on(timezone.localdate())

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, **kwargs)


def pdf_response(document: Document) -> FileResponse:
    """Serve a document's PDF; access is checked by the calling view. Renders on demand when
    the background task has not run yet, so a download never fails for timing."""
    if not document.pdf:
        document_render(document=document)
        document.refresh_from_db()
    if not document.pdf:
        raise Http404
    return FileResponse(
        document.pdf.open("rb"),
        as_attachment=False,
        filename=f"{document.number}.pdf",
        content_type="application/pdf",
    )
