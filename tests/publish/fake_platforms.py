"""Fake Graph API (Facebook Page + Instagram) and TikTok Content Posting API on 127.0.0.1.

Real HTTP speaking the platforms' wire formats (JSON bodies, Graph `{"error": {...}}` objects,
TikTok `{"data", "error": {"code", "message", "log_id"}}`), recording every post so tests can
assert "exactly one post per (card, channel)". Faults are scripted per endpoint with `fail()`:
each queued fault answers one matching request instead of the normal behaviour.
"""

from __future__ import annotations

import email.parser
import itertools
import json
import re
import threading
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

GRAPH_EXPIRED = {"error": {"message": "Error validating access token: Session has expired on "
                           "Monday, 23-Nov-26 01:00:00 PST.", "type": "OAuthException",
                           "code": 190, "error_subcode": 463, "fbtrace_id": "AbCdEf"}}


def graph_error(code: int, message: str, **extra: Any) -> dict:
    return {"error": {"message": message, "type": "OAuthException", "code": code,
                      "fbtrace_id": "AbCdEf", **extra}}


@dataclass
class Fault:
    """One scripted answer: HTTP status + body (dict → JSON, str → as is), optional stall.

    With `record_first` the request is really carried out (the post exists) and then the answer
    is delayed or replaced: the "it landed but we never heard back" cases.
    """

    status: int = 500
    body: Any = None
    content_type: str | None = "application/json"
    record_first: bool = False     # do the real work, then answer with this fault
    stall: float = 0.0             # seconds to wait before answering
    hold: threading.Event | None = None  # wait for this event before answering
    drop: bool = False             # close the connection without any answer
    trickle: float = 0.0           # seconds between the bytes of the body (a dying link)
    headers: dict[str, str] = field(default_factory=dict)   # e.g. Retry-After
    before_answer: Callable[[], None] | None = None  # e.g. kill the publisher mid-call


@dataclass
class _Server:
    httpd: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Base:
    """Shared plumbing: fault queues, request log, starting a threaded server."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.faults: dict[str, list[Fault]] = defaultdict(list)
        self.requests: list[tuple[str, str]] = []
        self.recorded = threading.Event()
        self.ids = itertools.count(1001)
        self.server: _Server | None = None
        # Consulted for every request with no queued fault (the chaos benchmark's dice).
        self.chaos: Callable[[str, str], Fault | None] | None = None

    def fail(self, endpoint: str, fault: Fault, times: int = 1) -> None:
        with self.lock:
            self.faults[endpoint].extend([fault] * times)

    def _fault(self, endpoint: str, method: str = "POST") -> Fault | None:
        with self.lock:
            queue = self.faults.get(endpoint)
            if queue:
                return queue.pop(0)
        return self.chaos(method, endpoint) if self.chaos else None

    def next_id(self) -> str:
        with self.lock:
            return str(next(self.ids))

    def start(self) -> str:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                owner._handle(self, "GET")

            def do_POST(self) -> None:
                owner._handle(self, "POST")

            def do_DELETE(self) -> None:
                owner._handle(self, "DELETE")

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        self.server = _Server(httpd, thread)
        return self.server.url

    def stop(self) -> None:
        if self.server:
            self.server.close()

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        raise NotImplementedError


def send(handler: BaseHTTPRequestHandler, status: int, body: Any,
         content_type: str | None = "application/json", *, trickle: float = 0.0,
         headers: dict[str, str] | None = None) -> None:
    data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    try:
        handler.send_response(status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        if trickle:
            for byte in data:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(trickle)
            return
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (timeout or killed): exactly what some tests want


def answer_fault(handler: BaseHTTPRequestHandler, fault: Fault, status: int = 200,
                 body: Any = None) -> None:
    """Stall or hold, then the fault's answer (or, after `record_first`, the real one)."""
    if fault.hold is not None:
        fault.hold.wait(30)
    if fault.stall:
        time.sleep(fault.stall)
    if fault.before_answer is not None:
        fault.before_answer()
    if fault.drop:
        handler.close_connection = True
        return None
    if fault.record_first and fault.body is None:
        return send(handler, status, body)
    send(handler, fault.status, fault.body if fault.body is not None else {}, fault.content_type,
         trickle=fault.trickle, headers=fault.headers)


