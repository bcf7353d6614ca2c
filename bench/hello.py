"""The baseline: a bare Flask "hello", served under the same gunicorn settings as the site."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
