"""Front-desk URLs (namespaces ``desk:frontdesk:`` and ``portal:frontdesk:``). Each section adds
its own patterns below, in its own block."""

desk_patterns: list = []
portal_patterns: list = []

# --- duty log and handover; visitor inquiries (frontdesk/views/duty.py, views/inquiries.py) -------
from django.urls import path  # noqa: E402

from .views import duty, inquiries  # noqa: E402

desk_patterns += [
    path("frontdesk/duty/", duty.DutyView.as_view(), name="duty"),
    path("frontdesk/duty/entries/", duty.EntryListView.as_view(), name="entry_list"),
    path("frontdesk/duty/entries/<int:pk>/close/", duty.EntryCloseView.as_view(), name="entry_close"),
    path("frontdesk/duty/shifts/", duty.ShiftListView.as_view(), name="shift_list"),
    path("frontdesk/duty/shifts/<int:pk>/", duty.ShiftDetailView.as_view(), name="shift_detail"),
    path("frontdesk/duty/shifts/<int:pk>/handover/", duty.ShiftHandoverView.as_view(), name="shift_handover"),
    path("frontdesk/inquiries/lookup/", inquiries.LookupView.as_view(), name="inquiry_lookup"),
    path("frontdesk/inquiries/", inquiries.InquiryListView.as_view(), name="inquiry_list"),
    path("frontdesk/inquiries/new/", inquiries.InquiryNewView.as_view(), name="inquiry_new"),
    path("frontdesk/inquiries/<int:pk>/", inquiries.InquiryDetailView.as_view(), name="inquiry_detail"),
    path("frontdesk/inquiries/<int:pk>/repair/", inquiries.InquiryRepairView.as_view(), name="inquiry_repair"),
    path("frontdesk/inquiries/<int:pk>/complaint/", inquiries.InquiryComplaintView.as_view(), name="inquiry_complaint"),
]

# --- announcements 公告 (frontdesk/views/notices.py) --------------------------------------------
from django.urls import path  # noqa: E402

from .views import notices  # noqa: E402

desk_patterns += [
    path("frontdesk/announcements/", notices.AnnouncementListView.as_view(), name="announcement_list"),
    path("frontdesk/announcements/new/", notices.AnnouncementNewView.as_view(), name="announcement_new"),
    path("frontdesk/announcements/<int:pk>/", notices.AnnouncementDetailView.as_view(), name="announcement_detail"),
    path("frontdesk/announcements/<int:pk>/edit/", notices.AnnouncementEditView.as_view(), name="announcement_edit"),
    path("frontdesk/announcements/<int:pk>/unread/", notices.UnreadListView.as_view(), name="announcement_unread"),
]
portal_patterns += [
    path("announcements/", notices.PortalAnnouncementListView.as_view(), name="announcement_list"),
    path("announcements/<int:pk>/", notices.PortalAnnouncementDetailView.as_view(), name="announcement_detail"),
]

# --- liaison visits, follow-up items, emergencies (frontdesk/views/liaison.py, emergencies.py) ------
from django.urls import path  # noqa: E402

from .views import emergencies as emergency_views  # noqa: E402
from .views import liaison as liaison_views  # noqa: E402

desk_patterns += [
    path("frontdesk/items/", liaison_views.ActionItemListView.as_view(), name="action_items"),
    path("frontdesk/items/all/", liaison_views.ActionItemAllView.as_view(), name="action_items_all"),
    path("frontdesk/items/<int:pk>/", liaison_views.ActionItemDetailView.as_view(), name="action_item_detail"),
    path("frontdesk/items/<int:pk>/close/", liaison_views.ActionItemCloseView.as_view(), name="action_item_close"),
    path("frontdesk/visits/", liaison_views.VisitListView.as_view(), name="visit_list"),
    path("frontdesk/visits/new/<int:pk>/", liaison_views.VisitNewView.as_view(), name="visit_new"),
    path("frontdesk/visits/<int:pk>/", liaison_views.VisitDetailView.as_view(), name="visit_detail"),
    path("frontdesk/visit-plans/", liaison_views.VisitPlanListView.as_view(), name="visit_plan_list"),
    path("frontdesk/visit-plans/<int:pk>/", liaison_views.VisitPlanDetailView.as_view(), name="visit_plan_detail"),
    path("frontdesk/emergencies/", emergency_views.EmergencyListView.as_view(), name="emergency_list"),
    path("frontdesk/emergencies/new/", emergency_views.EmergencyNewView.as_view(), name="emergency_new"),
    path("frontdesk/emergencies/<int:pk>/", emergency_views.EmergencyDetailView.as_view(), name="emergency_detail"),
    path(
        "frontdesk/emergencies/<int:pk>/response/",
        emergency_views.EmergencyResponseView.as_view(),
        name="emergency_response",
    ),
    path("frontdesk/emergencies/<int:pk>/item/", emergency_views.EmergencyItemView.as_view(), name="emergency_item"),
    path(
        "frontdesk/emergencies/<int:pk>/ticket/", emergency_views.EmergencyTicketView.as_view(), name="emergency_ticket"
    ),
    path("frontdesk/emergencies/<int:pk>/link/", emergency_views.EmergencyLinkView.as_view(), name="emergency_link"),
]
portal_patterns += [
    path("frontdesk/visits/", liaison_views.PortalVisitListView.as_view(), name="visit_list"),
    path("frontdesk/visits/<int:pk>/", liaison_views.PortalVisitDetailView.as_view(), name="visit_detail"),
]

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

