"""The supervisors' admin of check sheets: a used sheet's items are frozen, "copy as a new
version" gives an editable copy; checks and non-conformities are read only."""

import pytest
from django.urls import reverse

from frontdesk.models import CheckItem, CheckSheet
from tests import factories
from tests.frontdesk.quality_data import make_check, make_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client_for):
    return client_for(factories.UserFactory(username="root", is_staff=True, is_superuser=True))


def test_a_used_sheets_items_are_read_only_and_an_unused_ones_editable(root, supervisor):
    used, unused = make_sheet(), make_sheet(name="新表")
    make_check(used, supervisor)
    used_page = root.get(reverse("admin:frontdesk_checksheet_change", args=[used.pk])).content.decode()
    unused_page = root.get(reverse("admin:frontdesk_checksheet_change", args=[unused.pk])).content.decode()
    assert 'name="items-0-weight"' not in used_page and "大堂地面无污渍、无积水" in used_page
    assert 'name="items-0-weight"' in unused_page


def test_a_pass_mark_outside_the_range_is_refused_beside_the_items(root):
    sheet = make_sheet(items=())
    url = reverse("admin:frontdesk_checksheet_change", args=[sheet.pk])
    data = {
        "name": sheet.name,
        "department": sheet.department,
        "rectify_days": 3,
        "is_active": "on",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-order": "0",
        "items-0-text": "岗位整洁",
        "items-0-weight": "1",
        "items-0-min_score": "0",
        "items-0-max_score": "10",
        "items-0-pass_score": "12",
    }
    response = root.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The pass mark must lie between the lowest and the highest score." in response.content.decode()
    assert not CheckItem.objects.filter(sheet=sheet).exists()


def test_copy_as_a_new_version_from_the_list(root, supervisor):
    sheet = make_sheet()
    make_check(sheet, supervisor)
    response = root.post(
        reverse("admin:frontdesk_checksheet_changelist"), {"action": "new_version", "_selected_action": [sheet.pk]}
    )
    assert response.status_code == 302
    copy = CheckSheet.objects.get(version=2)
    assert copy.items.count() == 3 and not CheckSheet.objects.get(pk=sheet.pk).is_active


@pytest.mark.parametrize("model", ["checksheet", "qualitycheck", "nonconformity"])
def test_the_changelists_open(root, supervisor, model):
    make_check(make_sheet(), supervisor, [1, 10, 5])
    assert root.get(reverse(f"admin:frontdesk_{model}_changelist")).status_code == 200
