import CSystem
import Conformance
import Glibc

/// The course's fork_server way of serving clients at once (基于fork的多进程网络并发模型, day4
/// fork_server.py): the parent only accepts; each client is served by a child process of its own,
/// which exits when the client leaves. The parent closes its copy of the client's socket and the
/// child its copy of the listener, so each connection has one holder and ends when its child ends.
///
/// No zombies: a SIGCHLD handler (`cs_children_install`) reaps every child as soon as it ends, while
/// the parent waits in accept (the course's alternative is `signal(SIGCHLD, SIG_IGN)`; the handler
/// also keeps the table of live children, which the parent needs to stop them). Used by the echo
/// server's fork model and the FTP server.
enum ClientProcesses {
    /// Installs the SIGCHLD handler; call it before the first `serve`.
    static func install() throws(SocketError) {
        guard cs_children_install() == 0 else { throw .system(call: "sigaction(SIGCHLD)", errno: .current) }
    }

    /// The live children.
    static var count: Int { withChildSignalBlocked { Int(cs_children_count()) } }

    /// Serves `client` in a child process by `body`; the child then closes it and exits 0.
    ///
    /// Forks with SIGINT, SIGTERM and SIGCHLD blocked: the child must not run the parent's stop
    /// handler with the parent's listener still watched (it would shut the shared listener down),
    /// and the parent must record the child before the SIGCHLD handler can look for it. The child
    /// watches its client for a stop (`StopByShutdown`), so SIGTERM ends its session.
    static func serve(_ client: Socket, listener: Socket, _ body: () -> Void) {
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
            if !StopByShutdown.requested { body() }
            client.close()
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
    static func stopAll() {
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

    private static func withChildSignalBlocked<T>(_ body: () -> T) -> T {
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGCHLD)
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        return body()
    }
}
