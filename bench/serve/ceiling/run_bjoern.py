"""bare.py under bjoern in N processes sharing the port (SO_REUSEPORT): run_bjoern.py PORT N."""

import os
import sys

import bjoern
from bare import app

for _ in range(int(sys.argv[2]) - 1):
    if os.fork() == 0:
        break
bjoern.run(app, "127.0.0.1", int(sys.argv[1]), reuse_port=True)
