import CSystem
import Conformance
import Foundation
import Glibc
import Networking

/// The FTP servers of the mutants, run by this executable itself: `mutant-runner --ftp-server NAME
/// --root DIR --port 0 --max-clients N --max-upload-bytes N --idle-seconds S`.
struct MutantFTPServer: FTPServerAPI {
    let name: String

    func command(_ options: FTPServerOptions) -> ServerCommand {
        ServerCommand.sibling("mutant-runner", ["--ftp-server", name] + options.arguments)
    }
}

/// One mistaken FTP server: the reference `FTPServer` with a limit that ignores what it was told, or
/// behind a proxy on the control connection that rewrites the bytes each way, serves one client at
/// a time, never closes, joins paths to the root without a jail, or relays data connections so that
/// a reset reaches the server as an orderly end.
struct FTPMutantDesign: Sendable {
    let name: String
    let mistake: String
    let rejectedBy: [String: Outcome.Status]
    /// Changes the server's settings.
    var configure: @Sendable (inout FTPServer.Configuration) -> Void = { _ in }
    /// Rewrites what each read from a client holds before the server gets it.
    var request: (@Sendable ([UInt8]) -> [UInt8])?
    /// Rewrites what each read from the server holds before the client gets it.
    var response: (@Sendable ([UInt8]) -> [UInt8])?
    /// The proxy serves one client to its end before it accepts the next.
    var oneAtATime = false
    /// The proxy leaves the client's connection open when the server closes it.
    var neverCloses = false
    /// The server serves "/" and the proxy joins each path to the root as text.
    var noJail = false
    /// EPSV replies name a relay that passes a data connection's reset on as an orderly end.
    var relaysData = false
    /// A proxy that changes nothing: the process keeps proxying after the server stops at SIGTERM.
    var proxied = false

    var needsProxy: Bool { request != nil || response != nil || oneAtATime || neverCloses || noJail || relaysData || proxied }
}

/// The commands whose argument is a path.
private let pathVerbs: Set<String> = ["CWD", "RETR", "STOR", "SIZE", "MDTM", "DELE", "MKD", "RMD", "LIST", "NLST"]

var ftpDesigns: [FTPMutantDesign] {
    [
    FTPMutantDesign(name: "ftp-quit-keeps-connection", mistake: "answers QUIT with 221 but leaves the connection open",
                    rejectedBy: ["FTP-1": .fail], neverCloses: true),
    FTPMutantDesign(name: "ftp-unknown-is-502", mistake: "answers an unknown command 502 (not implemented) instead of 500",
                    rejectedBy: ["FTP-2": .fail], response: { replacing($0, "500 ", "502 ") }),
    FTPMutantDesign(name: "ftp-cdup-ignored", mistake: "answers CDUP without leaving the folder",
                    rejectedBy: ["FTP-3": .fail], request: { replacing($0, "CDUP", "NOOP") }),
    FTPMutantDesign(name: "ftp-nlst-as-list", mistake: "answers NLST with LIST's long lines",
                    rejectedBy: ["FTP-4": .fail], request: { replacing($0, "NLST", "LIST") }),
    FTPMutantDesign(name: "ftp-binary-as-ascii", mistake: "converts line ends in TYPE I too",
                    rejectedBy: ["FTP-5": .fail], request: { replacing($0, "TYPE I", "TYPE A") }),
    FTPMutantDesign(name: "ftp-ascii-as-binary", mistake: "takes TYPE A and sends and stores bytes unchanged",
                    rejectedBy: ["FTP-6": .fail], request: { replacing($0, "TYPE A", "TYPE I") }),
    FTPMutantDesign(name: "ftp-dele-does-nothing", mistake: "answers DELE by looking the file up (213), removing nothing",
                    rejectedBy: ["FTP-7": .fail], request: { replacing($0, "DELE ", "SIZE ") }),
    FTPMutantDesign(name: "ftp-no-jail", mistake: "joins each path to the root as text, \"..\" and links out followed",
                    rejectedBy: ["FTP-8": .fail], noJail: true),
    FTPMutantDesign(name: "ftp-reset-upload-kept", mistake: "takes a data connection's reset for the end of an upload and keeps its part",
                    rejectedBy: ["FTP-9": .fail], relaysData: true),
    FTPMutantDesign(name: "ftp-one-at-a-time", mistake: "serves one client to its end before the next (a loop server)",
                    rejectedBy: ["FTP-10": .fail], oneAtATime: true),
    FTPMutantDesign(name: "ftp-no-upload-limit", mistake: "stores uploads of any size",
                    rejectedBy: ["FTP-11": .fail], configure: { $0.maxUploadBytes = 1 << 40 }),
    FTPMutantDesign(name: "ftp-no-client-limit", mistake: "accepts clients without a limit",
                    rejectedBy: ["FTP-12": .fail], configure: { $0.maxClients = 1 << 20 }),
    FTPMutantDesign(name: "ftp-no-idle-limit", mistake: "waits for a command for ever",
                    rejectedBy: ["FTP-13": .fail], configure: { $0.idleSeconds = 3600 }),
    FTPMutantDesign(name: "ftp-ignores-sigterm", mistake: "keeps running after SIGTERM",
                    rejectedBy: ["FTP-14": .timedOut], proxied: true),
    ]
}

