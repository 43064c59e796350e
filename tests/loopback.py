"""A loopback HTTP server for the download tests: nothing here reaches an outside host."""

import http.server
import threading
import time


class Server:
    """Serves ``path -> route`` on 127.0.0.1. A route is (status, body, headers, delay in
    seconds); ``length`` overrides the Content-Length sent (a truncated body), ``trickle``
    = (bytes, seconds) sends the body that many bytes at a time, that long apart."""

    def __init__(self):
        self.routes = {}
        self.hits = []
        routes, hits = self.routes, self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                r = routes.get(self.path, {"status": 404, "body": b"not found"})
                time.sleep(r.get("delay", 0))
                body = r.get("body", b"")
                try:
                    self.send_response(r.get("status", 200))
                    for k, v in r.get("headers", {}).items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(r.get("length", len(body))))
                    self.end_headers()
                    if r.get("trickle"):
                        size, pause = r["trickle"]
                        for i in range(0, len(body), size):
                            self.wfile.write(body[i : i + size])
                            self.wfile.flush()
                            time.sleep(pause)
                    else:
                        self.wfile.write(body)
                    if "length" in r:
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(self, path, body=b"", status=200, headers=None, delay=0.0, **more):
        self.routes[path] = {
            "status": status,
            "body": body,
            "headers": headers or {},
            "delay": delay,
            **more,
        }

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
