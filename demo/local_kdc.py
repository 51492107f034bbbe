"""A real MIT Kerberos KDC (Debian's ``krb5kdc``) on loopback, for the local AWS's Kerberos cluster.

%sm_analytics writes ``/etc/krb5.conf`` itself from what EMR reports: the cluster's realm
(``KerberosAttributes.Realm``) and, as its KDC, the primary node's private DNS name on port 88.
So this KDC listens on port 88 (UDP and TCP) of a loopback address, and the local AWS reports
the Kerberos cluster's primary node under a name that resolves to that address (``localhost``
for 127.0.0.1; see ``local_aws.kerberos_primary_at``). Its database, ``kdc.conf`` and log are in
a temporary folder of its own, removed when it stops; the machine's Kerberos files are neither
read nor written. Every user the local AWS's seeded secrets hold (``username`` and
``password``) is a principal of the realm with that password, and needs pre-authentication, as
on EMR's cluster-dedicated KDC: the KDC issues a ticket only to a client that knows the password,
and its log (``LocalKdc.as_requests``) says for whom it did and why it refused.

Port 88 needs root. When 127.0.0.1:88 is taken (another demo's or test run's KDC, or a KDC of
the machine's own), the next free 127.0.0.N is used and named by its address.

Run it on its own with ``python demo/local_kdc.py``; it prints where it listens and serves until
interrupted.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

KDC_PORT = 88
#: Loopback addresses to try, in order, with the name the local AWS reports for each: the first
#: is ``localhost`` (what glibc resolves from /etc/hosts everywhere); the others have no name
#: that resolves to them without editing /etc/hosts, so their address is their name.
CANDIDATES = [("127.0.0.1", "localhost"), *((f"127.0.0.{n}", f"127.0.0.{n}") for n in range(2, 21))]
PROGRAMS = ("krb5kdc", "kdb5_util", "kadmin.local")
SBIN = ("/usr/sbin", "/usr/local/sbin", "/sbin")


class KdcUnavailable(RuntimeError):
    """The KDC cannot run here (not installed, not root, no free port 88 on loopback)."""


@dataclass(frozen=True)
class AsRequest:
    """One line of the KDC's log for an initial-ticket (AS) request."""

    outcome: str  # ISSUE, NEEDED_PREAUTH, PREAUTH_FAILED, CLIENT_NOT_FOUND, ...
    client: str  # the principal asked for, user@REALM
    line: str


_AS_REQ = re.compile(r"AS_REQ \(.*?\) \S+: (?P<outcome>[A-Z_]+): .*?(?P<client>\S+@\S+) for \S+")


def principals_of(seeded: list[dict]) -> dict[str, str]:
    """User name -> password of every secret (as ``local_aws.SECRETS`` seeds them) whose value is
    JSON with a ``username`` and a ``password``."""
    users = {}
    for secret in seeded:
        try:
            value = json.loads(secret.get("SecretString", ""))
        except ValueError:
            continue
        if isinstance(value, dict) and value.get("username") and value.get("password"):
            users[str(value["username"])] = str(value["password"])
    return users


def _program(name: str) -> str:
    found = shutil.which(name) or next(
        (str(Path(d) / name) for d in SBIN if (Path(d) / name).is_file()), None
    )
    if not found:
        raise KdcUnavailable(
            f"{name} is not installed: the local KDC needs Debian's krb5-kdc and krb5-admin-server "
            "(`make setup` installs them)"
        )
    return found


