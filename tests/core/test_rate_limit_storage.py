"""Rate limits are kept in Redis when PARTICIPATION_RATELIMIT_STORAGE_URI points there.

Run in a subprocess: the limiter is a module-level extension, and this must not change the
storage the rest of the suite uses.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

SCRIPT = """
import os, sys
from participation import create_app
app = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                  "INSTANCE_PATH": sys.argv[1],
                  "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1] + "/db.sqlite"})
from participation.extensions import limiter
storage = type(limiter.storage).__name__
client = app.test_client()
statuses = [client.get("/language/fi").status_code for _ in range(2)]
statuses += [client.post("/password/forgot", data={"email": "bad"}).status_code
             for _ in range(6)]
print(storage, statuses[-2:])
"""


def test_rate_limits_in_redis(tmp_path):
    env = dict(os.environ)
    env["PARTICIPATION_RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0"
    env["PARTICIPATION_RATELIMIT_KEY_PREFIX"] = f"osallistu-test-{uuid.uuid4().hex}"
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "RedisStorage [422, 429]"