def read_form(handler: BaseHTTPRequestHandler) -> tuple[dict[str, str], dict[str, bytes]]:
    """Fields and files of a urlencoded or multipart body, as Graph API receives them."""
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length)
    ctype = handler.headers.get("Content-Type", "")
    if ctype.startswith("multipart/form-data"):
        message = email.parser.BytesParser().parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
        fields, files = {}, {}
        for part in message.get_payload():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if part.get_filename():
                files[name] = payload
            else:
                fields[name] = payload.decode()
        return fields, files
    return {k: v[0] for k, v in parse_qs(raw.decode()).items()}, {}


def page_of(data: list[dict], args: dict[str, str]) -> dict:
    """One page of a Graph edge (`limit`, cursor `after`), with `paging.next` while more."""
    start = int(args.get("after") or 0)
    limit = int(args.get("limit") or 25)
    paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + limit)}}
    if start + limit < len(data):
        paging["next"] = f"https://graph.example/next?after={start + limit}"
    return {"data": data[start:start + limit], "paging": paging}


@dataclass
class PagePost:
    id: str
    page: str
    message: str
    published: bool
    scheduled_publish_time: int | None
    image: bytes = field(repr=False, default=b"")


@dataclass
class IgMedia:
    id: str
    user: str
    caption: str
    image_url: str
    permalink: str


