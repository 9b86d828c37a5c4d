"""Front-desk URLs (namespaces ``desk:frontdesk:`` and ``portal:frontdesk:``). Each section adds
its own patterns below, in its own block."""

desk_patterns: list = []
portal_patterns: list = []

# --- recyclables 废品收购 and material distribution 代派资料 (frontdesk/views/recyclables.py, distribution.py)
from django.urls import path  # noqa: E402

from .views import distribution as distribution_views  # noqa: E402
from .views import recyclables as recycle_views  # noqa: E402

desk_patterns += [
    path("frontdesk/recyclables/", recycle_views.RecycleListView.as_view(), name="recycle_list"),
    path("frontdesk/recyclables/new/<int:pk>/", recycle_views.DeskRecycleNewView.as_view(), name="recycle_new"),
    path("frontdesk/recyclables/<int:pk>/", recycle_views.RecycleDetailView.as_view(), name="recycle_detail"),
    *(
        path(f"frontdesk/recyclables/<int:pk>/{step}/", view.as_view(), {"step": step}, name=f"recycle_{step}")
        for step, view in (
            ("schedule", recycle_views.RecycleStepView),
            ("collect", recycle_views.RecycleStepView),
            ("settle", recycle_views.RecycleStepView),
            ("void_credit", recycle_views.CreditVoidView),
        )
    ),
    path(
        "frontdesk/recyclables/<int:pk>/voucher.pdf", recycle_views.RecycleVoucherView.as_view(), name="recycle_voucher"
    ),
    path("frontdesk/distribution/", distribution_views.DistributionListView.as_view(), name="distribution_list"),
    path(
        "frontdesk/distribution/new/<int:pk>/",
        distribution_views.DeskDistributionNewView.as_view(),
        name="distribution_new",
    ),
    path(
        "frontdesk/distribution/<int:pk>/",
        distribution_views.DistributionDetailView.as_view(),
        name="distribution_detail",
    ),
    path(
        "frontdesk/distribution/<int:pk>/complete/",
        distribution_views.DistributionCompleteView.as_view(),
        name="distribution_complete",
    ),
]
portal_patterns += [
    path("frontdesk/recyclables/", recycle_views.PortalRecycleListView.as_view(), name="recycle_list"),
    path("frontdesk/recyclables/new/", recycle_views.PortalRecycleNewView.as_view(), name="recycle_new"),
    path("frontdesk/recyclables/<int:pk>/", recycle_views.PortalRecycleDetailView.as_view(), name="recycle_detail"),
    path(
        "frontdesk/recyclables/<int:pk>/voucher.pdf",
        recycle_views.PortalRecycleVoucherView.as_view(),
        name="recycle_voucher",
    ),
    path("frontdesk/distribution/", distribution_views.PortalDistributionListView.as_view(), name="distribution_list"),
    path(
        "frontdesk/distribution/new/",
        distribution_views.PortalDistributionNewView.as_view(),
        name="distribution_new",
    ),
    path(
        "frontdesk/distribution/<int:pk>/",
        distribution_views.PortalDistributionDetailView.as_view(),
        name="distribution_detail",
    ),
]
