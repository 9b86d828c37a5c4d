from django.urls import path

from . import views
from .views import meters

desk_patterns = [
    path("buildings/", views.BuildingListView.as_view(), name="building_list"),
    path("buildings/<int:pk>/", views.BuildingDetailView.as_view(), name="building_detail"),
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("tenants/", views.TenantListView.as_view(), name="tenant_list"),
    path("tenants/new/", views.TenantCreateView.as_view(), name="tenant_new"),
    path("tenants/<int:pk>/", views.TenantDetailView.as_view(), name="tenant_detail"),
    path("tenants/<int:tenant_pk>/archive/", views.ArchiveUploadView.as_view(), name="archive_upload"),
    path("tenants/<int:tenant_pk>/move-in/", views.MoveInCreateView.as_view(), name="movein_new"),
    path("tenants/<int:tenant_pk>/move-out/", views.MoveOutCreateView.as_view(), name="moveout_new"),
    path("tenants/<int:tenant_pk>/signboard/", views.SignboardCreateView.as_view(), name="signboard_new"),
    path("move-ins/", views.MoveInListView.as_view(), name="movein_list"),
    path("move-ins/new/", views.MoveInStartView.as_view(), name="movein_start"),
    path("move-ins/<int:pk>/", views.MoveInDetailView.as_view(), name="movein_detail"),
    path("move-outs/", views.MoveOutListView.as_view(), name="moveout_list"),
    path("move-outs/<int:pk>/", views.MoveOutDetailView.as_view(), name="moveout_detail"),
    path("signboards/", views.SignboardListView.as_view(), name="signboard_list"),
    path("signboards/<int:pk>/", views.SignboardDetailView.as_view(), name="signboard_detail"),
    path("directory/", views.DirectoryView.as_view(), name="directory"),
    # 抄表 meters and reading rounds
    path("meters/", meters.MeterListView.as_view(), name="meter_list"),
    path("meters/<int:pk>/", meters.MeterDetailView.as_view(), name="meter_detail"),
    path("meters/<int:pk>/replace/", meters.MeterReplaceView.as_view(), name="meter_replace"),
    path("meters/rounds/", meters.RoundListView.as_view(), name="round_list"),
    path("meters/rounds/<int:pk>/", meters.RoundDetailView.as_view(), name="round_detail"),
    path("meters/rounds/<int:pk>/floors/<int:floor_pk>/", meters.RoundFloorView.as_view(), name="round_floor"),
    path("meters/rounds/<int:pk>/import/", meters.RoundImportView.as_view(), name="round_import"),
    path("meters/rounds/<int:pk>/template/", meters.RoundTemplateView.as_view(), name="round_template"),
    path("meters/readings/<int:pk>/confirm/", meters.ReadingConfirmView.as_view(), name="reading_confirm"),
]
# The company's page is the portal's home (``portal:home``), outside tenants' namespace.
portal_home = path("", views.PortalHomeView.as_view(), name="home")
portal_patterns = [
    path("move-ins/<int:pk>/", views.PortalMoveInView.as_view(), name="movein_detail"),
    path("move-out/", views.PortalMoveOutCreateView.as_view(), name="moveout_new"),
    path("move-outs/<int:pk>/", views.PortalMoveOutView.as_view(), name="moveout_detail"),
    path("signboard/", views.PortalSignboardCreateView.as_view(), name="signboard_new"),
    path("access/", views.PortalGrantsView.as_view(), name="grants"),
    path("meters/", meters.PortalMeterListView.as_view(), name="meter_list"),
    path("meters/<int:pk>/", meters.PortalMeterDetailView.as_view(), name="meter_detail"),
]
