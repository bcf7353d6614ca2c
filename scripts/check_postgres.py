"""Exit with one clear line when the test PostgreSQL is not reachable (used by `make test`)."""

import os
import sys

import psycopg


def main() -> int:
    url = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except Exception as exc:  # any failure to connect is the same message to the user
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(
            f"PostgreSQL is not reachable at {url} ({first}).\n"
            "Start it (see README, Testing) or set TEST_DATABASE_URL.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
