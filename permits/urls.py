from django.urls import path

from . import views

desk_patterns = [
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path("certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", views.CertificatePdfView.as_view(), name="certificate_pdf"),
]
portal_patterns = [
    path("certificates/", views.PortalCertificateListView.as_view(), name="certificate_list"),
    path("certificates/new/", views.PortalCertificateRequestView.as_view(), name="certificate_new"),
    path("certificates/<int:pk>/", views.PortalCertificateDetailView.as_view(), name="certificate_detail"),
    path("certificates/<int:pk>/correct/", views.PortalCertificateCorrectView.as_view(), name="certificate_correct"),
    path("certificates/<int:pk>/pdf/", views.PortalCertificatePdfView.as_view(), name="certificate_pdf"),
]
