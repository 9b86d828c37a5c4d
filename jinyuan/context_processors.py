import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, to_locale


def language_tag(code: str | None) -> str:
    """The BCP 47 tag of a Django language code, for ``lang`` attributes: "zh-hans" -> "zh-Hans"."""
    return to_locale(code or settings.LANGUAGE_CODE).replace("_", "-")


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": "金源CBD现代城客户服务中心",
        "SITE_URL": settings.SITE_URL,
        "LANGUAGE_TAG": language_tag(get_language()),
    }


# Links of the navigation bars, reversed once per process: every page shows them and
# {% url %} costs ~0.1 ms each, more than a small query.
NAV_URL_NAMES = (
    "desk:home",
    "desk:tenant_list",
    "desk:unit_list",
    "desk:building_list",
    "desk:movein_list",
    "desk:moveout_list",
    "desk:signboard_list",
    "desk:directory",
    "desk:certificate_list",
    "desk:bill_list",
    "gate",
    "portal:home",
    "portal:billing_home",
    "portal:certificate_list",
    "admin:index",
    "notifications",
    "accounts:password_change",
    "accounts:notification_settings",
    "accounts:logout",
    "set_language",
)


@functools.cache
def _nav_urls(script_prefix: str) -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name) for name in NAV_URL_NAMES}


def nav(request: HttpRequest) -> dict:
    return {"nav": _nav_urls(get_script_prefix())}