class FakeGraph(_Base):
    """Facebook Pages `/photos` (+ published/scheduled listing) and Instagram publishing."""

    def __init__(self, tokens: dict[str, str]) -> None:
        super().__init__()
        self.tokens = tokens                  # account id → the valid token
        self.page_posts: list[PagePost] = []
        self.ig_media: list[IgMedia] = []
        self.containers: dict[str, dict[str, str]] = {}
        self.container_status = "FINISHED"    # what new containers become after processing
        self.container_detail = ""            # and their `status` text (e.g. an error code)
        self.quota_total = 100
        # Facebook's clock (unix seconds) for the 10-minute scheduling check; None: no check.
        self.clock: Callable[[], float] | None = None
        self.fields_seen: list[dict[str, str]] = []   # form fields of every /photos request

    def posts_for(self, page: str) -> list[PagePost]:
        return [p for p in self.page_posts if p.page == page]

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        url = urlparse(handler.path)
        parts = url.path.strip("/").split("/")[1:]   # drop the version
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        form, files = read_form(handler) if method == "POST" else ({}, {})
        args = {**query, **form}
        endpoint = parts[-1] if len(parts) > 1 else method.lower()
        with self.lock:
            self.requests.append((method, "/".join(parts)))
        fault = self._fault(endpoint, method)
        if fault is not None and not fault.record_first:
            return answer_fault(handler, fault)
        status, body = self._route(method, parts, args, files)
        if fault is not None:
            return answer_fault(handler, fault, status, body)
        send(handler, status, body)

    def _authorised(self, account: str, args: dict[str, str]) -> bool:
        token = self.tokens.get(account)
        return token is None or args.get("access_token") == token

    def _route(self, method: str, parts: list[str], args: dict[str, str],
               files: dict[str, bytes]) -> tuple[int, Any]:
        account = parts[0]
        owner = self.containers.get(account, {}).get("user", account)
        if not self._authorised(owner, args):
            return 400, GRAPH_EXPIRED
        edge = parts[1] if len(parts) > 1 else None
        handlers = {("POST", "photos"): self._photos,
                    ("GET", "published_posts"): self._published,
                    ("GET", "scheduled_posts"): self._scheduled,
                    ("POST", "media"): self._container,
                    ("GET", "media"): self._media_list,
                    ("POST", "media_publish"): self._media_publish,
                    ("GET", "content_publishing_limit"): self._limit,
                    ("GET", None): self._object,
                    ("DELETE", None): self._delete}
        handler = handlers.get((method, edge))
        if handler is None:
            return 400, graph_error(100, f"Unsupported {method} request.")
        return handler(account, args, files)

    def _photos(self, page: str, args: dict[str, str], files: dict[str, bytes]):
        with self.lock:
            self.fields_seen.append({k: v for k, v in args.items() if k != "access_token"})
        if not files.get("source", b"").startswith(b"\xff\xd8"):
            return 400, graph_error(324, "Requires upload file")
        published = args.get("published", "true") != "false"
        when = int(args["scheduled_publish_time"]) if "scheduled_publish_time" in args else None
        if not published and when is None:
            return 400, graph_error(100, "scheduled_publish_time required")
        if when is not None and self.clock and not 600 <= when - self.clock() <= 30 * 86400:
            return 400, graph_error(100, "(#100) The specified scheduled publish time is "
                                         "invalid.", error_subcode=1501234)
        # The text of a photo is `caption`; `message` is deprecated on this edge and ignored.
        post = PagePost(f"{page}_{self.next_id()}", page, args.get("caption", ""), published,
                        when, files["source"])
        with self.lock:
            self.page_posts.append(post)
        self.recorded.set()
        return 200, {"id": self.next_id(), "post_id": post.id}

    def _listing(self, page: str, published: bool, args: dict[str, str]):
        data = [{"id": p.id, "message": p.message,
                 "permalink_url": f"https://www.facebook.com/{p.id}",
                 **({"scheduled_publish_time": p.scheduled_publish_time}
                    if p.scheduled_publish_time else {})}
                for p in reversed(self.posts_for(page)) if p.published == published]
        return 200, page_of(data, args)

    def _published(self, page: str, args, files):
        return self._listing(page, True, args)

    def _scheduled(self, page: str, args, files):
        return self._listing(page, False, args)

    def _delete(self, object_id: str, args, files):
        with self.lock:
            before = len(self.page_posts)
            self.page_posts = [p for p in self.page_posts if p.id != object_id]
        if len(self.page_posts) == before:
            return 400, graph_error(100, "Object does not exist")
        return 200, {"success": True}

    def _container(self, user: str, args: dict[str, str], files):
        caption = args.get("caption", "")
        if (len(caption) > 2200 or len(re.findall(r"#\w+", caption)) > 30
                or len(re.findall(r"@[\w.]+", caption)) > 20):
            return 400, graph_error(100, "Invalid parameter", error_subcode=2207035)
        container = self.next_id()
        status, detail = self.container_status, self.container_detail
        try:  # like Instagram: fetch the image from its public URL
            with urllib.request.urlopen(args["image_url"], timeout=5) as response:
                if not response.read(3).startswith(b"\xff\xd8"):
                    status, detail = "ERROR", "2207026: Unsupported format"
        except OSError as exc:
            status, detail = "ERROR", f"2207052: media fetch failed ({exc})"
        with self.lock:
            self.containers[container] = {"user": user, "caption": args.get("caption", ""),
                                          "image_url": args["image_url"],
                                          "status_code": status, "status": detail}
        return 200, {"id": container}

    def _object(self, object_id: str, args, files):
        if object_id in self.containers:
            c = self.containers[object_id]
            return 200, {"id": object_id, "status_code": c["status_code"],
                         "status": c["status"] or c["status_code"]}
        for media in self.ig_media:
            if media.id == object_id:
                return 200, {"id": media.id, "permalink": media.permalink}
        for post in self.page_posts:
            if post.id == object_id:
                return 200, {"id": post.id, "is_published": post.published,
                             "permalink_url": f"https://www.facebook.com/{post.id}"}
        return 400, graph_error(100, "Unsupported get request.")

    def _media_publish(self, user: str, args: dict[str, str], files):
        container = self.containers.get(args.get("creation_id", ""))
        if container is None or container["user"] != user:
            return 400, graph_error(100, "Invalid parameter")
        if container["status_code"] != "FINISHED":
            return 400, graph_error(9007, "Media ID is not available", error_subcode=2207027)
        if sum(m.user == user for m in self.ig_media) >= self.quota_total:
            return 400, graph_error(4, "Application request limit reached")
        media_id = self.next_id()
        media = IgMedia(media_id, user, container["caption"], container["image_url"],
                        f"https://www.instagram.com/p/{media_id}/")
        with self.lock:
            container["status_code"] = "PUBLISHED"
            self.ig_media.append(media)
        self.recorded.set()
        return 200, {"id": media_id}

    def _media_list(self, user: str, args, files):
        data = [{"id": m.id, "caption": m.caption, "permalink": m.permalink}
                for m in reversed(self.ig_media) if m.user == user]
        return 200, page_of(data, args)

    def _limit(self, user: str, args, files):
        used = sum(m.user == user for m in self.ig_media)
        return 200, {"data": [{"quota_usage": used, "config": {
            "quota_total": self.quota_total, "quota_duration": 86400}}]}


