"""The baseline of the storefront benchmark: Flask returning a constant string, served by gunicorn like the market.

    .venv/bin/gunicorn -w 2 -b 127.0.0.1:PORT --chdir tests/benchmarks storefront_const_app:app
"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def constant() -> str:
    """The cheapest page Flask can serve."""
    return "陇县消费帮扶商城"
