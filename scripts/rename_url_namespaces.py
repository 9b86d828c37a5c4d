"""Rewrite flat URL names (``desk:bill_list``) to per-app namespaces (``desk:billing:bill_list``).

The mapping comes from the URL resolver, after jinyuan/urls.py includes each app's patterns
under its own namespace: every ``<side>:<app>:<name>`` gives ``<side>:<name>`` → that. It is
applied to quoted names ("desk:x" / 'desk:x') and to the menus' keys (``nav.desk_x``) with
word-boundary regexes, in *.py, *.html and *.txt under the repository. Run it again after a
rebase: names already namespaced do not match, so it is idempotent.

    .venv/bin/python scripts/rename_url_namespaces.py [--dry-run]
"""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIDES = ("desk", "portal")
SKIP_DIRS = {".git", ".venv", "var", "node_modules", "static", "staticfiles", "media", "locale", "__pycache__"}
SUFFIXES = {".py", ".html", ".txt"}


def mapping() -> dict[str, str]:
    """Old flat name → namespaced name, from the resolver. Fails on an ambiguous old name."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinyuan.settings")
    import django

    django.setup()
    from django.urls import URLResolver, get_resolver

    renames: dict[str, str] = {}
    for side in get_resolver().url_patterns:
        if not (isinstance(side, URLResolver) and side.namespace in SIDES):
            continue
        for app in side.url_patterns:
            if not (isinstance(app, URLResolver) and app.namespace):
                continue
            for pattern in app.url_patterns:
                if not getattr(pattern, "name", None):
                    continue
                old = f"{side.namespace}:{pattern.name}"
                new = f"{side.namespace}:{app.namespace}:{pattern.name}"
                if old in renames and renames[old] != new:
                    raise SystemExit(f"{old} is both {renames[old]} and {new}: rename one first")
                renames[old] = new
    return renames


def compile_rules(renames: dict[str, str]) -> list[tuple[re.Pattern, str]]:
    rules = []
    for old, new in sorted(renames.items()):
        # The name as a whole string literal; a namespaced name does not match (idempotent).
        rules.append((re.compile(rf"""(?P<q>['"]){re.escape(old)}(?P=q)"""), rf"\g<q>{new}\g<q>"))
        # The menus' keys in templates: nav.desk_bill_list.
        rules.append((re.compile(rf"\bnav\.{re.escape(old.replace(':', '_'))}\b"), f"nav.{new.replace(':', '_')}"))
    # f"{side}:certificate_detail": the side is a placeholder; rewritten when the name belongs to
    # the same app on every side.
    apps_of: dict[str, set[str]] = {}
    for old, new in renames.items():
        apps_of.setdefault(old.split(":")[1], set()).add(new.split(":")[1])
    for name, apps in sorted(apps_of.items()):
        if len(apps) == 1:
            rules.append((re.compile(rf"""\}}:{re.escape(name)}(?P<q>['"])"""), rf"}}:{apps.pop()}:{name}\g<q>"))
    return rules


def files() -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        found += [Path(dirpath) / f for f in filenames if Path(f).suffix in SUFFIXES]
    return sorted(found)


def main() -> None:
    dry_run = "--dry-run" in sys.argv
    rules = compile_rules(mapping())
    this = Path(__file__).resolve()
    changed = 0
    for path in files():
        if path.resolve() == this:
            continue
        text = path.read_text(encoding="utf-8")
        new = text
        for pattern, replacement in rules:
            new = pattern.sub(replacement, new)
        if new != text:
            changed += 1
            print(path.relative_to(ROOT))
            if not dry_run:
                path.write_text(new, encoding="utf-8")
    print(f"{changed} files {'would change' if dry_run else 'changed'}")


if __name__ == "__main__":
    main()
