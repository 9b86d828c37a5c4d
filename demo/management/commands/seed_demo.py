"""``manage.py seed_demo [--scale small|large] [--reset]``: demo data of 金源CBD现代城."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from demo import services
from demo.people import Login


class Command(BaseCommand):
    help = (
        "Load demo data (premises, tenants, certificates, bills and payments, move-ins, signboards, permits,"
        " repairs with quotes, ratings and return visits, paid services, complaints, logins)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(services.SCALES), default="small")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the demo's tables first (demo DBs only); the price list and staff groups stay.",
        )

    def handle(self, *args, scale: str, reset: bool, **options) -> None:
        if reset:
            services.reset()
            self.stdout.write("Emptied the demo tables.")
        elif services.has_data():
            # Running twice is normal (`make run` seeds each time): leave existing data alone.
            self.stdout.write("The database already has premises or tenants: nothing loaded (--reset reloads).")
            self._print_logins(services.existing_logins())
            return
        summary = services.seed(services.SCALES[scale])
        self.stdout.write(self.style.SUCCESS(f"Loaded the {summary.scale} demo in {summary.seconds:.1f} s:"))
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name:<22} {count:>8,}")
        for name, states in (
            ("premises certificates", summary.certificates),
            ("bills", summary.bills),
            ("signboards", summary.signboards),
            ("repair tickets", summary.repairs),
            ("repair quotes", summary.quotes),
            ("complaints", summary.complaints),
            ("return visits", summary.visits),
        ):
            detail = ", ".join(f"{state or 'open'} {n:,}" for state, n in states.items())
            self.stdout.write(f"  {name:<22} {sum(states.values()):>8,}  ({detail})")
        self._print_logins(summary.logins)

    def _print_logins(self, logins: list[Login]) -> None:
        if not logins:
            return
        self.stdout.write(f"\nDemo logins ({settings.SITE_URL}/):")
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.password:<15} {login.who}")
