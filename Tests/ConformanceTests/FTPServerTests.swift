import Foundation
import Glibc
import Grading
import Testing

/// `ftp-server` run as a process, as a user would, with both of its concurrency models, spoken to
/// by clients no one here wrote (Python's ftplib, curl) and by the project's `ftp-client`.
@Suite struct FTPServerTests {
    /// A folder to serve and a folder beside it the server must never read or write: a file and a
    /// subfolder to serve, and links leading out (to a file, to a folder, dangling) and in.
    struct Site {
        let root: URL
        let outside: URL

        init() throws {
            root = try Repository.temporaryFolder()
            outside = try Repository.temporaryFolder()
            try "secret\n".write(to: outside.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
            try "hello\n".write(to: root.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
            try "line one\nline two\n".write(to: root.appendingPathComponent("sub/lines.txt"), atomically: true, encoding: .utf8)
            let folder = root
            let link = { (name: String, target: String) in
                try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(name).path, withDestinationPath: target)
            }
            try link("leak", outside.appendingPathComponent("secret.txt").path)
            try link("leakdir", outside.path)
            try link("dangling", outside.appendingPathComponent("missing.txt").path)
            try link("inside", "a.txt")
        }

        /// Every file outside, with its contents: what the jail must leave as it was.
        func outsideContents() throws -> [String: Data] {
            var contents: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: outside.path) {
                contents[name] = try Data(contentsOf: outside.appendingPathComponent(name))
            }
            return contents
        }
    }

    /// The server on `site`; stopped with SIGTERM (and expected to exit 0) by `stop`.
    final class Server {
        let process = Process()
        let port: UInt16

        init(_ site: Site, _ arguments: [String] = []) throws {
            process.executableURL = URL(fileURLWithPath: RunnerCommand.sibling("ftp-server").executable)
            process.arguments = ["--root", site.root.path, "--port", "0"] + arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            guard line.hasPrefix("listening on 127.0.0.1:"), let port = UInt16(line.dropFirst(23).prefix { $0.isNumber }) else {
                process.terminate()
                throw Failure(description: "the first line was \(line.debugDescription)")
            }
            self.port = port
        }

        /// SIGTERM, then the exit status (nil: still running after 10 s, then killed).
        func stop() -> Int32? {
            guard process.isRunning else { return process.terminationStatus }
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(2000) }
            guard !process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                return nil
            }
            return process.terminationStatus
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs a Python script with the port as its argument; its standard output, after checking it succeeded.
    func python(_ script: String, port: UInt16, timeout: Double = 120) throws -> String {
        let run = try Spawn.run("/usr/bin/env", ["python3", "-c", script, String(port)], timeout: timeout)
        guard run.succeeded else { throw Failure(description: "python: \(run.status.map { "\($0)" } ?? "timed out")\n\(run.stdout)\n\(run.stderr)") }
        return run.stdout
    }

