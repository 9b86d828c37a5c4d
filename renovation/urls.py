from django.urls import path

from . import views

desk_patterns = [
    path("renovations/", views.RenovationListView.as_view(), name="renovation_list"),
    path("renovations/<int:pk>/", views.RenovationDetailView.as_view(), name="renovation_detail"),
    path("renovations/<int:pk>/permit/", views.RenovationPermitView.as_view(), name="renovation_permit"),
    path("tenants/<int:tenant_pk>/renovations/new/", views.RenovationApplyView.as_view(), name="renovation_new"),
    path("renovations/<int:pk>/inspect/", views.InspectionNewView.as_view(), name="inspection_new"),
    path("renovations/inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("renovations/orders/", views.OrderListView.as_view(), name="order_list"),
    path("renovations/<int:pk>/deductions/new/", views.DeductionNewView.as_view(), name="deduction_new"),
    path("renovations/deductions/<int:pk>/", views.DeductionDetailView.as_view(), name="deduction_detail"),
    path("renovations/orders/<int:pk>/pdf/", views.OrderPdfView.as_view(), name="order_pdf"),
    path("renovations/<int:pk>/correct/", views.RenovationCorrectView.as_view(), name="renovation_correct"),
    path("renovations/<int:pk>/extend/", views.ExtensionNewView.as_view(), name="extension_new"),
    path("renovations/extensions/<int:pk>/", views.ExtensionDetailView.as_view(), name="extension_detail"),
]
portal_patterns = [
    path("renovations/", views.PortalRenovationListView.as_view(), name="renovation_list"),
    path("renovations/new/", views.PortalRenovationApplyView.as_view(), name="renovation_new"),
    path("renovations/<int:pk>/", views.PortalRenovationDetailView.as_view(), name="renovation_detail"),
    path("renovations/<int:pk>/correct/", views.PortalRenovationCorrectView.as_view(), name="renovation_correct"),
    path("renovations/<int:pk>/permit/", views.PortalRenovationPermitView.as_view(), name="renovation_permit"),
    path("renovations/orders/<int:pk>/pdf/", views.PortalOrderPdfView.as_view(), name="order_pdf"),
    path("renovations/<int:pk>/extend/", views.PortalExtensionNewView.as_view(), name="extension_new"),
    path("renovations/extensions/<int:pk>/", views.PortalExtensionDetailView.as_view(), name="extension_detail"),
]
