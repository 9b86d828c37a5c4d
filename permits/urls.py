from django.urls import path

from . import views

desk_patterns = [
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path("certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", views.CertificatePdfView.as_view(), name="certificate_pdf"),
    path("worker-passes/", views.WorkerPassListView.as_view(), name="worker_pass_list"),
    path("worker-passes/<int:pk>/", views.WorkerPassDetailView.as_view(), name="worker_pass_detail"),
    path("worker-passes/<int:pk>/badge/", views.WorkerPassBadgeView.as_view(), name="worker_pass_badge"),
    path("renovations/<int:pk>/worker-passes/", views.RenovationPassesView.as_view(), name="renovation_passes"),
    path("renovations/<int:pk>/worker-passes/new/", views.WorkerPassIssueView.as_view(), name="worker_pass_new"),
    path("renovations/<int:pk>/worker-passes/badges/", views.RenovationBadgesView.as_view(), name="renovation_badges"),
]
portal_patterns = [
    path("certificates/", views.PortalCertificateListView.as_view(), name="certificate_list"),
    path("certificates/new/", views.PortalCertificateRequestView.as_view(), name="certificate_new"),
    path("certificates/<int:pk>/", views.PortalCertificateDetailView.as_view(), name="certificate_detail"),
    path("certificates/<int:pk>/correct/", views.PortalCertificateCorrectView.as_view(), name="certificate_correct"),
    path("certificates/<int:pk>/pdf/", views.PortalCertificatePdfView.as_view(), name="certificate_pdf"),
    path("worker-passes/", views.PortalWorkerPassListView.as_view(), name="worker_pass_list"),
    path("worker-passes/<int:pk>/", views.PortalWorkerPassDetailView.as_view(), name="worker_pass_detail"),
]

# 大件物品放行条 (issue 9: release notes)
desk_patterns += [
    path("release-notes/", views.ReleaseNoteListView.as_view(), name="release_note_list"),
    path("release-notes/<int:pk>/", views.ReleaseNoteDetailView.as_view(), name="release_note_detail"),
    path("release-notes/<int:pk>/pdf/", views.ReleaseNotePdfView.as_view(), name="release_note_pdf"),
    path("tenants/<int:pk>/release-notes/new/", views.DeskReleaseNoteCreateView.as_view(), name="release_note_new"),
]
portal_patterns += [
    path("release-notes/", views.PortalReleaseNoteListView.as_view(), name="release_note_list"),
    path("release-notes/new/", views.PortalReleaseNoteApplyView.as_view(), name="release_note_new"),
    path("release-notes/<int:pk>/", views.PortalReleaseNoteDetailView.as_view(), name="release_note_detail"),
    path("release-notes/<int:pk>/correct/", views.PortalReleaseNoteCorrectView.as_view(), name="release_note_correct"),
    path("release-notes/<int:pk>/pdf/", views.PortalReleaseNotePdfView.as_view(), name="release_note_pdf"),
]


# --- access passes 大厦出入证 ---
desk_patterns += [
    path("access-passes/", views.AccessPassListView.as_view(), name="access_pass_list"),
    path("access-passes/<int:pk>/", views.AccessPassDetailView.as_view(), name="access_pass_detail"),
    path("access-passes/<int:pk>/issue/", views.AccessPassIssueView.as_view(), name="access_pass_issue"),
    path("access-passes/<int:pk>/reissue/", views.AccessPassReissueView.as_view(), name="access_pass_reissue"),
]
portal_patterns += [
    path("access-passes/", views.PortalAccessPassListView.as_view(), name="access_pass_list"),
    path("access-passes/new/", views.PortalAccessPassRequestView.as_view(), name="access_pass_new"),
    path("access-passes/import/", views.PortalAccessPassImportView.as_view(), name="access_pass_import"),
    path("access-passes/template/", views.PortalAccessPassTemplateView.as_view(), name="access_pass_template"),
    path("access-passes/<int:pk>/", views.PortalAccessPassDetailView.as_view(), name="access_pass_detail"),
]