# --- patrols 巡视 (frontdesk/views/patrols.py) ----------------------------------------------------
from django.urls import path  # noqa: E402

from .views import patrols as patrol_views  # noqa: E402

desk_patterns += [
    path("frontdesk/patrols/mine/", patrol_views.MyPatrolsView.as_view(), name="patrol_mine"),
    path("frontdesk/patrols/tasks/", patrol_views.TaskListView.as_view(), name="patrol_tasks"),
    path("frontdesk/patrols/tasks/<int:pk>/", patrol_views.TaskDetailView.as_view(), name="patrol_task"),
    path("frontdesk/patrols/tasks/<int:pk>/start/", patrol_views.TaskStartView.as_view(), name="patrol_task_start"),
    path(
        "frontdesk/patrols/tasks/<int:pk>/transfer/",
        patrol_views.TaskTransferView.as_view(),
        name="patrol_task_transfer",
    ),
    path("frontdesk/patrols/code/", patrol_views.CodeEntryView.as_view(), name="patrol_code"),
    path("frontdesk/patrols/p/<str:code>/", patrol_views.PointScanView.as_view(), name="patrol_point_scan"),
    path("frontdesk/patrols/findings/", patrol_views.FindingListView.as_view(), name="patrol_findings"),
    path("frontdesk/patrols/findings/<int:pk>/ticket/", patrol_views.CheckTicketView.as_view(), name="patrol_ticket"),
    path("frontdesk/patrols/points/", patrol_views.PointListView.as_view(), name="patrol_points"),
    path("frontdesk/patrols/points/labels.pdf", patrol_views.LabelSheetView.as_view(), name="patrol_labels"),
    path("frontdesk/patrols/routes/", patrol_views.RouteListView.as_view(), name="patrol_routes"),
    path("frontdesk/patrols/plans/", patrol_views.PlanListView.as_view(), name="patrol_plans"),
]


# --- the building management log 大厦管理日志 (frontdesk/views/management_log.py) -----------------
from django.urls import path  # noqa: E402

from .views import management_log as management_log_views  # noqa: E402

desk_patterns += [
    path("frontdesk/management-log/", management_log_views.ManagementLogListView.as_view(), name="management_log_list"),
    path(
        "frontdesk/management-log/<str:day>/",
        management_log_views.ManagementLogDayView.as_view(),
        name="management_log_day",
    ),
    path(
        "frontdesk/management-log/<str:day>/remarks/",
        management_log_views.ManagementLogRemarksView.as_view(),
        name="management_log_remarks",
    ),
    path(
        "frontdesk/management-log/<str:day>/items/",
        management_log_views.ManagementLogItemView.as_view(),
        name="management_log_item",
    ),
    path(
        "frontdesk/management-log/<str:day>/sign/",
        management_log_views.ManagementLogSignView.as_view(),
        name="management_log_sign",
    ),
    path(
        "frontdesk/management-log/<str:day>/pdf/",
        management_log_views.ManagementLogPdfView.as_view(),
        name="management_log_pdf",
    ),
]


# --- quality checks 品质检查 (frontdesk/views/quality.py) -----------------------------------------
from .views import quality as quality_views  # noqa: E402

desk_patterns += [
    path("frontdesk/quality/checks/", quality_views.CheckListView.as_view(), name="quality_check_list"),
    path("frontdesk/quality/checks/new/", quality_views.CheckSheetChoiceView.as_view(), name="quality_check_start"),
    path("frontdesk/quality/checks/new/<int:sheet>/", quality_views.CheckNewView.as_view(), name="quality_check_new"),
    path("frontdesk/quality/checks/<int:pk>/", quality_views.CheckDetailView.as_view(), name="quality_check_detail"),
    path("frontdesk/quality/scores/", quality_views.ScoresView.as_view(), name="quality_scores"),
    path(
        "frontdesk/quality/nonconformities/", quality_views.NonConformityListView.as_view(), name="nonconformity_list"
    ),
    path(
        "frontdesk/quality/nonconformities/<int:pk>/",
        quality_views.NonConformityDetailView.as_view(),
        name="nonconformity_detail",
    ),
    path(
        "frontdesk/quality/nonconformities/<int:pk>/rectify/",
        quality_views.NonConformityRectifyView.as_view(),
        name="nonconformity_rectify",
    ),
    path(
        "frontdesk/quality/nonconformities/<int:pk>/recheck-failed/",
        quality_views.NonConformityRecheckFailView.as_view(),
        name="nonconformity_recheck_fail",
    ),
]


# --- the supervisor dashboard and its monthly report (frontdesk/views/dashboard.py) --------------
from .views import dashboard as dashboard_views  # noqa: E402

desk_patterns += [
    path("frontdesk/dashboard/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("frontdesk/dashboard/reports/", dashboard_views.ReportListView.as_view(), name="dashboard_reports"),
    path("frontdesk/dashboard/reports/<int:pk>/pdf/", dashboard_views.ReportPdfView.as_view(), name="dashboard_pdf"),
]
