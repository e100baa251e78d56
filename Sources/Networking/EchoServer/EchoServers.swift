import Conformance
import Glibc

/// The reference `EchoServerAPI`: the `echo-server` executable built next to the running one
/// (`.build/debug/echo-server` beside `.build/debug/reference-runner`).
public struct EchoServers: EchoServerAPI {
    public init() {}

    public var models: [ServerModel] { ServerModel.allCases }

    public func command(_ model: ServerModel) -> ServerCommand {
        ServerCommand.sibling("echo-server", ["--model", model.rawValue, "--port", "0"])
    }
}
