import Glibc

/// What the echo server checks share: choosing the models a rule applies to, starting one, and
/// expecting an echo.
extension EchoServerAPI {
    /// The implemented models that are `kind`; a check failure when there is none, so that a rule
    /// no model answers fails instead of passing on nothing.
    func models(_ kind: String, where applies: (ServerModel) -> Bool) throws -> [ServerModel] {
        let chosen = models.filter(applies)
        guard !chosen.isEmpty else {
            throw CheckFailure("no \(kind.isEmpty ? "" : kind + " ")model is implemented (models: \(models))")
        }
        return chosen
    }

    /// Every implemented model; a check failure when there is none.
    func allModels() throws -> [ServerModel] { try models("", where: { _ in true }) }

    /// The implemented `model`; a check failure when it is not among the models.
    func require(_ model: ServerModel) throws {
        guard models.contains(model) else { throw CheckFailure("the \(model) model is not implemented (models: \(models))") }
    }

    /// Starts `model` as a process and reads its port from its first line.
    func start(_ model: ServerModel) throws -> ServerProcess {
        let command = command(model)
        step("\(model): starting \(command)")
        return try ServerProcess(command)
    }
}

/// Waits until the server and its children all sleep, 3 looks 1 ms apart in a row: what a
/// client sent has been taken up, or never will be (a server that spins is stopped by the rule's
/// time limit, at `step`).
func awaitAsleep(_ server: ServerProcess, _ step: String) {
    Conformance.step(step)
    var calm = 0
    while calm < 3 {
        calm = ProcFS.isAsleep(withChildren: server.pid) ? calm + 1 : 0
        usleep(1000)
    }
}

/// Reads `text`'s length within 10 s and compares.
func expectEcho(_ client: LoopbackSocket, _ text: String, _ what: String) throws {
    let bytes = try client.receive(exactly: text.utf8.count, within: 10, what)
    try expectEqual(String(decoding: bytes, as: UTF8.self), text, what)
}

/// Sends `text` (a line, or a datagram on the udp model) to `server` and expects it back within
/// 10 s (a datagram from the server's port).
func expectEcho(_ model: ServerModel, _ client: LoopbackSocket, _ server: ServerProcess, _ text: String,
                _ what: String) throws {
    if model.isStream {
        try client.send(Array(text.utf8))
        try expectEcho(client, text, what)
    } else {
        try client.send(Array(text.utf8), toPort: server.port)
        let (echo, port) = try client.receiveDatagram(within: 10, what)
        try expectEqual(String(decoding: echo, as: UTF8.self), text, what)
        try expectEqual(port, server.port, "\(what): the port the echo came from")
    }
}
