"""Repair URLs (namespaces ``desk:repairs:`` and ``portal:repairs:``). Each part appends its own
block, so the parts of issue 11 stay apart."""

desk_patterns: list = []
portal_patterns: list = []
