"""Output formats: each writer's contract, from hand-made synthetic results."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from districtguard.pii.elements import Element
from districtguard.pii.findings import Finding
from districtguard.pii.reports import FINDING_FIELDS, FORMATS, make_writer
from districtguard.pii.reports.sarif import artifact_uri
from districtguard.pii.reports.table import TableWriter
from districtguard.pii.results import FileResult, ScanSummary

SSN = Finding(
    "share/staff list.txt", Element.SSN, 27, 38, "line 1, column 28", 0.85,
    "***-**-7891", "a" * 32, "line 1", True, "ssn",
)  # fmt: skip
NAME = Finding(
    "share/staff list.txt", Element.PERSON_NAME, 10, 21, "line 1, column 11", 0.85,
    "M. L****", "b" * 32, "line 1", True, "name",
)  # fmt: skip
CELL = Finding(
    "share/pay.xlsx", Element.BANK_ACCOUNT, None, None, "sheet Pay, cell C4", 0.7,
    "******4321", "c" * 32, "row 4", False, "account",
)  # fmt: skip
RESULTS = (
    FileResult("share/staff list.txt", "scanned", size=40, findings=(NAME, SSN)),
    FileResult("share/pay.xlsx", "scanned", size=900, findings=(CELL,)),
    FileResult("share/broken.xlsx", "failed", "not a readable workbook", size=60),
    FileResult("share/a.zip", "scanned", size=70, problems=("member b.txt: damaged",)),
)


def run(name: str) -> str:
    sink = io.StringIO()
    writer = make_writer(name, sink)
    summary = ScanSummary()
    for result in RESULTS:
        summary.add(result)
        writer.add(result)
    summary.duration = 0.5
    writer.finish(summary)
    return sink.getvalue()


def test_jsonl_writes_one_object_per_finding_with_exactly_the_contract_keys() -> None:
    lines = run("jsonl").splitlines()
    assert len(lines) == 3
    rows = [json.loads(line) for line in lines]
    assert all(list(row) == list(FINDING_FIELDS) for row in rows)
    assert rows[0] == NAME.to_dict()
    assert rows[2]["start"] is None
    assert rows[2]["element"] == "BANK_ACCOUNT"


def test_csv_has_the_jsonl_columns_and_blank_offsets_where_there_are_none() -> None:
    rows = list(csv.reader(io.StringIO(run("csv"))))
    assert tuple(rows[0]) == FINDING_FIELDS
    assert len(rows) == 4
    cell = dict(zip(FINDING_FIELDS, rows[3], strict=True))
    assert (cell["start"], cell["end"], cell["statutory"]) == ("", "", "false")
    ssn = dict(zip(FINDING_FIELDS, rows[2], strict=True))
    assert (ssn["start"], ssn["statutory"], ssn["masked"]) == (
        "27",
        "true",
        "***-**-7891",
    )


def test_json_is_one_document_with_findings_summary_and_failures() -> None:
    document = json.loads(run("json"))
    assert list(document) == ["findings", "summary", "failures"]
    assert document["findings"] == [NAME.to_dict(), SSN.to_dict(), CELL.to_dict()]
    assert document["summary"]["findings"] == {
        "BANK_ACCOUNT": 1,
        "PERSON_NAME": 1,
        "SSN": 1,
    }
    assert document["summary"]["statutory_records"] == 1
    assert document["summary"]["partial"] is True
    assert document["failures"] == [
        {"path": "share/broken.xlsx", "kind": "failed", "reason": RESULTS[2].reason},
        {"path": "share/a.zip", "kind": "partial", "reason": "member b.txt: damaged"},
    ]


def test_json_without_findings_is_still_a_valid_document() -> None:
    sink = io.StringIO()
    writer = make_writer("json", sink)
    writer.finish(ScanSummary())
    assert json.loads(sink.getvalue())["findings"] == []


# The parts of the SARIF 2.1.0 schema we emit: allowed keys of each object (the
# schema forbids others) and the keys it requires.
ALLOWED = {
    "log": {"$schema", "version", "runs", "inlineExternalProperties", "properties"},
    "run": {"tool", "results", "invocations", "properties", "artifacts"},
    "driver": {"name", "version", "informationUri", "rules", "semanticVersion"},
    "rule": {"id", "name", "shortDescription", "fullDescription", "helpUri",
             "defaultConfiguration", "properties"},
    "result": {"ruleId", "ruleIndex", "level", "message", "locations",
               "partialFingerprints", "fingerprints", "properties", "kind"},
    "location": {"physicalLocation", "properties", "message"},
    "physical": {"artifactLocation", "region", "contextRegion"},
    "region": {"charOffset", "charLength", "startLine", "startColumn"},
    "invocation": {"executionSuccessful", "toolExecutionNotifications", "exitCode"},
    "notification": {"level", "message", "locations", "properties"},
}  # fmt: skip
LEVELS = {"none", "note", "warning", "error"}


def check(kind: str, value: dict[str, Any], *required: str) -> None:
    assert set(value) <= ALLOWED[kind], (kind, set(value) - ALLOWED[kind])
    assert set(required) <= set(value), (kind, required)


def test_sarif_follows_the_2_1_0_schema_in_the_parts_we_use() -> None:
    log = json.loads(run("sarif"))
    check("log", log, "version", "runs")
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    sarif_run = log["runs"][0]
    check("run", sarif_run, "tool")
    driver = sarif_run["tool"]["driver"]
    check("driver", driver, "name")
    assert driver["name"] == "DistrictGuard"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == [str(element) for element in Element]
    for rule in rules:
        check("rule", rule, "id")
        assert rule["shortDescription"]["text"]
    results = sarif_run["results"]
    assert len(results) == 3
    for result in results:
        check("result", result, "message")
        assert result["level"] in LEVELS
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert isinstance(result["message"]["text"], str)
        for location in result["locations"]:
            check("location", location)
            check("physical", location["physicalLocation"], "artifactLocation")
            assert isinstance(
                location["physicalLocation"]["artifactLocation"]["uri"], str
            )
            for number in location["physicalLocation"].get("region", {}).values():
                assert isinstance(number, int)
                assert number >= 0
            assert location["properties"]["location"]
    (invocation,) = sarif_run["invocations"]
    check("invocation", invocation, "executionSuccessful")
    assert invocation["executionSuccessful"] is False
    for notification in invocation["toolExecutionNotifications"]:
        check("notification", notification, "message")
        assert notification["level"] in LEVELS


def test_sarif_results_carry_level_message_region_and_location() -> None:
    results = json.loads(run("sarif"))["runs"][0]["results"]
    ssn, cell = results[1], results[2]
    assert ssn["ruleId"] == "SSN"
    assert ssn["level"] == "error"
    assert "***-**-7891" in ssn["message"]["text"]
    assert "line 1" in ssn["message"]["text"]
    physical = ssn["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "share/staff%20list.txt"
    assert physical["region"] == {"charOffset": 27, "charLength": 11}
    assert ssn["locations"][0]["properties"]["location"] == "line 1, column 28"
    assert cell["level"] == "warning"
    assert "region" not in cell["locations"][0]["physicalLocation"]
    assert cell["locations"][0]["properties"]["location"] == "sheet Pay, cell C4"


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("a/b c.txt", "a/b%20c.txt"),
        ("/srv/share/x#1.csv", "file:///srv/share/x%231.csv"),
        ("plain.txt", "plain.txt"),
    ],
)
def test_sarif_uris_are_escaped_and_absolute_paths_are_file_uris(
    path: str, uri: str
) -> None:
    assert artifact_uri(path) == uri


def test_table_shows_findings_and_the_summary_with_failures() -> None:
    text = run("table")
    for expected in (
        "***-**-7891",
        "sheet Pay, cell C4",
        "BANK_ACCOUNT",
        "Scan summary",
    ):
        assert expected in text
    assert "share/broken.xlsx" in text
    assert "not a readable workbook" in text


def test_table_names_the_shared_folder_once_and_shortens_the_paths() -> None:
    text = run("table")
    assert "Personal information found under share/" in text
    assert "│ staff list.txt" in text
    assert "│ share/staff list.txt" not in text


def test_table_keeps_a_bounded_number_of_rows_and_says_how_many_it_left_out() -> None:
    sink = io.StringIO()
    writer = TableWriter(sink, max_rows=2)
    for result in RESULTS:
        writer.add(result)
    writer.finish(ScanSummary())
    assert "1 more findings not shown" in sink.getvalue()
    assert "sheet Pay, cell C4" not in sink.getvalue()


def test_every_format_writes_something_for_an_empty_scan() -> None:
    for name in FORMATS:
        sink = io.StringIO()
        make_writer(name, sink).finish(ScanSummary())
        assert sink.getvalue() or name == "jsonl"


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        make_writer("xml", io.StringIO())