# --- 停车证 parking permits ------------------------------------------------------------------------
desk_patterns += [
    path("parking/", views.ParkingListView.as_view(), name="parking_list"),
    path("parking/plate-check/", views.PlateCheckView.as_view(), name="plate_check"),
    path("parking/new/<int:pk>/", views.ParkingNewView.as_view(), name="parking_new"),
    path("parking/<int:pk>/", views.ParkingDetailView.as_view(), name="parking_detail"),
    path("parking/papers/<int:pk>/", views.ParkingPaperView.as_view(), name="parking_paper"),
    path("parking/move-out/<int:pk>/", views.ParkingMoveOutView.as_view(), name="parking_moveout"),
]
portal_patterns += [
    path("parking/", views.PortalParkingListView.as_view(), name="parking_list"),
    path("parking/new/", views.PortalParkingNewView.as_view(), name="parking_new"),
    path("parking/<int:pk>/", views.PortalParkingDetailView.as_view(), name="parking_detail"),
    path("parking/papers/<int:pk>/", views.PortalParkingPaperView.as_view(), name="parking_paper"),
]


# --- 临时用电 temporary power (issue 10) ------------------------------------------------------------
desk_patterns += [
    path("temporary-power/", views.PowerListView.as_view(), name="power_list"),
    path("temporary-power/new/<int:pk>/", views.PowerNewView.as_view(), name="power_new"),
    path("temporary-power/<int:pk>/", views.PowerDetailView.as_view(), name="power_detail"),
    path("temporary-power/<int:pk>/pdf/", views.PowerPdfView.as_view(), name="power_pdf"),
]
portal_patterns += [
    path("temporary-power/", views.PortalPowerListView.as_view(), name="power_list"),
    path("temporary-power/new/", views.PortalPowerNewView.as_view(), name="power_new"),
    path("temporary-power/<int:pk>/", views.PortalPowerDetailView.as_view(), name="power_detail"),
    path("temporary-power/<int:pk>/correct/", views.PortalPowerCorrectView.as_view(), name="power_correct"),
    path("temporary-power/<int:pk>/pdf/", views.PortalPowerPdfView.as_view(), name="power_pdf"),
]

# --- 动火作业 hot-work permits and security's board --------------------------------------------------
desk_patterns += [
    path("hot-work/", views.HotWorkListView.as_view(), name="hot_work_list"),
    path("hot-work/<int:pk>/", views.HotWorkDetailView.as_view(), name="hot_work_detail"),
    path("hot-work/<int:pk>/site/", views.HotWorkSiteView.as_view(), name="hot_work_site"),
    path("hot-work/<int:pk>/pdf/", views.HotWorkPdfView.as_view(), name="hot_work_pdf"),
    path("tenants/<int:pk>/hot-work/new/", views.DeskHotWorkNewView.as_view(), name="hot_work_new"),
    path("security-board/", views.SecurityBoardView.as_view(), name="security_board"),
]
portal_patterns += [
    path("hot-work/", views.PortalHotWorkListView.as_view(), name="hot_work_list"),
    path("hot-work/new/", views.PortalHotWorkNewView.as_view(), name="hot_work_new"),
    path("hot-work/<int:pk>/", views.PortalHotWorkDetailView.as_view(), name="hot_work_detail"),
    path("hot-work/<int:pk>/correct/", views.PortalHotWorkCorrectView.as_view(), name="hot_work_correct"),
    path("hot-work/<int:pk>/pdf/", views.PortalHotWorkPdfView.as_view(), name="hot_work_pdf"),
]

# --- 专用货梯 freight-elevator slots (issue 10) ---------------------------------------------------
desk_patterns += [
    path("elevator/", views.ElevatorBookingListView.as_view(), name="elevator_list"),
    path("elevator/<int:pk>/calendar/", views.ElevatorCalendarView.as_view(), name="elevator_calendar"),
    path("elevator/<int:pk>/book/", views.DeskElevatorBookView.as_view(), name="elevator_book"),
    path("elevator-bookings/<int:pk>/", views.ElevatorBookingDetailView.as_view(), name="elevator_booking_detail"),
]
portal_patterns += [
    path("elevator/", views.PortalElevatorListView.as_view(), name="elevator_list"),
    path("elevator/<int:pk>/calendar/", views.PortalElevatorCalendarView.as_view(), name="elevator_calendar"),
    path("elevator/<int:pk>/book/", views.PortalElevatorBookView.as_view(), name="elevator_book"),
    path(
        "elevator-bookings/<int:pk>/",
        views.PortalElevatorBookingDetailView.as_view(),
        name="elevator_booking_detail",
    ),
]
