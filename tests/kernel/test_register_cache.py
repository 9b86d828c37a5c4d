"""The register cache: rows and pages kept until the data changes, never shared wrongly."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import MessageEncoder
from django.contrib.messages.storage.session import SessionStorage
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.register_cache]

URL = reverse("desk:tenant_list")


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.REGISTER_CACHE_SECONDS = 300


def first_view(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_view_runs_only_the_session_user_and_version_queries(
    client_for, desk, tenant_a, django_assert_num_queries
):
    client = client_for(desk)
    first_view(client)
    with django_assert_num_queries(3):  # session, user with roles, data version
        assert tenant_a.name in first_view(client)


def test_a_cached_page_is_not_served_to_another_session(client_for, desk, supervisor, tenant_a):
    desk.display_name, supervisor.display_name = "前台 李敏", "客服主管 黄海燕"
    desk.save()
    supervisor.save()
    clerk, boss = client_for(desk), client_for(supervisor)
    first_view(clerk)
    assert "前台 李敏" in first_view(clerk)  # from the session's page cache
    boss_page = first_view(boss)
    assert "客服主管 黄海燕" in boss_page
    assert "前台 李敏" not in boss_page


def test_a_waiting_message_is_shown_not_skipped(client_for, desk, tenant_a):
    client = client_for(desk)
    first_view(client)
    first_view(client)  # the page is now cached for this session
    session = client.session
    session[SessionStorage.session_key] = MessageEncoder().encode([Message(constants.SUCCESS, "已保存：测试消息")])
    session.save()
    assert "已保存：测试消息" in first_view(client)
    assert "已保存：测试消息" not in first_view(client)  # shown once
