import CSystem
import Conformance
import Glibc

/// The course's fork_server (基于fork的多进程网络并发模型, day4 fork_server.py): the parent only
/// accepts; each client is served by a child process of its own, which exits when the client
/// leaves. The parent closes its copy of the client's socket and the child its copy of the
/// listener, so each connection has one holder and ends when its child ends.
///
/// No zombies: a SIGCHLD handler reaps every child as soon as it ends, while the parent waits in
/// accept (the course's alternative is `signal(SIGCHLD, SIG_IGN)`; the handler also keeps the
/// table of live children, which the parent needs to stop them). On SIGINT or SIGTERM the parent
/// sends SIGTERM to every live child, waits for each, and exits.
public final class ForkEchoServer {
    public let port: UInt16
    private let listener: Socket

    /// Listens on 127.0.0.1:`port` (0: a free port).
    public init(port: UInt16) throws {
        guard cs_children_install() == 0 else { throw SocketError.system(call: "sigaction(SIGCHLD)", errno: .current) }
        listener = try BlockingEcho.listener(port: port)
        self.port = try listener.localAddress().port
    }

    /// Accepts clients, a child for each, until SIGINT or SIGTERM; then stops the children.
    public func serve() {
        StopByShutdown.watch(listener: listener, client: nil)
        while let client = BlockingEcho.accept(listener) {
            if StopByShutdown.requested {
                client.close()
                break
            }
            serveInAChild(client)
        }
        StopByShutdown.watch(listener: nil, client: nil)
        stopChildren()
        listener.close()
    }

    /// Forks with SIGINT, SIGTERM and SIGCHLD blocked: the child must not run the parent's stop
    /// handler with the parent's listener still watched (it would shut the shared listener down),
    /// and the parent must record the child before the SIGCHLD handler can look for it.
    private func serveInAChild(_ client: Socket) {
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        for signal in [SIGINT, SIGTERM, SIGCHLD] { sigaddset(&blocked, signal) }
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        let pid = fork()
        if pid == 0 {
            signal(SIGCHLD, SIG_DFL)
            listener.close()
            StopByShutdown.watch(listener: nil, client: client)
            sigprocmask(SIG_SETMASK, &previous, nil)
            if !StopByShutdown.requested {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
                BlockingEcho.serve(client, buffer: buffer)
                client.close()
            }
            _exit(0)
        }
        if pid < 0 {
            BlockingEcho.log("fork failed: \(Errno.current); the client is turned away")
        } else if cs_children_add(pid) != 0 {
            BlockingEcho.log("out of memory recording child \(pid); stopping it")
            kill(pid, SIGTERM)
        }
        sigprocmask(SIG_SETMASK, &previous, nil)
        client.close()
    }

    /// SIGTERM to every live child, then waits for each. SIGCHLD stays blocked, so the handler
    /// reaps none of them meanwhile: each pid stays ours (alive or a zombie) until waited for, and
    /// no signal can reach a process that reused the pid of a child reaped earlier.
    private func stopChildren() {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGCHLD)
        sigprocmask(SIG_BLOCK, &blocked, nil)
        let children = (0..<cs_children_count()).map { cs_children_at($0) }
        for child in children { kill(child, SIGTERM) }
        for child in children {
            while waitpid(child, nil, 0) < 0 && errno == EINTR {}
        }
    }
}
