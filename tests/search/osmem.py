"""Test-only adapter: talk to osmem-server with the official Elasticsearch client.

The client sends `application/vnd.elasticsearch+json; compatible-with=8`, which
osmem refuses; this node sends plain `application/json` instead. Production
code never uses it.
"""

from elastic_transport import Urllib3HttpNode


class PlainJsonNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        headers = headers.copy() if headers is not None else self._headers.copy()
        for name in ("accept", "content-type"):
            if name in headers:
                headers[name] = "application/json"
        if body is not None and "content-type" not in headers:
            headers["content-type"] = "application/json"
        if method == "POST" and target.startswith("/_bulk"):
            headers["content-type"] = "application/x-ndjson"
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)
