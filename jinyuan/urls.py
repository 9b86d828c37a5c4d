from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from billing import urls as billing_urls
from complaints import urls as complaints_urls
from frontdesk import urls as frontdesk_urls
from jinyuan import views
from jinyuan.documents.views import GateView, verify
from jinyuan.followups import urls as followups_urls
from permits import urls as permits_urls
from renovation import urls as renovation_urls
from repairs import urls as repairs_urls
from tenants import urls as tenants_urls
from venues import urls as venues_urls

admin.site.site_header = _("Jinyuan CBD service center")
admin.site.site_title = _("Jinyuan CBD service center")
admin.site.index_title = _("Supervisor administration")

# URL names are namespaced per app (``desk:billing:bill_list``): apps arrive one by one and a
# flat namespace would let one silently shadow another's name. Only the two homes are shared.
desk = [
    path("", views.DeskHomeView.as_view(), name="home"),
    path("", include((tenants_urls.desk_patterns, "tenants"))),
    path("", include((billing_urls.desk_patterns, "billing"))),
    path("", include((permits_urls.desk_patterns, "permits"))),
    path("", include((renovation_urls.desk_patterns, "renovation"))),
    path("", include((repairs_urls.desk_patterns, "repairs"))),
    path("", include((complaints_urls.desk_patterns, "complaints"))),
    path("", include((venues_urls.desk_patterns, "venues"))),
    path("", include((frontdesk_urls.desk_patterns, "frontdesk"))),
    path("", include((followups_urls.desk_patterns, "followups"))),
]
portal = [
    tenants_urls.portal_home,
    path("", include((tenants_urls.portal_patterns, "tenants"))),
    path("", include((billing_urls.portal_patterns, "billing"))),
    path("", include((permits_urls.portal_patterns, "permits"))),
    path("", include((renovation_urls.portal_patterns, "renovation"))),
    path("", include((repairs_urls.portal_patterns, "repairs"))),
    path("", include((complaints_urls.portal_patterns, "complaints"))),
    path("", include((venues_urls.portal_patterns, "venues"))),
    path("", include((frontdesk_urls.portal_patterns, "frontdesk"))),
]

urlpatterns = [
    path("", include("jinyuan.accounts.urls")),
    path("desk/", include((desk, "desk"))),
    path("portal/", include((portal, "portal"))),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/<int:pk>/open/", views.NotificationOpenView.as_view(), name="notification_open"),
    path("attachments/", include("jinyuan.attachments.urls")),
    path("verify/<str:code>/", verify, name="verify"),
    path("gate/", GateView.as_view(), name="gate"),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
