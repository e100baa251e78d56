import CSystem
import Conformance

/// How the blocking models stop: SIGINT and SIGTERM shut down the sockets the server is blocked
/// on, which wakes it (accept fails, receive returns 0 bytes), and it finds the stop requested.
/// The handlers are in C (ServerSignals.c): a handler may call only async-signal-safe functions,
/// shutdown(2) among them. Compare `StopSignals`, the self-pipe the selector models watch.
enum StopByShutdown {
    /// Installs the handlers; the process then watches no socket.
    static func install() throws(SocketError) {
        guard cs_stop_by_shutdown_install() == 0 else { throw .system(call: "sigaction", errno: .current) }
    }

    /// The sockets a stop shuts down from now on (nil: none).
    static func watch(listener: Socket?, client: Socket?) {
        cs_stop_watch(listener?.descriptor ?? -1, client?.descriptor ?? -1)
    }

    /// Whether SIGINT or SIGTERM arrived; read after `watch`, it cannot miss a stop that came
    /// before the handler saw the new sockets.
    static var requested: Bool { cs_stop_requested() != 0 }
}
