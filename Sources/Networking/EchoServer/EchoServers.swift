import Conformance
import Glibc

/// The reference `EchoServerAPI`: the `echo-server` executable built next to the running one
/// (`.build/debug/echo-server` beside `.build/debug/reference-runner`).
public struct EchoServers: EchoServerAPI {
    private let executable: String

    public init() {
        let me = CommandLine.arguments[0]
        let folder = me.contains("/") ? String(me[..<me.lastIndex(of: "/")!]) : "."
        executable = folder + "/echo-server"
    }

    public var models: [ServerModel] { ServerModel.allCases }

    public func command(_ model: ServerModel) -> ServerCommand {
        ServerCommand(executable, ["--model", model.rawValue, "--port", "0"])
    }
}
