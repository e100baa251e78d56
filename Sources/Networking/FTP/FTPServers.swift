import Conformance

/// The reference's `FTPServerAPI`: the `ftp-server` executable next to the running one (the rule
/// runners and `ftp-server` are built into the same folder), with a thread per client.
public struct FTPServers: FTPServerAPI {
    public init() {}

    public func command(_ options: FTPServerOptions) -> ServerCommand {
        ServerCommand.sibling("ftp-server", options.arguments)
    }
}
