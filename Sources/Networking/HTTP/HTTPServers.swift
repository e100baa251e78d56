import Conformance

/// The reference's `HTTPServerAPI`: the `http-server` executable next to the running one (the rule
/// runners and `http-server` are built into the same folder).
public struct HTTPServers: HTTPServerAPI {
    private let executable: String

    public init() {
        let me = CommandLine.arguments[0]
        let folder = me.contains("/") ? String(me[..<me.lastIndex(of: "/")!]) : "."
        executable = folder + "/http-server"
    }

    public func command(_ options: HTTPServerOptions) -> ServerCommand {
        ServerCommand(executable, options.arguments)
    }
}
