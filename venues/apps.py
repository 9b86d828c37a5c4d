from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = _("Venues")

    def ready(self) -> None:
        from tenants import grants

        from .models import VENUES_AREA

        grants.register_area(VENUES_AREA, _("Meeting rooms and venues"))

        from . import application_menus

        application_menus.register()
        # Meeting rooms: menus, panels, the tenant page's panel, timeline labels.
        from . import room_menus

        room_menus.register()
