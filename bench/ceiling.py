"""The ceiling: plain Flask returning a static page as large as TrainHub's lesson page, run
under the same gunicorn settings. What TrainHub achieves is reported as a share of this."""

import os

from flask import Flask, Response

app = Flask(__name__)
PAGE = (b"<!doctype html><html><body><p>"
        + b"x" * max(0, int(os.environ.get("CEILING_BYTES", "12000")) - 40)
        + b"</p></body></html>")


@app.get("/")
def page() -> Response:
    return Response(PAGE, mimetype="text/html")
