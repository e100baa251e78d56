"""The nginx peer of the HTTP row: nginx with one worker process serving a folder, its welcome
configuration trimmed to what the row measures (no access log, sendfile on, keep-alive as nginx ships it).

    python3.11 http_nginx.py --root DIR --port N   listens on 127.0.0.1:N (0 picks a free port)

Writes its configuration into a temporary folder, starts nginx in the foreground (daemon off), prints
"listening on 127.0.0.1:PORT" once nginx accepts connections, and on SIGINT or SIGTERM stops nginx
and exits 0.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

CONFIG = """
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    types {{ text/html html; text/css css; text/plain txt; }}
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    options = parser.parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        sys.exit("nginx is not installed (Debian: apt-get install nginx)")
    folder = tempfile.mkdtemp(prefix="nginx-peer-")
    port = options.port or free_port()
    with open(os.path.join(folder, "nginx.conf"), "w") as config:
        config.write(CONFIG.format(folder=folder, port=port, root=os.path.abspath(options.root)))
    server = subprocess.Popen([nginx, "-c", os.path.join(folder, "nginx.conf"), "-p", folder])

    # The handler only passes the signal on: main's server.wait() returns once nginx has stopped
    # (a wait inside the handler would deadlock on the one main is in).
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    signal.signal(signal.SIGINT, lambda *_: server.terminate())
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log = os.path.join(folder, "error.log")
                why = open(log).read()[-500:] if os.path.exists(log) else "no error log"
                server.kill()
                shutil.rmtree(folder, ignore_errors=True)
                sys.exit("nginx did not start: " + why)
            time.sleep(0.05)
    print(f"listening on 127.0.0.1:{port}", flush=True)
    server.wait()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
