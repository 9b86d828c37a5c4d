from django.urls import path

from . import views

desk_patterns = [
    path("buildings/", views.BuildingListView.as_view(), name="building_list"),
    path("buildings/<int:pk>/", views.BuildingDetailView.as_view(), name="building_detail"),
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("tenants/", views.TenantListView.as_view(), name="tenant_list"),
    path("tenants/<int:pk>/", views.TenantDetailView.as_view(), name="tenant_detail"),
]
portal_patterns = [
    path("", views.PortalHomeView.as_view(), name="home"),
]
