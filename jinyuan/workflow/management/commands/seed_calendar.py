from django.core.management.base import BaseCommand, CommandParser

from jinyuan.workflow.calendar import seed_missing_years, seed_year


class Command(BaseCommand):
    help = (
        "Seed the working calendar from chinese-calendar (a year it does not know: plain weekdays, "
        "unconfirmed). Without --year: this year and next, where missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="a year to seed (repeatable)")
        parser.add_argument("--replace", action="store_true", help="reseed a year that exists (drops its edits)")

    def handle(self, *args, year: list[int] | None = None, replace: bool = False, **options) -> None:
        years = year or []
        if not years:
            years = seed_missing_years()
        for y in year or []:
            seed_year(y, replace=replace)
        for y in years:
            self.stdout.write(f"{y}: seeded")
