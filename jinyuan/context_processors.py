from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {"SITE_NAME": "金源CBD现代城客户服务中心", "SITE_URL": settings.SITE_URL}
