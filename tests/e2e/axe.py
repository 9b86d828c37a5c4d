"""The accessibility check of the browser tests: axe-core (vendored for tests only, see
static_test/axe-core/README.md) run on a page against WCAG 2.1 A/AA.

Every page a browser walk reaches through ``goto``, ``submit()`` or ``login()`` is checked
before the walk acts on it (``conftest.new_page`` wires that up), so axe always finishes
before the page navigates away. Findings are gathered per test and reported at once; serious
and critical ones fail the test. Counts of every impact go to ``var/axe-summary.json`` for
the before/after numbers in the closing notes.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).resolve().parents[2] / "static_test" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE_JS.read_text() + "\n;typeof window.axe"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")

# The only place where a rule is switched off, each with its reason. Empty: no exceptions.
EXCEPTIONS: dict[str, str] = {}

RUN = """async ([tags, off]) => {
  const rules = Object.fromEntries(off.map((id) => [id, {enabled: false}]));
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    rule: v.id, help: v.help,
    nodes: v.nodes.map((n) => ({impact: n.impact || v.impact, target: n.target.join(" "), html: n.html.slice(0, 160)})),
  }));
}"""


@dataclass
class Finding:
    url: str
    rule: str
    impact: str
    help: str
    target: str
    html: str

    def __str__(self) -> str:
        return f"{self.impact:8} {self.rule:28} {self.url}  {self.target}  {self.html}"


@dataclass
class AxeChecker:
    """Gathers findings over the pages one test visits."""

    findings: list[Finding] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def check(self, page, label: str = "") -> list[Finding]:
        """Runs axe on the page as it is now; pages that are not HTML (a PDF) are skipped."""
        if page.evaluate("document.contentType") != "text/html":
            return []
        if page.evaluate("typeof window.axe") == "undefined":
            # Evaluated through the DevTools protocol: a script tag would be refused by the CSP.
            page.evaluate(AXE_SOURCE)
        url = page.url.removeprefix(page.evaluate("location.origin"))
        where = f"{label} {url}".strip()
        found = [
            Finding(where, v["rule"], n["impact"], v["help"], n["target"], n["html"])
            for v in page.evaluate(RUN, [WCAG_TAGS, list(EXCEPTIONS)])
            for n in v["nodes"]
        ]
        self.pages.append(where)
        self.findings += found
        return found

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.impact in BLOCKING]

    def counts(self) -> dict[str, int]:
        counted = Counter(f.impact for f in self.findings)
        return {impact: counted.get(impact, 0) for impact in IMPACTS}

    def report(self) -> str:
        lines = [f"{len(self.blocking)} serious or critical axe findings on {len(self.pages)} pages:"]
        lines += [str(f) for f in self.blocking]
        return "\n".join(lines)


def record_summary(path: Path, checkers: list[AxeChecker]) -> None:
    """Adds this run's counts to ``path`` (one JSON object: pages checked, findings by impact)."""
    pages = sum(len(c.pages) for c in checkers)
    if not pages:
        return
    totals = Counter()
    rules = Counter()
    for checker in checkers:
        totals.update(checker.counts())
        rules.update(f"{f.impact} {f.rule}" for f in checker.findings)
    path.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "axe": AXE_VERSION,
        "pages": pages,
        "by_impact": {i: totals.get(i, 0) for i in IMPACTS},
        "by_rule": dict(rules.most_common()),
    }
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