@dataclass
class TikTokPost:
    publish_id: str
    title: str
    description: str
    privacy_level: str
    photo_images: list[str]
    status: str = "PROCESSING_DOWNLOAD"
    create_time: int = field(default_factory=lambda: int(time.time()))


class FakeTikTok(_Base):
    """TikTok Content Posting API: creator_info/query, content/init (PHOTO), status/fetch."""

    def __init__(self, token: str | None, *, audited: bool = False) -> None:
        """`token` None accepts any bearer token (many accounts, as in the benchmark)."""
        super().__init__()
        self.token = token
        self.audited = audited
        self.posts: list[TikTokPost] = []
        self.comment_disabled = False          # the creator turned comments off
        self.scopes = {"video.publish"}        # add "video.list" for the Display API
        self.pull_failures = 0                 # the next N posts fail to download the photo
        self.fail_reasons: list[str] = []      # the next posts end FAILED with these reasons
        self.failed: dict[str, str] = {}       # publish_id → fail_reason
        self.bodies: list[dict] = []           # every content/init body

    def _ok(self, data: dict) -> dict:
        return {"data": data, "error": {"code": "ok", "message": "", "log_id": "20261123LOG"}}

    def _error(self, code: str, message: str) -> dict:
        return {"error": {"code": code, "message": message, "log_id": "20261123LOG"}}

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        path = urlparse(handler.path).path
        endpoint = path.rstrip("/").split("/")[-2] + "/" + path.rstrip("/").split("/")[-1]
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        with self.lock:
            self.requests.append((method, path))
        fault = self._fault(endpoint, method)
        if fault is not None and not fault.record_first:
            return answer_fault(handler, fault)
        if self.token and handler.headers.get("Authorization") != f"Bearer {self.token}":
            return send(handler, 401, self._error(
                "access_token_invalid", "The access token is invalid or not found in the request."))
        body = json.loads(raw or b"{}")
        route = {"creator_info/query": self._creator, "content/init": self._init,
                 "status/fetch": self._status, "video/list": self._list}.get(endpoint)
        status, answer = route(body) if route else (404, self._error("not_found", path))
        if fault is not None:
            return answer_fault(handler, fault, status, answer)
        send(handler, status, answer, "application/json; charset=UTF-8")

    def _creator(self, body: dict):
        options = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
        return 200, self._ok({"creator_avatar_url": "https://p16.example/avatar.jpeg",
                              "creator_username": "kel.sukamaju", "creator_nickname": "Kel Sukamaju",
                              "privacy_level_options": options,
                              "comment_disabled": self.comment_disabled,
                              "duet_disabled": False, "stitch_disabled": True,
                              "max_video_post_duration_sec": 600})

    def _init(self, body: dict):
        info, source = body.get("post_info", {}), body.get("source_info", {})
        with self.lock:
            self.bodies.append(body)
        if body.get("media_type") != "PHOTO" or source.get("source") != "PULL_FROM_URL":
            return 400, self._error("invalid_params", "media_type/source")
        if not {"brand_content_toggle", "brand_organic_toggle"} <= set(info):
            return 400, self._error("invalid_params", "brand_content_toggle is required")
        if (len(info.get("title", "").encode("utf-16-le")) > 180
                or len(info.get("description", "").encode("utf-16-le")) > 8000):
            return 400, self._error("invalid_params", "title or description too long")
        if self.comment_disabled and not info.get("disable_comment"):
            return 400, self._error("invalid_params", "comments are disabled by the creator")
        if not self.audited and info.get("privacy_level") != "SELF_ONLY":
            return 403, self._error("unaudited_client_can_only_post_to_private_accounts",
                                    "Please review our integration guidelines.")
        post = TikTokPost(f"p_pub_url~v2.{self.next_id()}", info.get("title", ""),
                          info.get("description", ""), info["privacy_level"],
                          list(source.get("photo_images", [])))
        with self.lock:
            if self.pull_failures:
                self.pull_failures -= 1
                post.status = "FAILED"
            elif self.fail_reasons:
                self.failed[post.publish_id] = self.fail_reasons.pop(0)
            else:
                self.posts.append(post)
        self.recorded.set()
        return 200, self._ok({"publish_id": post.publish_id})

    def _status(self, body: dict):
        if body.get("publish_id") in self.failed:
            return 200, self._ok({"status": "FAILED",
                                  "fail_reason": self.failed[body["publish_id"]]})
        if str(body.get("publish_id", "")).startswith("p_pub_url~v2.") and not any(
                p.publish_id == body.get("publish_id") for p in self.posts):
            return 200, self._ok({"status": "FAILED", "fail_reason": "photo_pull_failed"})
        post = next((p for p in self.posts if p.publish_id == body.get("publish_id")), None)
        if post is None:
            return 400, self._error("invalid_publish_id", "publish_id not found")
        answer = {"status": post.status, "uploaded_bytes": 0}
        if post.status == "PROCESSING_DOWNLOAD":
            post.status = "PUBLISH_COMPLETE"   # done by the next poll
        elif post.status == "PUBLISH_COMPLETE" and post.privacy_level != "SELF_ONLY":
            answer["publicaly_available_post_id"] = [int(post.publish_id.rsplit(".", 1)[1])]
        return 200, self._ok(answer)

    def _list(self, body: dict):
        """Display API /v2/video/list/: the user's public posts (needs the video.list scope)."""
        if "video.list" not in self.scopes:
            return 401, self._error("scope_not_authorized",
                                    "The user did not authorize the scope required.")
        videos = [{"id": p.publish_id.rsplit(".", 1)[1], "title": p.title,
                   "video_description": p.description[:150],
                   "share_url": f"https://www.tiktok.com/@kel.sukamaju/photo/"
                                f"{p.publish_id.rsplit('.', 1)[1]}",
                   "create_time": p.create_time}
                  for p in reversed(self.posts) if p.privacy_level != "SELF_ONLY"]
        return 200, self._ok({"videos": videos[:20], "cursor": 0, "has_more": False})


