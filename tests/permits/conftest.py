"""Worker pass fixtures: tenant A's renovation in works (through the renovation services) and
a valid worker's fields."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from permits import passes
from permits.models import id_number_check_char
from tests.factories import tiny_image
from tests.renovation.conftest import apply, make_renovation  # noqa: F401 (fixtures)


def id_number(seq: int = 1) -> str:
    """A valid 18-digit ID number (born 1985-06-15 in Nanning), ``seq`` its serial."""
    first17 = f"450102198506150{seq % 100:02d}"
    return first17 + id_number_check_char(first17)


def photo(name: str = "工人.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_image(), content_type="image/jpeg")


def worker(seq: int = 1, **over) -> dict:
    return {
        "worker_name": "李建军",
        "id_number": id_number(seq),
        "trade": "carpenter",
        "photo": photo(),
        **over,
    }


@pytest.fixture
def works(make_renovation):  # noqa: F811 (the imported fixture)
    """Tenant A's renovation of unit A, in works from today."""
    return make_renovation("in_works", planned_start=timezone.localdate())


@pytest.fixture
def issue(works, desk):
    """``issue(seq, **overrides)``: a worker pass of ``works`` issued by the desk."""

    def make(seq: int = 1, **over):
        return passes.worker_pass_issue(renovation=works, by=desk, **worker(seq, **over))

    return make


# 停车证 parking permits: a fixed space, applications and permits in every state.
from tests.permits.parking_fixtures import apply_parking, make_permit, space  # noqa: E402, F401

# 临时用电 temporary power: applications and permits in every state.
from tests.permits.power_fixtures import apply_power, make_power  # noqa: E402, F401
