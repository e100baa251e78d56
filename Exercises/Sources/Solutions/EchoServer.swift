import Conformance

/// The line echo server on the select, poll and epoll models, started as a process by the spec
/// (course: IO并发模型, day5 select_server.py, poll_server.py, epoll_server.py).
///
/// Rules ECHO-1 ... ECHO-5 (RULES.md). Grade just these: `make grade RULES=echo-server`.
/// Hints: add an executable target to this package (say `my-echo-server`) built on your selector,
/// and return its path: it is built next to the conformance runner, in the folder of
/// `CommandLine.arguments[0]`. Print the first line with `print` and then `fflush(stdout)`, or
/// the spec waits for it in vain; stop on SIGINT / SIGTERM with the self-pipe trick.
public struct StudentEchoServers: EchoServerAPI {
    public init() {}

    public var models: [ServerModel] { notImplemented() }
    public func command(_ model: ServerModel) -> ServerCommand { notImplemented() }
}
