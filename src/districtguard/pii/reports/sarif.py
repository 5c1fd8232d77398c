"""SARIF 2.1.0: one run, one rule per element, one result per finding.

Statutory findings (a name linked to the element) are ``error``, the rest
``warning``. Regions carry ``charOffset``/``charLength`` only where the format has
character offsets; the human location (sheet and cell, page, member) is in the
location's property bag either way. Failed and partly read files become tool
execution notifications, and make ``executionSuccessful`` false.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from districtguard import __version__
from districtguard.pii.elements import Element
from districtguard.pii.findings import Finding
from districtguard.pii.reports.base import TextSink
from districtguard.pii.results import Failure, FileResult, ScanSummary

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

DESCRIPTIONS: dict[Element, str] = {
    Element.SSN: "Social Security number",
    Element.DRIVER_LICENSE: "Driver license or state identification card number",
    Element.GOVERNMENT_ID: "Other government-issued identification number",
    Element.PAYMENT_CARD: "Credit or debit card number",
    Element.CARD_SECURITY_CODE: "Card security code",
    Element.CARD_EXPIRATION: "Card expiration date",
    Element.BANK_ACCOUNT: "Financial account number",
    Element.ROUTING_NUMBER: "Bank routing number",
    Element.PERSON_NAME: "Person's name",
}
RULE_INDEX = {element: index for index, element in enumerate(Element)}


def artifact_uri(path: str) -> str:
    """Return ``path`` as a SARIF artifact URI (relative paths stay relative)."""
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return "file://" + quote(str(posix))
    return quote(str(posix))


def _rule(element: Element) -> dict[str, Any]:
    return {
        "id": str(element),
        "name": str(element).title().replace("_", ""),
        "shortDescription": {"text": DESCRIPTIONS[element]},
        "defaultConfiguration": {"level": "warning"},
    }


def sarif_result(finding: Finding) -> dict[str, Any]:
    """Return the SARIF result for one finding."""
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(finding.path)}}
    if finding.start is not None and finding.end is not None:
        physical["region"] = {
            "charOffset": finding.start,
            "charLength": finding.end - finding.start,
        }
    if finding.statutory:
        meaning = "statutory personal information (a name linked to an element)"
    else:
        meaning = "not statutory on its own"
    return {
        "ruleId": str(finding.element),
        "ruleIndex": RULE_INDEX[finding.element],
        "level": "error" if finding.statutory else "warning",
        "message": {
            "text": f"{finding.element} {finding.masked} in {finding.record}: {meaning}"
        },
        "locations": [
            {
                "physicalLocation": physical,
                "properties": {"location": finding.location},
            }
        ],
        "partialFingerprints": {"valueFingerprint/v1": finding.fingerprint},
        "properties": {
            "confidence": finding.confidence,
            "masked": finding.masked,
            "record": finding.record,
            "statutory": finding.statutory,
            "kind": finding.kind,
        },
    }


def _notification(failure: Failure) -> dict[str, Any]:
    return {
        "level": "error" if failure.kind == "failed" else "warning",
        "message": {"text": f"{failure.path}: {failure.reason}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(failure.path)}
                }
            }
        ],
        "properties": {"kind": failure.kind},
    }


class SarifWriter:
    """Stream a SARIF log: the rules first, each result as it arrives."""

    def __init__(self, sink: TextSink) -> None:
        self._sink = sink
        self._first = True
        driver = {
            "name": "DistrictGuard",
            "version": __version__,
            "informationUri": "https://districtguard.invalid/docs",
            "rules": [_rule(element) for element in Element],
        }
        head = {"$schema": SCHEMA, "version": "2.1.0"}
        sink.write(json.dumps(head)[:-1])
        sink.write(', "runs": [{"tool": ' + json.dumps({"driver": driver}))
        sink.write(', "results": [')

    def add(self, result: FileResult) -> None:
        """Append this file's findings as results."""
        for finding in result.findings:
            separator = "\n" if self._first else ",\n"
            self._first = False
            self._sink.write(separator + json.dumps(sarif_result(finding)))

    def finish(self, summary: ScanSummary) -> None:
        """Close the results and write the invocation with its notifications."""
        invocation = {
            "executionSuccessful": not summary.partial,
            "toolExecutionNotifications": [
                _notification(failure) for failure in summary.failures
            ],
        }
        tail = {"summary": summary.to_dict()}
        self._sink.write(
            f'\n], "invocations": [{json.dumps(invocation)}],'
            f' "properties": {json.dumps(tail)}}}]}}\n'
        )
        self._sink.flush()
