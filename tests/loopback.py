"""A loopback HTTP server (127.0.0.1 only) for the tests of `fetch` and `update`.

It serves a dict of path -> bytes and can misbehave on chosen paths: answer late (a timeout), announce
more bytes than it sends (a truncated download), or ignore Range requests. Every request is recorded.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _QuietServer(ThreadingHTTPServer):
    # NOTE: a client that gives up (a timeout test, a refused connection) resets its socket; the server's
    # default is to print a traceback to stderr, which a test reading stderr would take for the command's own.
    def handle_error(self, request, client_address):
        pass


@dataclass
class Loopback:
    files: dict[str, bytes] = field(default_factory=dict)
    slow: set[str] = field(default_factory=set)
    truncated: set[str] = field(default_factory=set)
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Range header)
    delay_seconds: float = 3.0
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Loopback:
        state = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 (http.server's name)
                rng = self.headers.get("Range")
                state.requests.append((self.path, rng))
                data = state.files.get(self.path)
                if data is None:
                    self.send_error(404, "Not Found")
                    return
                if self.path in state.slow:
                    time.sleep(state.delay_seconds)
                start = 0
                if rng and rng.startswith("bytes=") and rng.endswith("-"):
                    start = int(rng[6:-1])
                    if start >= len(data):
                        self.send_error(416, "Range Not Satisfiable")
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.path in state.truncated:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
