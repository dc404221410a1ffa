"""Starting and stopping `rubric serve` for a test, and talking to it over loopback with the
standard library only (http.client: no proxy from the environment is ever used).

    with served(cli, "--rubrics", folder) as s:
        status, headers, body = s.request("GET", "/api/files")

The server listens on a free port (--listen 127.0.0.1:0; it prints the port it got) and is
killed when the block ends, whatever happened inside it.
"""
import contextlib
import http.client
import json
import re
import subprocess
import uuid


class Server:
    def __init__(self, proc, port):
        self.proc = proc
        self.port = port

    def request(self, method, path, body=None, content_type=None, headers=None, timeout=120):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            h = dict(headers or {})
            if content_type:
                h["Content-Type"] = content_type
            if isinstance(body, str):
                body = body.encode("utf-8")
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def post_json(self, path, obj, headers=None):
        return self.request("POST", path, json.dumps(obj, ensure_ascii=False), "application/json", headers)

    def post_form(self, path, fields, files=None, headers=None):
        body, content_type = multipart(fields, files or {})
        return self.request("POST", path, body, content_type, headers)


def multipart(fields, files):
    """multipart/form-data: fields {name: text}, files {name: (filename, bytes)}."""
    boundary = uuid.uuid4().hex
    out = b""
    for k, v in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode() + str(v).encode() + b"\r\n"
    for k, (filename, data) in files.items():
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, "multipart/form-data; boundary=" + boundary


def start(cli, *args, env=None):
    """Starts `rubric serve` on a free loopback port; returns the Server (stop() it)."""
    proc = subprocess.Popen([cli, "serve", "--listen", "127.0.0.1:0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    m = re.search(r":(\d+)/", line)
    if not m:
        proc.kill()
        _, err = proc.communicate(timeout=10)
        raise RuntimeError("rubric serve did not start: " + line + err)
    return Server(proc, int(m.group(1)))


def stop(server):
    server.proc.kill()
    server.proc.communicate(timeout=10)


@contextlib.contextmanager
def served(cli, *args, env=None):
    s = start(cli, *args, env=env)
    try:
        yield s
    finally:
        stop(s)