    /// Verify, with Python's ftplib and each model, every command the server implements and the reply
    /// codes of misuse: 500 unknown, 501 bad argument, 502 not implemented, 503 PASS before USER,
    /// 530 before logging in, 550 missing, 425 a transfer without PASV or EPSV.
    @Test(arguments: ["thread", "process"])
    func ftplibUsesEveryCommand(_ model: String) throws {
        let site = try Site()
        let server = try Server(site, ["--model", model])
        let script = #"""
            import ftplib, io, sys
            f = ftplib.FTP()
            print(f.connect("127.0.0.1", int(sys.argv[1]))[:3])
            def code(command):
                try:
                    return f.sendcmd(command)[:3]
                except ftplib.all_errors as error:
                    return str(error)[:3]
            print(code("PWD"), code("PASS x"), code("USER"), code("BOGUS"))
            print(f.login()[:3], code("SYST"), code("FEAT"), code("NOOP"), code("OPTS UTF8 ON"), code("HELP"))
            print(f.pwd(), code("CWD sub"), f.pwd(), code("CDUP"), f.pwd(), code("CWD nothing"), code("CWD a.txt"))
            print(code("TYPE A"), code("TYPE I"), code("TYPE X"), code("TYPE"), code("MODE S"), code("STRU F"))
            print(code("PORT 127,0,0,1,1,1"), code("EPRT |1|127.0.0.1|1|"), code("EPSV 2"), code("RETR a.txt"))
            print(sorted(f.nlst()))
            lines = []
            f.dir(lines.append)
            print(len(lines), any(line.startswith("drwx") and line.endswith(" sub") for line in lines))
            data = io.BytesIO()
            f.retrbinary("RETR a.txt", data.write)
            print(data.getvalue() == b"hello\n")
            text = []
            f.retrlines("RETR sub/lines.txt", text.append)
            print(text)
            f.storbinary("STOR up.bin", io.BytesIO(bytes(range(256)) * 1000))
            f.storlines("STOR up.txt", io.BytesIO(b"one\r\ntwo\r\n"))
            back = io.BytesIO()
            f.retrbinary("RETR up.bin", back.write)
            print(back.getvalue() == bytes(range(256)) * 1000, f.size("up.bin"), code("MDTM up.bin"), code("SIZE sub"), code("SIZE nothing"))
            print(f.mkd("made"), code("MKD made"), code("RMD made"), code("RMD made"), code("DELE up.bin"), code("DELE up.bin"))
            f.sendcmd("TYPE I")
            print(code("EPSV"), code("PASV")[:3], code("RETR nothing"), code("RETR"), code("RETR \0a"))
            print(f.quit()[:3])
            """#
        let output = try python(script, port: server.port)
        #expect(output == """
            220
            530 503 501 500
            230 215 211 200 200 214
            / 250 /sub 250 / 550 550
            200 200 504 501 200 200
            502 502 522 425
            ['a.txt', 'dangling', 'inside', 'leak', 'leakdir', 'sub']
            6 True
            True
            ['line one', 'line two']
            True 256000 213 550 550
            /made 550 250 550 250 550
            229 227 550 501 501
            221

            """, "\(output)")
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("up.bin").path))
        #expect(try String(contentsOf: site.root.appendingPathComponent("up.txt"), encoding: .utf8) == "one\ntwo\n", "ASCII uploads store LF")
        #expect(server.stop() == 0)
    }

    /// Verify that curl lists, downloads and uploads (`-T`, into a subfolder), over EPSV as it
    /// prefers and over PASV (`--disable-epsv`).
    @Test func curlListsDownloadsAndUploads() throws {
        let curl = try #require(Spawn.which("curl"), "curl is missing (Debian: apt-get install curl)")
        let site = try Site()
        let server = try Server(site)
        let base = "ftp://127.0.0.1:\(server.port)"
        for extra in [[], ["--disable-epsv"]] {
            let listing = try Spawn.run(curl, ["-sS"] + extra + ["\(base)/"], timeout: 60)
            let names = listing.stdout.split(whereSeparator: \.isNewline).compactMap { $0.split(separator: " ").last }
            #expect(listing.succeeded && names == ["a.txt", "dangling", "inside", "leak", "leakdir", "sub"], "\(listing.stdout)\(listing.stderr)")
            let file = try Spawn.run(curl, ["-sS"] + extra + ["\(base)/sub/lines.txt"], timeout: 60)
            #expect(file.succeeded && file.stdout == "line one\nline two\n", "\(file.stderr)")
        }
        let upload = site.root.deletingLastPathComponent().appendingPathComponent("upload-\(getpid()).txt")
        try "sent by curl\n".write(to: upload, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: upload) }
        let sent = try Spawn.run(curl, ["-sS", "-T", upload.path, "\(base)/sub/from-curl.txt"], timeout: 60)
        #expect(sent.succeeded, "\(sent.stderr)")
        #expect(try String(contentsOf: site.root.appendingPathComponent("sub/from-curl.txt"), encoding: .utf8) == "sent by curl\n")
        let missing = try Spawn.run(curl, ["-sS", "\(base)/nothing.txt"], timeout: 60)
        #expect(missing.status == .exited(code: 78), "curl's exit status for a 550 to RETR: \(missing.stderr)")
        #expect(server.stop() == 0)
    }

    /// Verify that the root is a jail: every command that takes a path, given `..` (raw, after a
    /// folder, from an absolute path), an absolute path outside, or a link leading out (to a file,
    /// a folder, or nothing), is refused with 550, a NUL with 501; percent-encoded dots, backslashes
    /// and absolute paths are plain names inside the root (stored there, deleted from there); nothing
    /// outside is read, written or deleted, and the links and files inside still work.
    @Test(arguments: ["thread", "process"])
    func jailRefusesEveryWayOut(_ model: String) throws {
        let site = try Site()
        let before = try site.outsideContents()
        let server = try Server(site, ["--model", model])
        let script = #"""
            import ftplib, io, sys
            f = ftplib.FTP()
            f.connect("127.0.0.1", int(sys.argv[1]))
            f.login()
            def answer(command, path):
                try:
                    if command in ("RETR", "LIST", "NLST"):
                        f.retrlines(f"{command} {path}", lambda line: None)
                        return "226"
                    if command == "STOR":
                        f.storbinary(f"STOR {path}", io.BytesIO(b"written by the jail battery\n"))
                        return "226"
                    return f.sendcmd(f"{command} {path}")[:3]
                except ftplib.all_errors as error:
                    return str(error)[:3]
            out = ["..", "../secret.txt", "/../secret.txt", "sub/../../secret.txt", "/etc/passwd", "leak", "leakdir",
                   "leakdir/secret.txt", "leakdir/new.txt", "dangling", "/leakdir/x/.."]
            commands = ["RETR", "STOR", "SIZE", "MDTM", "DELE", "MKD", "RMD", "CWD", "LIST", "NLST"]
            answers = {}
            for path in out:
                for command in commands:
                    answers.setdefault(answer(command, path), []).append(f"{command} {path}")
            print("550:", len(answers.pop("550", [])), "other:", answers)
            for name in ["/etc", "%2e%2e", "..%2fsecret.txt", "..\\secret.txt", "sub\\..\\..\\secret.txt"]:
                print(name, answer("SIZE", name), answer("STOR", name), answer("SIZE", name), answer("DELE", name))
            print("NUL:", answer("SIZE", "a.txt\0/../../secret.txt"))
            data = io.BytesIO()
            f.retrbinary("RETR inside", data.write)
            print("inside:", data.getvalue() == b"hello\n", f.pwd())
            f.quit()
            """#
        let output = try python(script, port: server.port)
        #expect(output == #"""
            550: 110 other: {}
            /etc 550 226 213 250
            %2e%2e 550 226 213 250
            ..%2fsecret.txt 550 226 213 250
            ..\secret.txt 550 226 213 250
            sub\..\..\secret.txt 550 226 213 250
            NUL: 501
            inside: True /

            """#, "\(output)")
        #expect(try site.outsideContents() == before, "nothing outside changed")
        let inside = try FileManager.default.contentsOfDirectory(atPath: site.root.path).sorted()
        #expect(inside == ["a.txt", "dangling", "inside", "leak", "leakdir", "sub"], "nothing left inside but what was there")
        #expect(!FileManager.default.fileExists(atPath: site.root.deletingLastPathComponent().appendingPathComponent("secret.txt").path))
        #expect(server.stop() == 0)
    }
}