/// The FTP server mutants, each bound to the spec with its own server.
var ftpServerMutants: [Mutant] {
    ftpDesigns.map { Mutant($0.name, $0.mistake, rejectedBy: $0.rejectedBy, FTPServerSpec(MutantFTPServer(name: $0.name))) }
}

/// `mutant-runner --ftp-server NAME --root DIR --port N --max-clients N --max-upload-bytes N --idle-seconds S`.
func runFTPServerMutant(_ arguments: [String]) -> Never {
    func fail(_ message: String, code: Int32) -> Never {
        var line = "mutant-runner: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(code)
    }
    let usage = "usage: mutant-runner --ftp-server NAME --root DIR --port N --max-clients N --max-upload-bytes N --idle-seconds S"
    guard arguments.count == 11, let design = ftpDesigns.first(where: { $0.name == arguments[0] }),
          arguments[1] == "--root", arguments[3] == "--port", let port = UInt16(arguments[4]),
          arguments[5] == "--max-clients", let clients = Int(arguments[6]),
          arguments[7] == "--max-upload-bytes", let bytes = Int(arguments[8]),
          arguments[9] == "--idle-seconds", let seconds = Double(arguments[10]) else { fail(usage, code: 64) }
    var configuration = FTPServer.Configuration()
    configuration.maxClients = clients
    configuration.maxUploadBytes = bytes
    configuration.idleSeconds = seconds
    design.configure(&configuration)
    signal(SIGPIPE, SIG_IGN)
    do {
        let root = arguments[2]
        let server = try FTPServer(root: design.noJail ? "/" : root, port: design.needsProxy ? 0 : port, configuration: configuration)
        guard design.needsProxy else {
            print("listening on 127.0.0.1:\(server.port)")
            fflush(cs_stdout())
            server.serve()
            exit(0)
        }
        let serving = Shared(server)
        Thread.detachNewThread { serving.value.serve() }
        var proxy = MutantProxy(upstream: server.port, oneAtATime: design.oneAtATime, neverCloses: design.neverCloses)
        proxy.request = design.noJail ? { @Sendable bytes in joinedToRoot(bytes, root: root) } : design.request
        proxy.response = design.relaysData ? relayingData : design.response
        try proxy.run(port: port)
    } catch {
        fail("\(error)", code: 1)
    }
}

/// The naive server's paths: each path argument joined to the root as text (the server serves "/").
private func joinedToRoot(_ bytes: [UInt8], root: String) -> [UInt8] {
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map { line -> String in
        guard let space = line.firstIndex(of: " "), pathVerbs.contains(line[..<space].uppercased()) else { return String(line) }
        let path = line[line.index(after: space)...]
        return "\(line[..<space]) \(root)\(path.hasPrefix("/") ? "" : "/")\(path)"
    }
    return Array(lines.joined(separator: "\r\n").utf8)
}

/// An EPSV reply rewritten to name a relay of the check's data connection to the server's: the
/// relay copies both ways and, when the client resets its side, ends the server's side in order.
@Sendable private func relayingData(_ bytes: [UInt8]) -> [UInt8] {
    let text = String(decoding: bytes, as: UTF8.self)
    guard text.hasPrefix("229 "), let port = FTPWireClient.extendedPort(text),
          let relay = try? SocketFactory().tcp() else { return bytes }
    do {
        try relay.bind(.loopback(0))
        try relay.listen(backlog: 1)
        let relayPort = try relay.localAddress().port
        let box = Shared(relay)
        Thread.detachNewThread {
            guard let client = try? box.value.accept().0, let server = try? SocketFactory().tcp(),
                  (try? server.connect(.loopback(port))) != nil else { return }
            box.value.close()
            let (clientBox, serverBox) = (Shared(client), Shared(server))
            Thread.detachNewThread { pump(from: serverBox.value, to: clientBox.value, nil, closing: true) }
            pump(from: clientBox.value, to: serverBox.value, nil, closing: true)
        }
        return Array("229 Entering Extended Passive Mode (|||\(relayPort)|)\r\n".utf8)
    } catch {
        return bytes
    }
}