class StaticSite:
    """The kelurahan website: serves the built `site/` folder (card URLs) on 127.0.0.1."""

    def __init__(self, root) -> None:
        import functools
        from http.server import SimpleHTTPRequestHandler

        self.missing: set[str] = set()   # URL paths answered 404 (not deployed yet)
        owner = self

        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def send_head(self):
                if urlparse(self.path).path in owner.missing:
                    self.send_error(404)
                    return None
                return super().send_head()

        handler = functools.partial(Quiet, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()



@dataclass
class WaMedia:
    data: bytes = field(repr=False)
    mime_type: str
    sha256: str
    file_size: int


class FakeWhatsApp(_Base):
    """WhatsApp Cloud API: `/{phone-id}/messages`, `/{phone-id}/media` (upload), `GET /{media-id}`
    (URL, sha256, file_size) and the download URL, which needs the bearer token like Meta's.

    Faults per endpoint: "messages", "upload", "meta" (GET media id), "download".
    """

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.media: dict[str, WaMedia] = {}
        self.uploads: dict[str, bytes] = {}
        self.sent: list[dict[str, Any]] = []
        self.read: list[str] = []
        self.changed = threading.Condition()

    def add_media(self, data: bytes, mime_type: str = "image/jpeg", *, sha256: str | None = None,
                  file_size: int | None = None) -> str:
        """A photo a user sent; `sha256`/`file_size` may lie, as a corrupt transfer would."""
        import hashlib

        media_id = self.next_id()
        self.media[media_id] = WaMedia(data, mime_type, sha256 or hashlib.sha256(data).hexdigest(),
                                       len(data) if file_size is None else file_size)
        return media_id

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.sent) >= count, timeout), \
                f"expected {count} messages, got {len(self.sent)}: {self.sent}"
            return list(self.sent)

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        url = urlparse(handler.path)
        parts = url.path.strip("/").split("/")
        download = parts[0] == "download"
        endpoint = "download" if download else (parts[-1] if len(parts) > 2 else "meta")
        endpoint = "upload" if endpoint == "media" else endpoint
        payload: dict[str, Any] = {}
        form, files = {}, {}
        if method == "POST" and endpoint == "messages":
            payload = json.loads(handler.rfile.read(int(handler.headers["Content-Length"])))
        elif method == "POST":
            form, files = read_form(handler)
        with self.lock:
            self.requests.append((method, url.path))
        fault = self._fault(endpoint)
        if fault is not None:
            return answer_fault(handler, fault)
        if handler.headers.get("Authorization") != f"Bearer {self.token}":
            return send(handler, 401, graph_error(190, "Invalid OAuth access token."))
        if download:
            return self._download(handler, parse_qs(url.query).get("mid", [""])[0])
        base = f"http://{handler.headers.get('Host')}"
        status, body = {"meta": lambda: self._meta(parts[-1], base),
                        "upload": lambda: self._upload(form, files),
                        "messages": lambda: self._message(payload)}.get(
            endpoint, lambda: (400, graph_error(100, f"Unsupported {method} request.")))()
        send(handler, status, body)

    def _meta(self, media_id: str, base: str) -> tuple[int, Any]:
        media = self.media.get(media_id)
        if media is None:
            return 400, graph_error(100, f"Unsupported get request. Object with ID '{media_id}' "
                                    "does not exist", error_subcode=33)
        return 200, {"messaging_product": "whatsapp", "id": media_id,
                     "url": f"{base}/download/?mid={media_id}&ext=1763888400",
                     "mime_type": media.mime_type, "sha256": media.sha256,
                     "file_size": media.file_size}

    def _download(self, handler: BaseHTTPRequestHandler, media_id: str) -> None:
        media = self.media.get(media_id)
        if media is None:
            return send(handler, 404, "", content_type="text/plain")
        _send_bytes(handler, media.data, media.mime_type)

    def _upload(self, form: dict[str, str], files: dict[str, bytes]) -> tuple[int, Any]:
        if form.get("messaging_product") != "whatsapp" or not files.get("file"):
            return 400, graph_error(100, "(#100) The parameter messaging_product is required.")
        media_id = self.next_id()
        with self.lock:
            self.uploads[media_id] = files["file"]
        return 200, {"id": media_id}

    def _message(self, payload: dict[str, Any]) -> tuple[int, Any]:
        if payload.get("status") == "read":  # a read receipt, not a message
            with self.lock:
                self.read.append(str(payload.get("message_id")))
            return 200, {"success": True}
        with self.changed:
            self.sent.append(payload)
            self.changed.notify_all()
        return 200, {"messaging_product": "whatsapp", "contacts": [
            {"input": payload.get("to"), "wa_id": payload.get("to")}],
            "messages": [{"id": f"wamid.{self.next_id()}"}]}


def _send_bytes(handler: BaseHTTPRequestHandler, data: bytes, content_type: str) -> None:
    try:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
