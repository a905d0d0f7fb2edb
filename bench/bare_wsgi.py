"""A WSGI application that does nothing, for bench/appeals_bench.py: what gunicorn alone
(its HTTP parsing, workers and sockets) costs per request on this machine, without Django."""


def application(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("302 Found", [("Location", "/"), ("Content-Length", "0")])
    return [b""]
