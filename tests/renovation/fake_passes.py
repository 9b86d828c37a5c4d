"""A worker-pass provider for renovation's tests: passes kept in memory per renovation."""

from decimal import Decimal

from renovation.passes import PassDeposit


class FakePasses:
    """``FakePasses().issue(renovation, "张三", "200")``; states: active, suspended, returned,
    void, forfeited."""

    def __init__(self):
        self.passes: dict[int, list[dict]] = {}

    def issue(self, renovation, holder: str, deposit: str = "200") -> dict:
        rows = self.passes.setdefault(renovation.pk, [])
        row = {"number": f"P{renovation.pk}-{len(rows) + 1}", "holder": holder, "deposit": Decimal(deposit)}
        row["state"] = "active"
        rows.append(row)
        return row

    def _set(self, renovation, src: tuple[str, ...], dst: str) -> int:
        rows = [r for r in self.passes.get(renovation.pk, []) if r["state"] in src]
        for row in rows:
            row["state"] = dst
        return len(rows)

    def suspend(self, renovation, *, by, reason):
        return self._set(renovation, ("active",), "suspended")

    def restore(self, renovation, *, by):
        return self._set(renovation, ("suspended",), "active")

    def void(self, renovation, *, by, reason):
        return self._set(renovation, ("active", "suspended"), "void")

    def unreturned(self, renovation):
        return [
            PassDeposit(r["number"], r["holder"], r["deposit"])
            for r in self.passes.get(renovation.pk, [])
            if r["state"] in ("active", "suspended", "void")
        ]

    def forfeit_unreturned(self, renovation, *, by):
        out = self.unreturned(renovation)
        self._set(renovation, ("active", "suspended", "void"), "forfeited")
        return out
