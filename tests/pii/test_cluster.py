# distributed's LocalCluster and Client are not annotated.
# mypy: disallow-untyped-calls=False
"""Scanning on a real Dask cluster: worker processes on 127.0.0.1, real files.

Every value is synthetic (the labelled corpus generator: Faker names, seeded
numbers). Workers are separate processes that load the fingerprint key from
their environment, as on a real cluster, so the key is set before they start.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from distributed import Client, LocalCluster
from distributed.security import Security

from districtguard.cli import main
from districtguard.pii import cluster
from districtguard.pii.cluster import (
    LOST,
    ClusterError,
    key_id,
    scan_batch,
    scan_paths_on_cluster,
)
from districtguard.pii.documents.base import Limits
from districtguard.pii.fingerprint import KEY_ENV
from districtguard.pii.options import DetectOptions
from districtguard.pii.results import FileResult, ScanSummary
from districtguard.pii.scanner import (
    BATCH_FILES,
    BATCHES_PER_WORKER,
    ScanConfig,
    scan_paths,
)
from tests.corpus import generate_prose_corpus, generate_table_corpus

pytestmark = pytest.mark.slow

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
OPTIONS = DetectOptions(fingerprint_key=KEY, today=dt.date(2026, 11, 28))


@pytest.fixture(scope="module")
def keyed_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Give this process, and the workers it starts, the district's key."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(KEY_ENV, KEY.hex())
        patch.setenv("DISTRICTGUARD_HOME", str(tmp_path_factory.mktemp("home")))
        yield


def _local_cluster(workers: int = 2, **kwargs: Any) -> LocalCluster:
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # its HTTP server: loopback, any port
        **kwargs,
    )


@pytest.fixture(scope="module")
def address(keyed_env: None) -> Iterator[str]:
    with _local_cluster() as running:
        yield str(running.scheduler_address)


@pytest.fixture(scope="module")
def share(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a tree of several batches: prose, a table, clean files, a bad file."""
    folder = tmp_path_factory.mktemp("share")
    (folder / "hr").mkdir()
    for seed in range(6):
        text = generate_prose_corpus(seed, 40).text
        (folder / "hr" / f"records-{seed}.txt").write_text(text)
    (folder / "hr" / "payroll.csv").write_text(generate_table_corpus(9, 60).text)
    notes = folder / "notes"
    notes.mkdir()
    for index in range(BATCH_FILES * 2 + 5):
        (notes / f"{index:04d}.txt").write_text(f"Bus route {index} runs at 7:40.\n")
    # A .docx that is not a zip file: the reader must fail on it, on any machine.
    (folder / "broken.docx").write_bytes(b"this is not an office document")
    return folder


def _config(*paths: Path) -> ScanConfig:
    return ScanConfig(paths=paths, options=OPTIONS)


def _scan(config: ScanConfig, address: str) -> tuple[ScanSummary, list[FileResult]]:
    results: list[FileResult] = []
    summary = scan_paths_on_cluster(config, address, results.append)
    return summary, results


def _local(config: ScanConfig) -> tuple[ScanSummary, list[FileResult]]:
    results: list[FileResult] = []
    summary = scan_paths(config, results.append)
    return summary, results


def _counts(summary: ScanSummary) -> dict[str, Any]:
    counts = summary.to_dict()
    del counts["duration_seconds"], counts["files_per_second"]
    return counts


def _by_path(results: list[FileResult]) -> dict[str, FileResult]:
    return {result.path: result for result in results}


def test_cluster_scan_matches_a_local_scan(address: str, share: Path) -> None:
    config = _config(share)
    summary, results = _scan(config, address)
    local_summary, local_results = _local(config)
    assert _by_path(results) == _by_path(local_results)
    assert len(results) == len(local_results) == BATCH_FILES * 2 + 5 + 8
    assert _counts(summary) == _counts(local_summary)
    assert summary.statutory_findings > 50
    fingerprints = {f.fingerprint for r in results for f in r.findings}
    assert len(fingerprints) > 50


def test_a_file_that_fails_on_a_worker_is_reported(address: str, share: Path) -> None:
    summary, results = _scan(_config(share), address)
    broken = _by_path(results)[str(share / "broken.docx")]
    assert broken.status == "failed"
    assert broken.reason
    assert summary.files_failed == 1
    assert summary.partial
    assert summary.files_scanned == len(results) - 1


