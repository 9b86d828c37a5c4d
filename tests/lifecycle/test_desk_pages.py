"""What a clerk stumbles on in the move-in and move-out pages: registers, sub-step messages,
the supervisor's notice that a move-in is ready."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "price_list")]


@pytest.fixture
def clerk(client_for, desk):
    return client_for(desk, HTTP_ACCEPT_LANGUAGE="en")


def test_move_in_list_shows_the_room_numbers(clerk, move_in):
    response = clerk.get(reverse("desk:movein_list"))
    assert response.status_code == 200
    assert "A-1801, A-1802" in response.content.decode()
