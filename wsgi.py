"""Entry point: `app` for a WSGI server, and `python wsgi.py` for the development server with Socket.IO."""
import os

from samen import create_app
from samen.core.runtime import tune_garbage_collector
from samen.extensions import socketio_for

app = create_app()
socketio = socketio_for(app)
tune_garbage_collector(os.environ.get("GC_THRESHOLD"))  # after start-up: see samen/core/runtime.py

if __name__ == "__main__":
    socketio.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5000")),
                 allow_unsafe_werkzeug=True, debug=os.environ.get("FLASK_DEBUG") == "1")
