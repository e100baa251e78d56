import Conformance

/// The course's HTTPServer v2.0 (day6 http_server.py), started as a process by the spec: serve a
/// folder over HTTP/1.1 with IO concurrency, and answer a non-page request (`/api/echo`) from a
/// handler registered on your server class.
///
/// Rules HTTP-1 ... HTTP-21, RULES.md and Guides/servers.md. Grade just these: `make grade RULES=http-server`.
/// Hints: add an executable target to this package (say `my-http-server`) that takes
/// `--root DIR --port N --request-seconds S --max-connections N`, and return
/// `ServerCommand.sibling("my-http-server", options.arguments)` (`options.arguments` has them in
/// that form): it is built next to the conformance runner. Print `listening on 127.0.0.1:PORT` first,
/// then `fflush(stdout)`. One thread on your epoll selector (or your coroutine hub) serves every
/// client: each connection keeps the bytes it has received until a request is whole (its head ends
/// with an empty line; then Content-Length bytes or chunks of body). Stop on SIGTERM with the
/// self-pipe trick: stop accepting, finish the responses under way, exit 0.
public struct StudentHTTPServer: HTTPServerAPI {
    public init() {}

    public func command(_ options: HTTPServerOptions) -> ServerCommand { notImplemented() }
}
