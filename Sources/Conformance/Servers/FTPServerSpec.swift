import Glibc

/// The checks of FTP-1 ... FTP-14 against an `FTPServerAPI`: the server runs as its own process on a
/// fresh `ServedSite`, and the clients are the check's `FTPWireClient`s, so what is checked is the
/// bytes on the wire and the files on disk. Every wait is bounded well inside the rule's 10 s.
public struct FTPServerSpec<Implementation: FTPServerAPI>: Spec {
    public static var concept: String { "ftp-server" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("FTP-1", greetsAndLogsIn),
            Check("FTP-2", answersMisuse),
            Check("FTP-3", movesBetweenFolders),
            Check("FTP-4", listsInPassiveMode),
            Check("FTP-5", downloadsExactBytes),
            Check("FTP-6", convertsLineEndsInASCII),
            Check("FTP-7", uploadsAndDeletes),
            Check("FTP-8", keepsToTheRoot),
            Check("FTP-9", uploadsAtomically),
            Check("FTP-10", servesClientsAtOnce),
            Check("FTP-11", limitsUploads),
            Check("FTP-12", limitsClients),
            Check("FTP-13", closesIdleClients),
            Check("FTP-14", stopsOnSIGTERM),
        ]
    }

    /// 1 MiB holding every byte value, CR and LF among them: what a binary transfer must keep.
    static var binary: [UInt8] { (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) } }

    /// Starts the server on `site`, with the options `adjust` sets.
    private func start(_ site: ServedSite, _ adjust: (inout FTPServerOptions) -> Void = { _ in }) throws -> ServerProcess {
        var options = FTPServerOptions(root: site.root)
        adjust(&options)
        let command = implementation.command(options)
        step("starting \(command)")
        return try ServerProcess(command)
    }

    /// A client greeted with 220 and logged in as anonymous.
    private func loggedIn(_ server: ServerProcess) throws -> FTPWireClient {
        let client = try FTPWireClient(port: server.port)
        try client.expectCode(client.greeting, [220], "connecting (the greeting)")
        try client.logIn()
        return client
    }

    /// The names in `folder` on disk, as the check sees them.
    private func names(_ folder: String) throws -> Set<String> {
        guard let names = ServedSite.names(in: folder) else { throw CheckFailure("the check could not read \(folder): \(Errno.current)") }
        return names
    }

    /// The bytes of `path` on disk, or nil when there is no file.
    private func contents(_ path: String) -> [UInt8]? { ServedSite.contents(of: path) }

    /// The folder a 257 reply names: the text between its first quote and the quote that ends it
    /// ("" inside stands for one quote, RFC 959 appendix II).
    private func quotedFolder(_ reply: FTPReply) -> String? {
        var scalars = Substring(reply.text).unicodeScalars.drop { $0 != "\"" }.dropFirst()
        var folder = ""
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            if scalar == "\"" {
                guard scalars.first == "\"" else { return folder }
                scalars = scalars.dropFirst()
            }
            folder.unicodeScalars.append(scalar)
        }
        return nil
    }

    /// FTP-1: 220; PWD, LIST, RETR before logging in are 530; USER and PASS log in; QUIT is 221 and the end.
    func greetsAndLogsIn() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try FTPWireClient(port: server.port)
        try client.expectCode(client.greeting, [220], "connecting (the greeting)")
        for command in ["PWD", "LIST", "RETR hello.txt"] {
            try client.expect(command, 530, when: "before logging in")
        }
        try client.logIn()
        try client.expect("PWD", 257, when: "logged in")
        try client.expect("QUIT", 221)
        try expectTrue(client.closes(within: 5), "the control connection was still open 5 s after QUIT's 221")
    }

    /// FTP-2: PASS before USER 503; logged in: an unknown command 500, RETR alone 501, NOOP 200.
    func answersMisuse() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try FTPWireClient(port: server.port)
        try client.expect("PASS secret", 503, when: "before USER")
        try client.logIn()
        try client.expect("XYZZY", 500)
        try client.expect("RETR", 501)
        try client.expect("NOOP", 200)
    }

    /// FTP-3: PWD, CWD, CDUP, MKD and RMD, checked by PWD and on disk.
    func movesBetweenFolders() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try loggedIn(server)
        let expectFolder = { (expected: String, after: String) throws in
            let reply = try client.expect("PWD", 257)
            try expectEqual(quotedFolder(reply), expected, "the folder PWD names (\"\(reply.line)\") \(after)")
        }
        try expectFolder("/", "after logging in")
        try client.expect("CWD dir", 250)
        try expectFolder("/dir", "after CWD dir")
        try client.expect("CDUP", 200, 250)
        try expectFolder("/", "after CDUP")
        try client.expect("CWD nothing-here", 550)
        try client.expect("CWD hello.txt", 550)
        try expectFolder("/", "after CWD to a missing folder and to a file")
        try client.expect("MKD made", 257)
        var info = stat()
        try expectTrue(stat(site.root + "/made", &info) == 0 && info.st_mode & S_IFMT == S_IFDIR, "MKD made answered 257 but made no folder")
        try client.expect("RMD made", 250)
        try expectTrue(stat(site.root + "/made", &info) != 0, "RMD made answered 250 but the folder is still there")
        try client.expect("RMD made", 550)
    }

    /// FTP-4: EPSV and PASV; NLST of the root over each gives exactly its names in CRLF lines; NLST
    /// and LIST of a folder name its entries.
    func listsInPassiveMode() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try loggedIn(server)
        let expected = try names(site.root)
        for extended in [true, false] {
            let via = extended ? "over EPSV" : "over PASV"
            let listing = try client.download("NLST", extended: extended)
            let text = String(decoding: listing, as: UTF8.self)
            try expectTrue(text.hasSuffix("\r\n") && !text.replacing("\r\n", with: "").contains("\n"),
                           "NLST \(via): lines must end in CRLF: \"\(printable(listing))\"")
            let listed = Set(text.split(separator: "\r\n").map(String.init))
            try expectEqual(listed.sorted(), expected.sorted(), "the names NLST \(via) sends")
        }
        let inFolder = try client.download("NLST list")
        let listed = Set(String(decoding: inFolder, as: UTF8.self).split(separator: "\r\n").map { $0.split(separator: "/").last.map(String.init) ?? "" })
        try expectEqual(listed.sorted(), try names(site.root + "/list").sorted(), "the names NLST list sends")
        let long = String(decoding: try client.download("LIST list"), as: UTF8.self).split(separator: "\r\n")
        for name in try names(site.root + "/list") {
            try expectTrue(long.contains { $0.hasSuffix(" " + name) }, "LIST list has no line ending with \" \(name)\": \"\(long.joined(separator: "\\r\\n"))\"")
        }
    }

    /// FTP-5: TYPE I, RETR of 1 MiB, SIZE, MDTM of hello.txt (2024-01-02 03:04:05 UTC), 550 for a missing file.
    func downloadsExactBytes() throws {
        let site = try ServedSite()
        let data = Self.binary
        try site.write("data.bin", data)
        let server = try start(site)
        let client = try loggedIn(server)
        try client.expect("TYPE I", 200)
        let received = try client.download("RETR data.bin")
        try expectTrue(received == data, "RETR data.bin in TYPE I: \(received.count) bytes came, not data.bin's \(data.count) exact bytes")
        try expectEqual(try client.expect("SIZE data.bin", 213).text, "\(data.count)", "the size SIZE data.bin answers")
        let modified = try client.expect("MDTM hello.txt", 213).text
        try expectEqual(String(modified.prefix(14)), "20240102030405", "the time MDTM hello.txt answers (\"\(modified)\")")
        let unused = try client.passive()
        try client.expect("RETR nothing.bin", 550)
        unused.close()
        try client.expect("SIZE nothing.bin", 550)
    }

    /// FTP-6: TYPE A: RETR of LF lines sends CRLF, STOR of CRLF lines stores LF.
    func convertsLineEndsInASCII() throws {
        let site = try ServedSite()
        try site.write("lines.txt", Array("one\ntwo\nthree\n".utf8))
        let server = try start(site)
        let client = try loggedIn(server)
        try client.expect("TYPE A", 200)
        let sent = try client.download("RETR lines.txt")
        try expectEqual(printable(sent), printable(Array("one\r\ntwo\r\nthree\r\n".utf8)), "RETR lines.txt in TYPE A")
        try client.upload("up.txt", Array("x\r\ny\r\n".utf8))
        try expectEqual(contents(site.root + "/up.txt").map(printable), "x\\ny\\n", "the file STOR up.txt of \"x\\r\\ny\\r\\n\" in TYPE A stored")
    }

    /// FTP-7: STOR over an existing file stores the exact bytes; DELE removes it; DELE again is 550.
    func uploadsAndDeletes() throws {
        let site = try ServedSite()
        try site.write("old.bin", Array("old\n".utf8))
        let server = try start(site)
        let client = try loggedIn(server)
        try client.expect("TYPE I", 200)
        let data = Self.binary
        try client.upload("old.bin", data)
        let stored = contents(site.root + "/old.bin")
        try expectTrue(stored == data, "STOR old.bin of 1 MiB in TYPE I stored \(stored.map { "\($0.count) bytes" } ?? "nothing"), not the bytes sent")
        try client.expect("DELE old.bin", 250)
        try expectTrue(contents(site.root + "/old.bin") == nil, "DELE old.bin answered 250 but the file is still there")
        try client.expect("DELE old.bin", 550)
    }

    /// FTP-8: every way out is 550 and the folder around the root is untouched; "/hello.txt" is inside.
    func keepsToTheRoot() throws {
        let site = try ServedSite()
        let before = try names(site.base)
        let server = try start(site)
        let client = try loggedIn(server)
        try client.expect("TYPE I", 200)
        let out = ["../secret.txt", "/../secret.txt", "dir/../../secret.txt", "leak.txt", "up/secret.txt"]
        let folders = ["..", "/..", "dir/../..", "up"]
        let transfers = out.map { "RETR \($0)" } + (out.map { "STOR \($0)" } + ["STOR ../new.txt", "STOR up/new.txt"]) + folders.map { "LIST \($0)" }
        for command in transfers {
            let data = try client.passive()
            let reply = try client.command(command)
            data.close()
            if reply.code == 150 || reply.code == 125 {
                throw CheckFailure("\(command) opened a transfer (\"\(reply.line)\"): a way out of the root", expected: "550", actual: "\(reply.code)")
            }
            try client.expectCode(reply, [550], command)
        }
        let others = out.map { "SIZE \($0)" } + out.map { "DELE \($0)" } + folders.map { "CWD \($0)" }
            + ["MKD ../made", "MKD up/made", "RMD ../root", "RMD up/root"]
        for command in others { try client.expect(command, 550) }
        try expectEqual(try names(site.base).sorted(), before.sorted(), "the names in the folder around the root")
        try expectEqual(contents(site.base + "/secret.txt").map(printable), printable(Array((ServedSite.secret + "\n").utf8)), "secret.txt, outside the root")
        try expectEqual(try client.expect("SIZE /hello.txt", 213).text, "\(ServedSite.hello.count)", "SIZE /hello.txt (the root's)")
        let hello = try client.download("RETR /hello.txt")
        try expectTrue(hello == ServedSite.hello, "RETR /hello.txt sent \"\(printable(hello))\", not the root's hello.txt")
    }

    /// FTP-9: halfway through an upload the old file is whole; a reset upload changes nothing; two
    /// uploads of one name at once leave one of them whole.
    func uploadsAtomically() throws {
        let site = try ServedSite()
        let old = Array("the old version\n".utf8)
        try site.write("target.bin", old)
        let before = try names(site.root)
        let server = try start(site)
        let client = try loggedIn(server)
        try client.expect("TYPE I", 200)
        let data = try client.passive()
        try client.expect("STOR target.bin", 150, 125)
        try data.send(Array(Self.binary[..<(1 << 19)]))
        awaitAsleep(server, "letting the server take up half of the upload")
        try expectTrue(contents(site.root + "/target.bin") == old, "halfway through STOR target.bin, the file on disk no longer holds its old bytes")
        data.reset()
        let answer = try client.reply("STOR target.bin after its data connection was reset")
        try expectTrue(answer.code / 100 != 2, "STOR target.bin answered \"\(answer.line)\" to a data connection reset midway")
        awaitAsleep(server, "letting the server clear up the reset upload")
        try expectTrue(contents(site.root + "/target.bin") == old, "after a reset STOR target.bin, the file no longer holds its old bytes")
        try expectEqual(try names(site.root).sorted(), before.sorted(), "the names in the root after a reset upload")

        let versions = [Self.binary, Self.binary.reversed()]
        let clients = [client, try loggedIn(server)]
        var connections: [LoopbackSocket] = []
        for each in clients {
            try each.expect("TYPE I", 200)
            connections.append(try each.passive())
            try each.expect("STOR same.bin", 150, 125)
        }
        for half in [0..<(1 << 19), (1 << 19)..<(1 << 20)] {
            for (connection, version) in zip(connections, versions) { try connection.send(Array(version[half])) }
        }
        for (connection, each) in zip(connections, clients) {
            connection.close()
            try each.expectCode(try each.reply("STOR same.bin, after its data"), [226, 250], "STOR same.bin, after its data")
        }
        let stored = contents(site.root + "/same.bin")
        try expectTrue(stored == versions[0] || stored == versions[1],
                       "two uploads of same.bin at once left \(stored.map { "\($0.count) bytes" } ?? "nothing"), neither upload whole")
        try expectEqual(try names(site.root).sorted(), (before.union(["same.bin"])).sorted(), "the names in the root after two uploads")
    }

    /// FTP-10: one client logged in holding half a command; 20 more connect, log in and download.
    func servesClientsAtOnce() throws {
        let site = try ServedSite()
        let data = Self.binary
        try site.write("data.bin", data)
        let server = try start(site)
        let silent = try loggedIn(server)
        try silent.control.send(Array("NO".utf8))
        var clients: [FTPWireClient] = []
        for index in 1...20 {
            let client = try FTPWireClient(port: server.port, within: 4)
            try client.expectCode(client.greeting, [220], "connecting client \(index) of 20 (the greeting)")
            clients.append(client)
        }
        for (index, client) in clients.enumerated() {
            try client.logIn()
            try client.expect("TYPE I", 200)
            let received = try client.download("RETR data.bin")
            try expectTrue(received == data, "client \(index + 1) of 20: RETR data.bin sent \(received.count) bytes, not data.bin's \(data.count)")
        }
        try silent.control.send(Array("OP\r\n".utf8))
        try silent.expectCode(try silent.reply("NOOP, its second half sent last"), [200], "NOOP")
    }

    /// FTP-11: --max-upload-bytes 65536: 65,536 bytes are stored whole, 262,144 are 552 and nothing.
    func limitsUploads() throws {
        let site = try ServedSite()
        let server = try start(site) { $0.maxUploadBytes = 65536 }
        let client = try loggedIn(server)
        try client.expect("TYPE I", 200)
        let exact = Array(Self.binary[..<65536])
        try client.upload("exact.bin", exact)
        try expectTrue(contents(site.root + "/exact.bin") == exact, "STOR exact.bin of 65,536 bytes (the limit) did not store them whole")
        let data = try client.passive()
        try client.expect("STOR big.bin", 150, 125)
        try? data.send(Array(Self.binary[..<(1 << 18)]))  // the server may stop reading at the limit
        data.close()
        let answer = try client.reply("STOR big.bin of 262,144 bytes, over the limit of 65,536")
        try client.expectCode(answer, [552], "STOR big.bin of 262,144 bytes, over the limit of 65,536")
        awaitAsleep(server, "letting the server clear up the refused upload")
        try expectEqual(try names(site.root).contains("big.bin"), false, "whether big.bin, refused with 552, is in the root")
        try expectEqual(try names(site.root).filter { $0.hasPrefix(".") }.sorted(), [], "hidden files left in the root after the refused upload")
    }

    /// FTP-12: --max-clients 3: a fourth is 421 and closed while the three are served; after one
    /// QUITs, a new client is greeted with 220 (within 5 s).
    func limitsClients() throws {
        let site = try ServedSite()
        let server = try start(site) { $0.maxClients = 3 }
        let three = try (1...3).map { _ in try loggedIn(server) }
        let fourth = try FTPWireClient(port: server.port)
        try fourth.expectCode(fourth.greeting, [421], "a fourth client connecting with --max-clients 3")
        try expectTrue(fourth.closes(within: 5), "the fourth client's connection was still open 5 s after its 421")
        for (index, client) in three.enumerated() { try client.expect("NOOP", 200, when: "client \(index + 1) of 3") }
        try three[0].expect("QUIT", 221)
        let deadline = Deadline(after: 5)
        while true {
            let next = try FTPWireClient(port: server.port)
            if next.greeting.code == 220 { break }
            try expectTrue(!deadline.hasPassed, "5 s after one of three clients left, a new client is still answered \"\(next.greeting.line)\"")
            usleep(20_000)
        }
    }

    /// FTP-13: --idle-seconds 1: a silent client gets 421 and the end; one sending NOOP every
    /// 0.25 s for 2.5 s stays.
    func closesIdleClients() throws {
        let site = try ServedSite()
        let server = try start(site) { $0.idleSeconds = 1 }
        let idle = try loggedIn(server)
        let busy = try loggedIn(server)
        for _ in 0..<10 {
            usleep(250_000)
            try busy.expect("NOOP", 200, when: "a busy client")
        }
        let answer = try idle.reply("a client silent for 2.5 s with --idle-seconds 1", within: 2)
        try idle.expectCode(answer, [421], "a client silent for 2.5 s with --idle-seconds 1")
        try expectTrue(idle.closes(within: 3), "the idle client's connection was still open 3 s after its 421")
        try busy.expect("NOOP", 200, when: "a busy client, after 2.5 s")
    }

    /// FTP-14: SIGTERM with two clients connected: status 0 within 10 s, both connections closed.
    func stopsOnSIGTERM() throws {
        let site = try ServedSite()
        let server = try start(site)
        let clients = try [loggedIn(server), loggedIn(server)]
        step("sending SIGTERM")
        let status = try server.stop(with: SIGTERM)
        try expectEqual(status, .exited(code: 0), "how the server ended within 10 s of SIGTERM (nil: it was still running)")
        for (index, client) in clients.enumerated() {
            try expectTrue(client.closes(within: 2), "client \(index + 1) of 2: its connection was still open after the server ended")
        }
    }
}