def test_a_path_missing_on_the_worker_says_to_mount_the_share(
    keyed_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "_worker_key", None)
    missing = str(tmp_path / "not-mounted" / "staff.txt")
    keyless = dataclasses.replace(OPTIONS, fingerprint_key=b"")
    [result] = scan_batch([missing], keyless, Limits(), key_id(KEY))
    assert result.status == "failed"
    assert "mount the share at the same path" in result.reason


def test_a_worker_with_another_key_refuses_the_batch(
    keyed_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "_worker_key", None)
    path = tmp_path / "staff.txt"
    path.write_text(generate_prose_corpus(3, 5).text)
    keyless = dataclasses.replace(OPTIONS, fingerprint_key=b"")
    with pytest.raises(Exception, match="different fingerprint key") as caught:
        scan_batch([str(path)], keyless, Limits(), key_id(OTHER_KEY))
    assert KEY.hex() not in str(caught.value)
    assert OTHER_KEY.hex() not in str(caught.value)


def test_refuses_a_cluster_whose_workers_hold_another_key(
    keyed_env: None, share: Path
) -> None:
    refused = pytest.raises(ClusterError, match="different fingerprint key")
    with _local_cluster(1, env={KEY_ENV: OTHER_KEY.hex()}) as other, refused as caught:
        _scan(_config(share / "hr"), str(other.scheduler_address))
    message = str(caught.value)
    assert key_id(KEY) in message
    assert KEY.hex() not in message
    assert OTHER_KEY.hex() not in message


def test_refuses_a_worker_without_a_key_and_it_makes_none(
    keyed_env: None, share: Path
) -> None:
    home = Path(os.environ["DISTRICTGUARD_HOME"])
    refused = pytest.raises(ClusterError, match=r"fingerprint key file .* not exist")
    with _local_cluster(1, env={KEY_ENV: ""}) as keyless, refused:
        _scan(_config(share / "hr"), str(keyless.scheduler_address))
    assert not (home / "fingerprint.key").exists()


def test_work_in_flight_stays_bounded(keyed_env: None, tmp_path: Path) -> None:
    batches = 30
    for index in range(BATCH_FILES * batches):
        (tmp_path / f"{index:05d}.txt").write_text(f"Locker {index}.\n")
    tasks: list[int] = []
    with _local_cluster() as running:
        scheduler = running.scheduler

        def on_result(result: FileResult) -> None:
            tasks.append(len(scheduler.tasks))

        summary = scan_paths_on_cluster(
            _config(tmp_path), str(running.scheduler_address), on_result
        )
    assert summary.files_scanned == BATCH_FILES * batches
    # Two single-threaded workers: at most 2 * BATCHES_PER_WORKER batches known
    # to the scheduler at once, far fewer than the scan's 30.
    assert 1 <= max(tasks) <= 2 * BATCHES_PER_WORKER < batches


