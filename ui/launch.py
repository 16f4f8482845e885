"""`python -m ui.launch run dashboard.py ...`: `streamlit run` with the server's guards in place from the start.

dashboard.py installs the upload guard (ui/uploads.py) and the websocket patch (ui/connection.py) on its first
run, but a session exists -- and its id is known to its browser -- before that run has got past its imports:
on a fresh worker an upload sent the moment the session id arrived was kept. Installed here, before Streamlit
builds its server, they hold for every request the process ever answers. `make run` and `make serve`
(core/serve.py) start each worker this way; the arguments are `streamlit`'s own.
"""

from __future__ import annotations

from streamlit.web import cli

from ui import connection, uploads


def main() -> None:
    uploads.install()
    connection.install()
    cli.main(prog_name="streamlit")  # reads sys.argv, as `python -m streamlit` does


if __name__ == "__main__":
    main()
