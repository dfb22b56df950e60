"""Fixtures for the bot tests: a fake Graph API on 127.0.0.1 that records what the bot sends,
payloads in the shapes Meta's webhooks really have, and a signed POST over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.whatsapp import write_menu
from kelurahan import load_valid
from kelurahan.settings import Settings
from publish.bot import BotServer, start_bot, stop_bot
from publish.bot.dispatch import Handler
from publish.bot.outbox import RetryPolicy
from tests.conftest import make_content, write

VERIFY_TOKEN = "verifikasi-rahasia-123"
APP_SECRET = "rahasia-aplikasi-456"
ACCESS_TOKEN = "EAAtokenrahasia789"
PHONE_ID = "100000000000001"
OTHER_PHONE_ID = "100000000000002"
RESIDENT = "6281234567001"

DOMISILI = """\
---
judul: Surat Keterangan Domisili
urutan: 3
syarat: [Surat pengantar RT/RW, Fotokopi KTP-el]
kata_kunci: [domisili, surat keterangan tinggal]
---
"""

PROFIL_2 = """\
---
nama: Tanjung
kecamatan: Kota Lama
jam_layanan: Senin–Jumat 07.30–14.00 WITA
telepon: (0541) 700-2002
whatsapp_phone_id: "100000000000002"
---
"""

IZIN = """\
---
judul: Izin Keramaian
urutan: 1
syarat: [Surat pengantar RT/RW]
kata_kunci: [keramaian]
---
"""


HANG = 0  # in a script: answer nothing for two seconds, then close
ERROR_TYPES = {190: "OAuthException", 130429: "OAuthException", 131056: "OAuthException",
               131047: "OAuthException", 2: "OAuthException"}


@dataclass
class Sent:
    path: str
    authorization: str | None
    body: dict[str, Any]


@dataclass
class FakeGraph:
    """Records every POST; answers like the Graph API (`{"messages": [{"id": …}]}`)."""

    server: ThreadingHTTPServer
    sent: list[Sent] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)  # message ids marked as read
    fail_with: int | None = None
    # answers for the next message sends, in order: (status, Graph error code or None)
    script: list[tuple[int, int | None]] = field(default_factory=list)
    attempts: int = 0  # every message POST, failed ones included
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Sent]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.sent) >= count, timeout), \
                f"expected {count} sends, got {len(self.sent)}"
            return list(self.sent)

    def wait_reads(self, count: int, timeout: float = 5.0) -> list[str]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.reads) >= count, timeout), \
                f"expected {count} read receipts, got {len(self.reads)}"
            return list(self.reads)

    def bodies(self, count: int) -> list[dict[str, Any]]:
        return [s.body for s in self.wait_for(count)]


def start_fake_graph() -> FakeGraph:
    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            fake: FakeGraph = self.server.fake  # type: ignore[attr-defined]
            body = json.loads(raw)
            if body.get("status") == "read":
                with fake.changed:
                    fake.reads.append(body["message_id"])
                    fake.changed.notify_all()
                return self._answer(200, {"success": True})
            with fake.changed:
                fake.attempts += 1
                status, error = fake.script.pop(0) if fake.script else (
                    fake.fail_with or 200, 190 if fake.fail_with == 401 else None)
                if status == 200:
                    fake.sent.append(Sent(self.path, self.headers.get("Authorization"), body))
                    fake.changed.notify_all()
            if status == HANG:
                time.sleep(2.0)  # longer than the read timeout of test_outbox
                self.close_connection = True
                return None
            reply: dict[str, Any]
            if status == 200:
                reply = {"messaging_product": "whatsapp", "messages": [{"id": "wamid.balasan"}]}
            else:
                reply = {"error": {"message": "Galat dari server palsu", "type": ERROR_TYPES.get(
                    error or 0, "OAuthException"), "code": error, "fbtrace_id": "Axyz"}}
            with fake.changed:
                fake.changed.notify_all()
            self._answer(status, reply)

        def _answer(self, code: int, reply: dict[str, Any]) -> None:
            data = json.dumps(reply).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeGraph(server)
    server.fake = fake  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    return fake


def make_site(root: Path, *, two_kelurahan: bool = False, extra_services: int = 0,
              other_offices: str | None = None, services: dict[str, str] | None = None) -> Path:
    """Conftest's city plus a Domisili service (and a second kelurahan), menus written."""
    content = make_content(root)
    profil = content / "sukamaju" / "profil.md"
    profil.write_text(profil.read_text("utf-8").replace(
        "whatsapp_phone_id:", "alamat: Jl. Merdeka No. 17, Kota Uji\nkoordinat: [-1.24, 116.85]\n"
        "whatsapp_phone_id:"), "utf-8")
    if other_offices is not None:
        write(content / "instansi_lain.yml", other_offices)
    write(content / "sukamaju" / "layanan" / "domisili.md", DOMISILI)
    for slug, markdown in (services or {}).items():
        write(content / "sukamaju" / "layanan" / f"{slug}.md", markdown)
    for n in range(4, 4 + extra_services):
        write(content / "sukamaju" / "layanan" / f"tambahan-{n}.md",
              f"---\njudul: Layanan Tambahan {n}\nurutan: {n}\nsyarat: [Surat pengantar]\n"
              f"kata_kunci: [tambahan{n}]\n---\n")
    if two_kelurahan:
        write(content / "tanjung" / "profil.md", PROFIL_2)
        write(content / "tanjung" / "layanan" / "izin.md", IZIN)
    city = load_valid(content)
    site = root / "site"
    for kel in city.kelurahan:
        write_menu(city, kel, site)
    return site