def test_a_scheduler_without_workers_is_a_clear_error(
    keyed_env: None, share: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    refused = pytest.raises(ClusterError, match="has no workers after 1 s")
    with _local_cluster(0) as empty, refused:
        _scan(_config(share / "hr"), str(empty.scheduler_address))


def test_unreachable_scheduler_is_a_clear_error(share: Path) -> None:
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler"):
        _scan(_config(share), "tcp://127.0.0.1:1")


def _slow_share(folder: Path, small: int) -> Path:
    """Return a tree whose last batch is one file that takes about a second (3.8
    MB of dense text: 0.9 s in the compiled build, 1.3 s in pure Python), so a
    worker killed 0.3 s into it dies holding it."""
    for index in range(small):
        (folder / f"a-{index:04d}.txt").write_text(f"Room {index} is open.\n")
    dense = generate_prose_corpus(21, 600).text
    (folder / "z-dense.txt").write_text("\n\n".join([dense] * 48))
    return folder


def _kill_worker_running(scheduler: str, suffix: str) -> int:
    """Wait until the batch whose key ends with ``suffix`` runs; kill its worker."""
    with Client(scheduler, set_as_default=False) as client:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            processing: dict[str, Any] = client.processing()
            busy = [
                worker
                for worker, keys in processing.items()
                if any(str(key).endswith(suffix) for key in keys)
            ]
            if busy:
                time.sleep(0.3)  # let it get well into the file
                pids: dict[str, int] = client.run(os.getpid, workers=busy[:1])
                [pid] = pids.values()
                os.kill(pid, signal.SIGKILL)
                return pid
            time.sleep(0.02)
    raise AssertionError("the slow batch never started")


def _scan_while_killing(
    config: ScanConfig, scheduler: str, suffix: str
) -> tuple[ScanSummary, list[FileResult], int]:
    outcome: list[tuple[ScanSummary, list[FileResult]]] = []
    thread = threading.Thread(target=lambda: outcome.append(_scan(config, scheduler)))
    thread.start()
    try:
        pid = _kill_worker_running(scheduler, suffix)
    finally:
        thread.join(timeout=240)
    [(summary, results)] = outcome
    return summary, results, pid


def test_a_killed_worker_has_its_batch_retried(keyed_env: None, tmp_path: Path) -> None:
    config = _config(_slow_share(tmp_path, 10))
    with _local_cluster() as running:
        summary, results, pid = _scan_while_killing(
            config, str(running.scheduler_address), "-0"
        )
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    local_summary, local_results = _local(config)
    assert _by_path(results) == _by_path(local_results)
    assert _counts(summary) == _counts(local_summary)
    assert not summary.partial


def test_a_batch_that_keeps_failing_becomes_failed_files(
    keyed_env: None, tmp_path: Path
) -> None:
    config = _config(_slow_share(tmp_path, BATCH_FILES * 2))
    # No second chance: the first worker to die with the batch fails it.
    no_retry = dask.config.set({"distributed.scheduler.allowed-failures": 0})
    with no_retry, _local_cluster() as running:
        summary, results, _ = _scan_while_killing(
            config, str(running.scheduler_address), "-2"
        )
    dense = _by_path(results)[str(tmp_path / "z-dense.txt")]
    assert dense.status == "failed"
    assert "kept stopping" in dense.reason
    assert summary.files_scanned == BATCH_FILES * 2
    assert summary.files_failed == 1
    assert summary.partial


def _write_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """Write a throwaway CA and a certificate for 127.0.0.1 it signed."""
    now = dt.datetime.now(dt.UTC)

    def _name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    def _certificate(
        subject: str, key: ec.EllipticCurvePrivateKey, issuer: str
    ) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(_name(subject))
            .issuer_name(_name(issuer))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        _certificate("test CA", ca_key, "test CA")
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    ip = ipaddress.ip_address("127.0.0.1")
    cert = (
        _certificate("127.0.0.1", key, "test CA")
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ip)]), False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "node.pem", folder / "node-key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def test_cli_scans_over_tls_with_certificates_from_dask_config(
    keyed_env: None, share: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ca, cert, key = (str(path) for path in _write_certificates(tmp_path))
    security = Security(
        tls_ca_file=ca,
        tls_scheduler_cert=cert,
        tls_scheduler_key=key,
        tls_worker_cert=cert,
        tls_worker_key=key,
        tls_client_cert=cert,  # the cluster object's own connection
        tls_client_key=key,
        require_encryption=True,
    )
    # What docs/cluster.md tells the scanning machine to set.
    client_config = {
        "distributed.comm.tls.ca-file": ca,
        "distributed.comm.tls.client.cert": cert,
        "distributed.comm.tls.client.key": key,
        "distributed.comm.require-encryption": True,
    }
    with _local_cluster(1, protocol="tls", security=security) as running:
        address = str(running.scheduler_address)
        assert address.startswith("tls://127.0.0.1:")
        assert main(["scan", str(share), "--cluster", address]) == 2
        assert "give Dask the CA file" in capsys.readouterr().err
        with dask.config.set(client_config):
            there = _jsonl(["scan", str(share), "--cluster", address], tmp_path / "t")
    here = _jsonl(["scan", str(share)], tmp_path / "here.jsonl")
    assert there == here


def _jsonl(arguments: list[str], output: Path) -> set[str]:
    assert main([*arguments, "--format", "jsonl", "--output", str(output)]) == 3
    return set(output.read_text().splitlines())


