from django.urls import path

from . import views

app_name = "attachments"
urlpatterns = [
    path("<int:pk>/", views.AttachmentFileView.as_view(), name="file"),
    path("<int:pk>/thumbnail/", views.AttachmentThumbnailView.as_view(), name="thumbnail"),
]