def _die_with_parent() -> None:
    """In the KDC's process before exec: on Linux, the KDC gets SIGTERM when the demo or the
    test run that started it dies without stopping it, so port 88 is not left taken."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _port_free(address: str) -> bool:
    """Whether UDP and TCP port 88 of ``address`` can be bound (raises when binding needs root)."""
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(socket.AF_INET, kind) as s:
            if kind == socket.SOCK_STREAM:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((address, KDC_PORT))
            except PermissionError as e:
                raise KdcUnavailable(f"port {KDC_PORT} needs root to listen on: {e}") from None
            except OSError as e:
                if e.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL):
                    return False
                raise
    return True


class LocalKdc:
    """A KDC for ``realm`` with ``principals`` (user name -> password), on the first loopback
    address whose port 88 is free. ``host`` is the name to report as the primary node's private
    DNS name, ``address`` the address it resolves to; ``log`` is the KDC's own log."""

    def __init__(self, realm: str, principals: dict[str, str]):
        self.realm = realm
        self.principals = dict(principals)
        self.host = ""
        self.address = ""
        self.folder: Path | None = None
        self.log: Path | None = None
        self._proc: subprocess.Popen | None = None

    # -- set-up ------------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        assert self.folder is not None
        return {
            **os.environ,
            # This KDC's files only: never the machine's /etc/krb5.conf (which %sm_analytics
            # rewrites while it runs) nor /etc/krb5kdc.
            "KRB5_CONFIG": str(self.folder / "krb5.conf"),
            "KRB5_KDC_PROFILE": str(self.folder / "kdc.conf"),
        }

    def _write_config(self) -> None:
        assert self.folder is not None
        d = self.folder
        (d / "krb5.conf").write_text(
            f"[libdefaults]\n    default_realm = {self.realm}\n    dns_lookup_kdc = false\n"
            f"    dns_lookup_realm = false\n\n"
            f"[realms]\n    {self.realm} = {{\n        kdc = {self.address}:{KDC_PORT}\n    }}\n"
        )
        (d / "kdc.conf").write_text(
            "[kdcdefaults]\n"
            f"    kdc_listen = {self.address}:{KDC_PORT}\n"
            f"    kdc_tcp_listen = {self.address}:{KDC_PORT}\n\n"
            "[realms]\n"
            f"    {self.realm} = {{\n"
            f"        database_name = {d / 'principal'}\n"
            f"        key_stash_file = {d / 'stash'}\n"
            f"        acl_file = {d / 'kadm5.acl'}\n"
            f"        kdc_listen = {self.address}:{KDC_PORT}\n"
            f"        kdc_tcp_listen = {self.address}:{KDC_PORT}\n"
            "        max_life = 24h\n"
            "        max_renewable_life = 7d\n"
            # As EMR's KDC: tickets only for clients that prove they know the password.
            "        default_principal_flags = +preauth\n"
            "        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal\n"
            "    }\n\n"
            "[logging]\n"
            f"    kdc = FILE:{d / 'kdc.log'}\n"
            f"    admin_server = FILE:{d / 'kadmin.log'}\n"
            f"    default = FILE:{d / 'krb5lib.log'}\n"
        )
        (d / "kadm5.acl").write_text("")

    def _run(self, argv: list[str], stdin: str = "") -> None:
        result = subprocess.run(
            argv, input=stdin, env=self._env(), capture_output=True, text=True, timeout=60
        )
        if result.returncode != 0:
            raise KdcUnavailable(f"{Path(argv[0]).name} failed: {(result.stderr or result.stdout).strip()}")

    def _create_database(self) -> None:
        self._run([_program("kdb5_util"), "-r", self.realm, "create", "-s", "-P", secrets.token_hex(16)])
        kadmin = _program("kadmin.local")
        for user, password in self.principals.items():
            # The password goes to kadmin's prompt on stdin, never on a command line.
            self._run(
                [kadmin, "-r", self.realm, "-q", f"addprinc +requires_preauth {user}@{self.realm}"],
                stdin=f"{password}\n{password}\n",
            )

    # -- serving -----------------------------------------------------------------------------

    def serve(self, timeout: float = 30) -> None:
        """Starts krb5kdc on the database (again, after ``halt``) and waits until it answers."""
        assert self.log is not None
        start = self.log.stat().st_size if self.log.exists() else 0
        self._proc = subprocess.Popen(
            [_program("krb5kdc"), "-n", "-r", self.realm],
            env=self._env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                out = self._proc.stdout.read() if self._proc.stdout else ""
                raise KdcUnavailable(
                    f"krb5kdc exited with code {self._proc.returncode}: {out.strip()}"
                    + self._log_since(start)
                )
            if "commencing operation" in self._log_since(start) and self._answers():
                return
            time.sleep(0.05)
        self.halt()
        raise KdcUnavailable(f"krb5kdc did not start within {timeout:.0f} s" + self._log_since(start))

    def _log_since(self, offset: int) -> str:
        if self.log is None or not self.log.exists():
            return ""
        with self.log.open("rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")

    def _answers(self) -> bool:
        try:
            with socket.create_connection((self.address, KDC_PORT), timeout=1):
                return True
        except OSError:
            return False

    def halt(self) -> None:
        """Stops krb5kdc, keeping its database (``serve`` starts it again)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> LocalKdc:
        for program in PROGRAMS:
            _program(program)
        for address, host in CANDIDATES:
            if _port_free(address):
                self.address, self.host = address, host
                break
        else:
            raise KdcUnavailable(f"port {KDC_PORT} is taken on every loopback address tried")
        self.folder = Path(tempfile.mkdtemp(prefix="emr-schedule-kdc-"))
        self.log = self.folder / "kdc.log"
        try:
            self._write_config()
            self._create_database()
            self.serve()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self.halt()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> LocalKdc:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- what it did -------------------------------------------------------------------------

    def as_requests(self) -> list[AsRequest]:
        """The initial-ticket requests the KDC logged, oldest first."""
        text = self._log_since(0)
        return [
            AsRequest(m["outcome"], m["client"], line)
            for line in text.splitlines()
            if (m := _AS_REQ.search(line))
        ]

    def issued_to(self, user: str) -> bool:
        """Whether the KDC issued an initial ticket to ``user`` (a name in this realm)."""
        principal = user if "@" in user else f"{user}@{self.realm}"
        return any(r.outcome == "ISSUE" and r.client == principal for r in self.as_requests())


def main() -> None:
    import argparse
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import local_aws

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    with LocalKdc(local_aws.KERBEROS_REALM, principals_of(local_aws.SECRETS)) as kdc:
        print(
            f"KDC for {kdc.realm} at {kdc.host} ({kdc.address}:{KDC_PORT}), "
            f"principals {', '.join(sorted(kdc.principals))}; log {kdc.log}",
            flush=True,
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
