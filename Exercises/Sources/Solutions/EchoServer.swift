import Conformance

/// The line echo server on each server model you build, started as a process by the spec (course:
/// 并发网络通信模型: 循环服务器模型, day4 fork_server.py and thread_server.py, IO并发模型 with day5
/// select_server.py, poll_server.py, epoll_server.py).
///
/// Rules ECHO-1 ... ECHO-5 (every model) and SERVER-1 ... SERVER-5 (what defines the loop, udp,
/// fork and thread models), RULES.md. Grade just these: `make grade RULES=servers`.
/// Hints: add an executable target to this package (say `my-echo-server`) that takes
/// `--model M --port N`, and return `ServerCommand.sibling("my-echo-server", arguments)`: it is
/// built next to the conformance runner. List in `models` the models it implements; a rule about
/// a model you left out fails. Print the first line with `print` and then `fflush(stdout)`, or the
/// spec waits for it in vain. Stop on SIGINT / SIGTERM: the selector models with the self-pipe
/// trick; the blocking ones by shutting their sockets down from the handler (shutdown(2) is
/// async-signal-safe and wakes a blocked accept or recv). The fork server reaps its children as
/// they end (a SIGCHLD handler), so none stays a zombie.
public struct StudentEchoServers: EchoServerAPI {
    public init() {}

    public var models: [ServerModel] { notImplemented() }
    public func command(_ model: ServerModel) -> ServerCommand { notImplemented() }
}
