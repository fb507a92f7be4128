"""The ceiling of `python -m bench.side_by_side`: a bare Flask "hello", served as Samen is (gunicorn gthread, two
processes) from Samen's own virtualenv. No page of a Flask app on this machine can be served faster."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
