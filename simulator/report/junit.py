"""The report as JUnit XML for CI systems: one testcase per expectation verdict (unexpected
refusals included, they are verdicts too) and, with --strict, per warning."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from . import Report


def write_junit(report: Report, path: Path, *, strict: bool = False) -> None:
    cases = [(v.expectation, v.passed, v.detail) for v in report.verdicts]
    if strict:
        cases += [(f"warning: {w[:80]}", False, w) for w in report.warnings]
    suite = ET.Element("testsuite", name=f"vendorsim: {report.scenario}", tests=str(len(cases)),
                       failures=str(sum(not ok for _, ok, _ in cases)), errors="0")
    for name, passed, detail in cases:
        case = ET.SubElement(suite, "testcase", classname=report.scenario, name=name)
        if passed:
            ET.SubElement(case, "system-out").text = detail
        else:
            failure = ET.SubElement(case, "failure", message=detail[:500])
            failure.text = detail
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    path.write_text(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n",
                    encoding="utf-8")
