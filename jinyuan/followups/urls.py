from django.urls import path

from . import views

desk_patterns = [
    path("followups/", views.FollowUpListView.as_view(), name="followup_list"),
    path("followups/<int:pk>/", views.FollowUpRecordView.as_view(), name="followup_record"),
]
