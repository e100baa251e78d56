import Conformance

/// The reference's `FTPServerAPI`: the `ftp-server` executable next to the running one (the rule
/// runners and `ftp-server` are built into the same folder), with a thread per client.
public struct FTPServers: FTPServerAPI {
    private let executable: String

    public init() {
        let me = CommandLine.arguments[0]
        let folder = me.contains("/") ? String(me[..<me.lastIndex(of: "/")!]) : "."
        executable = folder + "/ftp-server"
    }

    public func command(_ options: FTPServerOptions) -> ServerCommand {
        ServerCommand(executable, options.arguments)
    }
}
