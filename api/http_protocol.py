"""uvicorn's httptools protocol, answering an over-long GET with 414 and JSON instead of a bare 400.

httptools cannot parse a request target longer than 64 KiB (its URL offsets are 16-bit), and uvicorn
answers such a request with a plain-text "400 Invalid HTTP request received". A SPARQL query sent
by GET can be that long, so the client gets a proper 414 saying to send it by POST.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_TARGET = 65535


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        if len(self.url) <= MAX_TARGET:
            super().send_400_response(msg)
            return
        body = json.dumps({
            "error": "URI too long",
            "detail": f"the request target is over {MAX_TARGET} bytes; send a long SPARQL query with POST "
                      "(form field query, or Content-Type application/sparql-query)",
        }).encode()
        self.transport.write(b"".join([
            b"HTTP/1.1 414 URI Too Long\r\n",
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"connection: close\r\n\r\n",
            body,
        ]))
        self.transport.close()
