from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, to_locale

from jinyuan import navigation


def language_tag(code: str | None) -> str:
    """The BCP 47 tag of a Django language code, for ``lang`` attributes: "zh-hans" -> "zh-Hans"."""
    return to_locale(code or settings.LANGUAGE_CODE).replace("_", "-")


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": "金源CBD现代城客户服务中心",
        "SITE_URL": settings.SITE_URL,
        "LANGUAGE_TAG": language_tag(get_language()),
    }


def nav(request: HttpRequest) -> dict:
    """The menus from the registry (jinyuan.navigation). URLs are reversed once per process;
    the menus are built only when a template shows them, from the roles the request already
    loaded (no query of their own)."""
    urls = navigation.menu_urls(get_script_prefix())
    user = getattr(request, "user", None)
    return {
        "nav": urls,
        "desk_menu": SimpleLazyObject(lambda: navigation.desk_menu(user, urls)),
        # The portal views (TenantMemberRequiredMixin) replace this with the member's own menu
        # (admin-only entries, granted areas); pages that know no membership (notifications,
        # password) show a staff member's menu without the area check, as before, at no query.
        "portal_menu": SimpleLazyObject(lambda: navigation.portal_menu(False, None, urls)),
    }
