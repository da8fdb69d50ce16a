"""bare.py under pyruvate with N worker threads: run_pyruvate.py PORT N."""

import sys

import pyruvate
from bare import app

pyruvate.serve(app, f"127.0.0.1:{sys.argv[1]}", int(sys.argv[2]))
