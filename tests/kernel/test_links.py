"""{% url %} is the project's faster tag (jinyuan.templatetags.links): its output must be
exactly Django's reverse() for every URL, whatever the arguments."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, get_resolver, reverse, set_script_prefix
from django.utils import translation

from jinyuan.templatetags.links import FastURLNode


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def _names(resolver, namespace: str = "") -> list[str]:
    """Every URL name under ``resolver``, namespaced ("desk:billing:bill_detail")."""
    names = [f"{namespace}{name}" for name in resolver.reverse_dict if isinstance(name, str)]
    for inner, (_prefix, sub) in resolver.namespace_dict.items():
        names += _names(sub, f"{namespace}{inner}:")
    return names


def _int_routes() -> list[tuple[str, int]]:
    """Every named URL of the project whose arguments are integers, with their count."""
    routes = []
    for name in sorted(set(_names(get_resolver()))):
        for count in range(4):
            try:
                reverse(name, args=[7] * count)
            except NoReverseMatch:
                continue
            routes.append((name, count))
            break
    return routes


def test_the_project_tag_replaces_djangos():
    assert isinstance(Template("{% url 'desk:home' %}").nodelist[0], FastURLNode)


def test_every_named_url_with_integer_arguments_reads_as_reverse_gives_it():
    routes = [(name, count) for name, count in _int_routes() if count]
    assert len(routes) > 10
    for name, count in routes:
        for args in ([1] * count, [987654321 + i for i in range(count)], [0] * count):
            source = "{% url name " + " ".join(f"a{i}" for i in range(count)) + " %}"
            html = _render(source, name=name, **{f"a{i}": arg for i, arg in enumerate(args)})
            assert html == reverse(name, args=args), (name, args)


def test_other_arguments_go_through_django(client):
    by_keyword = reverse("desk:tenants:tenant_detail", kwargs={"pk": 5})
    assert _render("{% url 'desk:tenants:tenant_detail' pk=5 %}") == by_keyword
    assert _render("{% url 'desk:tenants:tenant_detail' '5' %}") == reverse("desk:tenants:tenant_detail", args=["5"])
    assert (
        _render("{% url 'desk:tenants:tenant_detail' 5 as link %}[{{ link }}]")
        == f"[{reverse('desk:tenants:tenant_detail', args=[5])}]"
    )
    with pytest.raises(NoReverseMatch):
        _render("{% url 'desk:tenants:tenant_detail' -1 %}")


def test_a_script_prefix_and_a_language_change_the_link_as_they_change_reverse():
    try:
        set_script_prefix("/service/")
        assert _render("{% url 'desk:tenants:tenant_detail' 5 %}") == reverse("desk:tenants:tenant_detail", args=[5])
        assert _render("{% url 'desk:tenants:tenant_detail' 5 %}").startswith("/service/")
    finally:
        set_script_prefix("/")
    with translation.override("en"):
        assert _render("{% url 'desk:tenants:tenant_detail' 5 %}") == reverse("desk:tenants:tenant_detail", args=[5])