def test_cli_scans_on_a_cluster_like_a_local_scan(
    address: str, share: Path, tmp_path: Path
) -> None:
    here = _jsonl(["scan", str(share)], tmp_path / "here.jsonl")
    there = _jsonl(["scan", str(share), "--cluster", address], tmp_path / "c.jsonl")
    assert there == here
    assert len(here) > 50
    assert {json.loads(line)["path"] for line in there} >= {
        str(share / "hr" / "payroll.csv")
    }


def test_cli_starts_a_local_cluster(
    keyed_env: None, share: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    arguments = ["scan", str(share / "hr"), "--cluster", "local:2"]
    assert main([*arguments, "--format", "json", "--output", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["summary"]["statutory_findings"] > 50


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def separate_cluster(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start ``dask scheduler`` and ``dask worker`` as docs/cluster.md says."""
    key_file = tmp_path / "fingerprint.key"
    key_file.write_text(KEY.hex() + "\n")
    key_file.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    env["DISTRICTGUARD_FINGERPRINT_KEY_FILE"] = str(key_file)
    port = str(_free_port())
    address = f"tcp://127.0.0.1:{port}"
    dask_command = str(Path(sys.executable).parent / "dask")
    loopback = ["--host", "127.0.0.1", "--no-dashboard"]
    scheduler = subprocess.Popen(
        [dask_command, "scheduler", "--port", port, *loopback],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers = ["--nworkers", "2", "--nthreads", "1"]
    worker = subprocess.Popen(
        [dask_command, "worker", address, *workers, *loopback],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield address, scheduler
    finally:
        for process in (worker, scheduler):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(address: str, folder: Path) -> None:
    empty = folder / "empty"
    empty.mkdir()
    for _ in range(100):  # the scheduler takes a moment to listen
        if main(["scan", str(empty), "--cluster", address]) == 0:
            return
        time.sleep(0.2)
    raise AssertionError("the dask scheduler never answered")


def test_dask_commands_on_their_own_scan_like_here(
    keyed_env: None,
    separate_cluster: tuple[str, subprocess.Popen[bytes]],
    share: Path,
    tmp_path: Path,
) -> None:
    address, _ = separate_cluster
    _wait_for(address, tmp_path)
    command = [sys.executable, "-m", "districtguard", "scan", str(share)]
    command += ["--format", "jsonl"]
    there = subprocess.run(
        [*command, "--cluster", address], capture_output=True, text=True
    )
    here = subprocess.run(command, capture_output=True, text=True)
    assert there.returncode == here.returncode == 3
    assert set(there.stdout.splitlines()) == set(here.stdout.splitlines())
    assert len(here.stdout.splitlines()) > 50


def test_a_lost_scheduler_fails_the_rest_and_the_scan_ends(
    keyed_env: None,
    separate_cluster: tuple[str, subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    address, scheduler = separate_cluster
    _wait_for(address, tmp_path)
    tree = tmp_path / "tree"
    tree.mkdir()
    dense = generate_prose_corpus(31, 1500).text
    for index in range(4):
        (tree / f"a-{index}.txt").write_text(dense)
    for index in range(BATCH_FILES * 10):
        (tree / f"b-{index:04d}.txt").write_text(f"Gym {index} is booked.\n")
    results: list[FileResult] = []

    def on_result(result: FileResult) -> None:
        if not results:
            scheduler.kill()
        results.append(result)

    started = time.monotonic()
    summary = scan_paths_on_cluster(_config(tree), address, on_result)
    assert time.monotonic() - started < 60
    assert len(_by_path(results)) == len(results) == 4 + BATCH_FILES * 10
    lost = [result for result in results if result.reason == LOST]
    assert lost
    assert all(result.status == "failed" for result in lost)
    assert summary.files_failed == len(lost)
    assert summary.partial


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("tcp://127.0.0.1:1", "cannot reach the Dask scheduler"),
        ("local:0", "write local:N"),
        ("local:many", "write local:N"),
    ],
)
def test_cli_bad_cluster_is_a_usage_error(
    keyed_env: None,
    share: Path,
    spec: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["scan", str(share), "--cluster", spec]) == 2
    assert message in capsys.readouterr().err
