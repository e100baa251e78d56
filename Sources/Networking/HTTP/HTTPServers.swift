import Conformance

/// The reference's `HTTPServerAPI`: the `http-server` executable next to the running one (the rule
/// runners and `http-server` are built into the same folder).
public struct HTTPServers: HTTPServerAPI {
    public init() {}

    public func command(_ options: HTTPServerOptions) -> ServerCommand {
        ServerCommand.sibling("http-server", options.arguments)
    }
}
