"""A stand-in for LibreTranslate's HTTP API, for the tests and for trying machine
translation where a real LibreTranslate cannot run (no internet to fetch its models).

It is NOT a translator: it answers `POST /translate` from a small dictionary of the demo
data's Portuguese texts with Greek translations written by hand (`DICTIONARY`), and any
other text with the text itself behind a marker ("[el] ..."). It guesses the source
language from the script (Greek, Cyrillic, Portuguese letters, else English), answers in
LibreTranslate's shape ({"translatedText", "detectedLanguage": {"language", "confidence"}})
and serves `GET /languages`. Its `mode` makes it fail as a real server can: "error" (500),
"forbidden" (403, a wrong key), "slow" (holds the reply for `hold` seconds), "nonsense"
(200 with HTML).

Run it for a walk of the demo:  python -m tests.support.libretranslate_stub --port 8775
"""

import argparse
import contextlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The Portuguese workshop of the demo (cocreation/demo.py, DEMO_PORTUGUESE_*), in Greek;
# the last entries are for a contribution to post during the walk (README).
DICTIONARY = {
    "Os orçamentos municipais não são publicados em formato aberto": {
        "el": "Οι δημοτικοί προϋπολογισμοί δεν δημοσιεύονται σε ανοικτό μορφότυπο",
    },
    "As câmaras publicam os orçamentos em PDF digitalizado, e ninguém consegue reutilizar "
    "os números sem os voltar a escrever.": {
        "el": "Οι δήμοι δημοσιεύουν τους προϋπολογισμούς σε σαρωμένα PDF, και κανείς δεν "
        "μπορεί να επαναχρησιμοποιήσει τα στοιχεία χωρίς να τα πληκτρολογήσει ξανά.",
    },
    "A proposta foi integrada no compromisso sobre dados orçamentais abertos.": {
        "el": "Η πρόταση ενσωματώθηκε στη δέσμευση για τα ανοικτά δημοσιονομικά δεδομένα.",
    },
    "Um portal único de dados para todas as câmaras": {
        "el": "Μία ενιαία πύλη δεδομένων για όλους τους δήμους",
    },
    "Propomos um catálogo comum, com os mesmos formatos e um dicionário de dados, para "
    "comparar os municípios.": {
        "el": "Προτείνουμε έναν κοινό κατάλογο, με τους ίδιους μορφότυπους και ένα λεξικό "
        "δεδομένων, ώστε να μπορούν να συγκριθούν οι δήμοι.",
    },
    "Concordo, e os dados devem ser atualizados todos os meses.": {
        "el": "Συμφωνώ, και τα δεδομένα πρέπει να ενημερώνονται κάθε μήνα.",
    },
    "Em análise com a Agência para a Modernização Administrativa.": {
        "el": "Υπό εξέταση με τον Οργανισμό για τον Διοικητικό Εκσυγχρονισμό.",
    },
    "Formação em dados para as associações locais": {
        "el": "Εκπαίδευση στα δεδομένα για τους τοπικούς συλλόγους",
    },
    "As associações precisam de formação prática para usar os dados abertos no seu trabalho.": {
        "el": "Οι σύλλογοι χρειάζονται πρακτική εκπαίδευση για να χρησιμοποιούν τα ανοικτά "
        "δεδομένα στη δουλειά τους.",
    },
    "Fica fora do âmbito deste plano; o fórum acompanha a proposta no programa nacional "
    "de formação.": {
        "el": "Είναι εκτός του πεδίου αυτού του σχεδίου· το φόρουμ παρακολουθεί την πρόταση "
        "στο εθνικό πρόγραμμα εκπαίδευσης.",
    },
    "Publicar os contratos públicos em formato aberto": {
        "el": "Δημοσίευση των δημόσιων συμβάσεων σε ανοικτό μορφότυπο",
    },
    "Todos os contratos das câmaras devem estar disponíveis em CSV no dia em que são assinados.": {
        "el": "Όλες οι συμβάσεις των δήμων πρέπει να είναι διαθέσιμες σε CSV την ημέρα που "
        "υπογράφονται.",
    },
}

LANGUAGES = ["en", "el", "uk", "sr", "pt", "pl"]


def detect(text: str) -> str:
    if text.strip() in DICTIONARY or re.search(r"[ãõçâêôà]", text):
        return "pt"
    if re.search(r"[\u0370-\u03ff]", text):
        return "el"
    if re.search(r"[\u0400-\u04ff]", text):
        return "uk" if re.search(r"[іїєґ]", text) else "sr"
    if re.search(r"[ąćęłńśźż]", text):
        return "pl"
    return "en"


def translate(text: str, source: str, target: str) -> str:
    if source == target:
        return text
    known = DICTIONARY.get(text.strip(), {})
    return known.get(target) or f"[{target}] {text}"


class Stub:
    """The server, on 127.0.0.1 and a free port (port 0) unless given one."""

    def __init__(self, port: int = 0, api_key: str = ""):
        self.mode = "ok"
        self.hold = 1.0
        self.api_key = api_key
        self.requests: list[dict] = []
        self._release = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 -- the base class's name
                pass

            def _answer(self, status: int, body, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up (a timeout)
                    self.wfile.write(data)

            def do_GET(self):
                if self.path.rstrip("/") == "/languages":
                    self._answer(
                        200, [{"code": c, "name": c, "targets": LANGUAGES} for c in LANGUAGES]
                    )
                else:
                    self._answer(404, {"error": "Not Found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    payload = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    payload = {}
                stub.requests.append(payload)
                if self.path.rstrip("/") != "/translate":
                    return self._answer(404, {"error": "Not Found"})
                if stub.mode == "slow":
                    stub._release.wait(stub.hold)
                if stub.mode == "error":
                    return self._answer(500, {"error": "Internal error"})
                if stub.mode == "forbidden" or (
                    stub.api_key and payload.get("api_key") != stub.api_key
                ):
                    return self._answer(403, {"error": "Invalid API key"})
                if stub.mode == "nonsense":
                    return self._answer(200, b"<html>Bad gateway</html>", "text/html")
                text = str(payload.get("q", ""))
                target = str(payload.get("target", "en"))
                source = payload.get("source") or "auto"
                source = detect(text) if source == "auto" else source
                return self._answer(
                    200,
                    {
                        "translatedText": translate(text, source, target),
                        "detectedLanguage": {"confidence": 90.0, "language": source},
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> "Stub":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # a held reply ends now
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument(
        "--mode", default="ok", choices=["ok", "error", "forbidden", "slow", "nonsense"]
    )
    options = parser.parse_args()
    stub = Stub(port=options.port)
    stub.mode = options.mode
    print(f"LibreTranslate stand-in (not a translator) at {stub.url}, mode {stub.mode}")
    with contextlib.suppress(KeyboardInterrupt):
        stub.server.serve_forever()


if __name__ == "__main__":
    main()