def settings(graph: FakeGraph, state: Path, **extra: str) -> Settings:
    return Settings({"WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN, "WHATSAPP_APP_SECRET": APP_SECRET,
                     "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN, "GRAPH_API_URL": graph.url,
                     "GRAPH_API_VERSION": "v21.0", "KELURAHAN_STATE_DIR": str(state),
                     "KELURAHAN_SECRETS_FILE": str(state / "tidak-ada.env"), **extra})


FAST_RETRY = RetryPolicy(first_delay=0.05, factor=2, max_delay=0.2, max_age=30)


def start(site: Path, graph: FakeGraph, state: Path, handoff_minutes: float = 120,
          reload_seconds: float = 10, retry: RetryPolicy = FAST_RETRY,
          send_timeout: tuple[float, float] = (5.0, 10.0),
          handlers: Sequence[Handler] = ()) -> BotServer:
    return start_bot(site, settings(graph, state), host="127.0.0.1", port=0,
                     handoff_minutes=handoff_minutes, reload_seconds=reload_seconds,
                     retry=retry, send_timeout=send_timeout, handlers=handlers)


def stop(server: BotServer) -> None:
    stop_bot(server)


def sign(raw: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


@dataclass
class Response:
    status: int
    body: str


def request(server: BotServer | int, method: str, path: str, raw: bytes | None = None,
            headers: dict[str, str] | None = None) -> Response:
    """One request on a fresh connection, to a bot in this process or to a port."""
    port = server if isinstance(server, int) else server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=raw, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.read().decode("utf-8"))
    finally:
        connection.close()


def post(server: BotServer, payload: dict[str, Any] | bytes, *, signature: str | None = "auto",
         ensure_ascii: bool = False) -> Response:
    """POST like Meta: JSON body, `X-Hub-Signature-256` over the exact raw bytes."""
    raw = payload if isinstance(payload, bytes) else json.dumps(
        payload, ensure_ascii=ensure_ascii).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if signature == "auto":
        headers["X-Hub-Signature-256"] = sign(raw)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return request(server, "POST", "/webhook", raw, headers)


# ---- Meta's webhook shapes (Cloud API, field "messages") ----

def envelope(*values: dict[str, Any]) -> dict[str, Any]:
    """One entry per value, as Meta groups changes by WhatsApp Business Account."""
    return {"object": "whatsapp_business_account", "entry": [
        {"id": "102290129340398", "changes": [{"value": v, "field": "messages"}]} for v in values]}


def value(*messages: dict[str, Any], phone_id: str = PHONE_ID) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281200001001", "phone_number_id": phone_id},
        "contacts": [{"profile": {"name": "Warga"}, "wa_id": RESIDENT}],
        "messages": list(messages),
    }


def message(kind: str, content: dict[str, Any] | None, mid: str, sender: str = RESIDENT) -> dict:
    data: dict[str, Any] = {"from": sender, "id": mid, "timestamp": "1763888400", "type": kind}
    if content is not None:
        data[kind] = content
    return data


def text(body: str, mid: str, sender: str = RESIDENT) -> dict[str, Any]:
    return message("text", {"body": body}, mid, sender)


def list_reply(row_id: str, title: str, mid: str) -> dict[str, Any]:
    return message("interactive", {"type": "list_reply", "list_reply": {
        "id": row_id, "title": title, "description": "…"}}, mid)


def button_reply(button_id: str, title: str, mid: str) -> dict[str, Any]:
    return message("interactive", {"type": "button_reply", "button_reply": {
        "id": button_id, "title": title}}, mid)


def statuses_only() -> dict[str, Any]:
    return envelope({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281200001001", "phone_number_id": PHONE_ID},
        "statuses": [{"id": "wamid.keluar1", "status": "delivered", "timestamp": "1763888401",
                      "recipient_id": RESIDENT, "conversation": {"id": "c1", "origin": {
                          "type": "service"}}, "pricing": {"billable": False,
                                                           "pricing_model": "CBP",
                                                           "category": "service"}}],
    })
