import Conformance
import Glibc

/// One client of the FTP server, from its greeting to QUIT (course: ftp 文件服务器; RFC 959 with
/// RFC 2428's EPSV and RFC 3659's SIZE and MDTM): log in, move about the folders, list them,
/// download, upload, delete, make and remove folders. It runs with blocking calls on its own thread
/// or process, as the course's thread and fork servers serve each client.
///
/// Replies: 500 an unknown command or a line too long, 501 a missing or bad argument (or one given
/// to a command that takes none, as pyftpdlib answers), 502 a
/// command this server does not implement (PORT and EPRT among them: passive mode only), 503 PASS
/// before USER, 530 anything but USER, PASS, QUIT, NOOP, SYST, FEAT, OPTS and HELP before logging
/// in, 425 a transfer without PASV or EPSV before it, 501 PASV after EPSV ALL, 550 a path that
/// does not exist or is not the jail's to give (`FTPJail`), 552 an upload over the limit, 421 an
/// idle control connection.
final class FTPSession {
    private let control: FTPControl
    private let jail: FTPJail
    private let configuration: FTPServer.Configuration
    private let clientHost: String
    private var user: String?
    private var loggedIn = false
    /// The client-side path of the current folder.
    private var current = "/"
    /// TYPE A (the default, RFC 959 section 3.1.1.1) or TYPE I.
    private var ascii = true
    private var passive: FTPPassive?
    /// After EPSV ALL (RFC 2428 section 4) the only way to open a data connection is EPSV.
    private var extendedOnly = false

    static let anonymousNames: Set<String> = ["anonymous", "ftp"]
    static let notImplemented: Set<String> = [
        "PORT", "EPRT", "LPRT", "APPE", "REST", "RNFR", "RNTO", "ABOR", "STOU", "ACCT", "SMNT", "REIN", "ALLO",
        "SITE", "STAT", "MLSD", "MLST",
    ]
    static let activeMode: Set<String> = ["PORT", "EPRT", "LPRT"]
    /// Commands that take no argument (RFC 959 section 5.3.1): given one, they answer 501.
    static let withoutArgument: Set<String> = ["QUIT", "NOOP", "SYST", "FEAT", "PWD", "XPWD", "CDUP", "XCUP", "PASV"]
    static let beforeLogin: Set<String> = ["USER", "PASS", "QUIT", "NOOP", "SYST", "FEAT", "OPTS", "HELP"]
    static let afterLogin: Set<String> = [
        "PWD", "XPWD", "CWD", "XCWD", "CDUP", "XCUP", "TYPE", "MODE", "STRU", "PASV", "EPSV", "LIST", "NLST", "RETR",
        "STOR", "SIZE", "MDTM", "DELE", "MKD", "XMKD", "RMD", "XRMD",
    ]

    init(_ socket: Socket, clientHost: String, jail: FTPJail, configuration: FTPServer.Configuration) {
        control = FTPControl(socket)
        self.clientHost = clientHost
        self.jail = jail
        self.configuration = configuration
    }

    /// Greets the client and answers its commands until QUIT, a close, or the idle limit.
    func run() {
        guard control.reply(220, "concurrency-spec FTP server ready") else { return }
        try? control.socket.setTimeout(configuration.idleSeconds)
        while true {
            let command: (verb: String, argument: String?)
            do throws(FTPControl.ReadError) {
                command = try control.command()
            } catch .idle {
                control.reply(421, "No command for \(configuration.idleSeconds) s: closing the control connection")
                return
            } catch .tooLong {
                control.reply(500, "The command line is longer than \(FTPControl.maximumLine) bytes")
                return
            } catch {
                return
            }
            guard answer(command.verb, command.argument) else { return }
        }
    }

    /// Answers one command; false once the session is over.
    private func answer(_ verb: String, _ argument: String?) -> Bool {
        if argument?.utf8.contains(0) ?? false { return control.reply(501, "An argument may not hold a NUL byte") }
        if let argument, !argument.isEmpty, Self.withoutArgument.contains(verb) {
            return control.reply(501, "\(verb) takes no argument")
        }
        switch verb {
        case "QUIT":
            control.reply(221, "Goodbye")
            return false
        case "NOOP": return control.reply(200, "NOOP ok")
        case "SYST": return control.reply(215, "UNIX Type: L8")
        case "FEAT": return control.reply(211, "Features:\nEPSV\nPASV\nSIZE\nMDTM\nUTF8\nEnd")
        case "HELP": return control.reply(214, "Commands:\n" + (Self.beforeLogin.union(Self.afterLogin)).sorted().joined(separator: " ") + "\nEnd")
        case "OPTS":
            guard argument?.uppercased() == "UTF8 ON" else { return control.reply(501, "Only OPTS UTF8 ON is known") }
            return control.reply(200, "UTF-8 is always on")
        case "USER": return logIn(user: argument)
        case "PASS": return logIn(password: argument ?? "")
        default: break
        }
        if Self.notImplemented.contains(verb) {
            return control.reply(502, "\(verb) is not implemented" + (Self.activeMode.contains(verb) ? ": use PASV or EPSV" : ""))
        }
        guard Self.afterLogin.contains(verb) else { return control.reply(500, "Unknown command \(verb)") }
        guard loggedIn else { return control.reply(530, "Log in with USER and PASS first") }
        switch verb {
        case "PWD", "XPWD": return control.reply(257, "\"\(current.replacing("\"", with: "\"\""))\" is the current folder")
        case "CDUP", "XCUP": return changeFolder("..")
        case "TYPE": return setType(argument)
        case "MODE": return control.reply(argument?.uppercased() == "S" ? 200 : 504, "Mode \(argument ?? "") (only S, stream)")
        case "STRU": return control.reply(argument?.uppercased() == "F" ? 200 : 504, "Structure \(argument ?? "") (only F, file)")
        case "PASV", "EPSV": return openPassive(extended: verb == "EPSV", argument)
        case "LIST", "NLST": return list(names: verb == "NLST", argument)
        default: break
        }
        guard let argument, !argument.isEmpty else { return control.reply(501, "\(verb) needs a path") }
        switch verb {
        case "CWD", "XCWD": return changeFolder(argument)
        case "RETR": return retrieve(argument)
        case "STOR": return store(argument)
        case "SIZE", "MDTM": return describe(verb, argument)
        case "DELE": return delete(argument)
        case "MKD", "XMKD": return makeFolder(argument)
        default: return removeFolder(argument)
        }
    }

    // MARK: Logging in

    private func logIn(user name: String?) -> Bool {
        guard let name, !name.isEmpty else { return control.reply(501, "USER needs a name") }
        (user, loggedIn) = (name, false)
        if Self.anonymousNames.contains(name.lowercased()) && configuration.allowsAnonymous {
            return control.reply(331, "Anonymous login: send any password")
        }
        return control.reply(331, "Password required for \(name)")
    }

    private func logIn(password: String) -> Bool {
        guard let name = user else { return control.reply(503, "Send USER first") }
        let anonymous = Self.anonymousNames.contains(name.lowercased()) && configuration.allowsAnonymous
        guard anonymous || configuration.users[name] == password else {
            user = nil
            return control.reply(530, "Login incorrect")
        }
        loggedIn = true
        return control.reply(230, "Logged in as \(anonymous ? "anonymous" : name)")
    }

    // MARK: Folders and settings

    /// The client-side path of `argument` and the existing entry there, or nil after replying 550.
    private func existing(_ argument: String) -> (virtual: String, path: String, info: stat)? {
        do throws(FTPJail.Refusal) {
            let virtual = try FTPJail.virtualPath(argument, from: current)
            let (path, info) = try jail.existing(virtual)
            return (virtual, path, info)
        } catch {
            control.reply(550, error.reason)
            return nil
        }
    }

    private func changeFolder(_ argument: String) -> Bool {
        guard let found = existing(argument) else { return true }
        guard found.info.st_mode & S_IFMT == S_IFDIR else { return control.reply(550, "\(found.virtual): not a folder") }
        current = found.virtual
        return control.reply(250, "Folder changed to \(current)")
    }

    private func setType(_ argument: String?) -> Bool {
        switch argument?.uppercased() {
        case "A", "A N":
            ascii = true
            return control.reply(200, "Type set to A")
        case "I", "L 8":
            ascii = false
            return control.reply(200, "Type set to I")
        case nil: return control.reply(501, "TYPE needs A or I")
        case let other?: return control.reply(504, "Type \(other) is not supported (A or I)")
        }
    }

    // MARK: Transfers

    private func openPassive(extended: Bool, _ argument: String?) -> Bool {
        if extended, let argument {
            if argument.uppercased() == "ALL" {
                extendedOnly = true
                return control.reply(200, "EPSV ALL ok: PASV is refused from now on")
            }
            guard argument == "1" else { return control.reply(522, "Network protocol not supported, use (1)") }
        }
        if !extended && extendedOnly { return control.reply(501, "PASV is not allowed after EPSV ALL") }
        passive = nil
        do throws(SocketError) {
            let opened = try FTPPassive(clientHost: clientHost)
            passive = opened
            let port = opened.port
            if extended { return control.reply(229, "Entering Extended Passive Mode (|||\(port)|)") }
            return control.reply(227, "Entering Passive Mode (127,0,0,1,\(port >> 8),\(port & 0xff)).")
        } catch {
            return control.reply(425, "Cannot open a passive port: \(error)")
        }
    }

    /// Replies 150, then waits for the data connection of the last PASV or EPSV; nil after
    /// replying 425 when there is none or it did not come.
    private func dataConnection(_ what: String) -> Socket? {
        guard let listener = passive else {
            control.reply(425, "Use PASV or EPSV first")
            return nil
        }
        passive = nil
        control.reply(150, what)
        do throws(SocketError) {
            return try listener.accept(within: configuration.dataSeconds)
        } catch {
            control.reply(425, "No data connection within \(configuration.dataSeconds) s")
            return nil
        }
    }

    /// The reply after a transfer: 226, or why it failed.
    private func finished(_ transfer: () throws(FTPTransfer.Failure) -> String) -> Bool {
        do throws(FTPTransfer.Failure) {
            return control.reply(226, try transfer())
        } catch {
            switch error {
            case .connection(let error): return control.reply(426, "The data connection broke (\(error)): transfer aborted")
            case .file(let error): return control.reply(451, "Local error: \(error)")
            case .tooLarge(let limit): return control.reply(552, "The upload passed the limit of \(limit) bytes: aborted, nothing stored")
            case .clientLeft: return false
            }
        }
    }

    private func list(names: Bool, _ argument: String?) -> Bool {
        // Clients send `ls` options (`LIST -la`): they are not paths.
        let path = argument.map { $0.split(separator: " ").filter { !$0.hasPrefix("-") }.joined(separator: " ") } ?? ""
        guard let found = existing(path.isEmpty ? "." : path) else { return true }
        let entries = found.info.st_mode & S_IFMT == S_IFDIR
            ? FTPListing.entries(of: found.path, in: jail)
            : [FTPListing.Entry(name: String(found.virtual.split(separator: "/").last ?? ""), info: found.info)]
        let text = entries.map { (names ? $0.name : FTPListing.line($0)) + "\r\n" }.joined()
        guard let data = dataConnection("Here comes the listing of \(found.virtual)") else { return true }
        return finished { () throws(FTPTransfer.Failure) in
            try FTPTransfer.send(Array(text.utf8), on: data)
            return "Listing sent (\(entries.count) entries)"
        }
    }

    private func retrieve(_ argument: String) -> Bool {
        guard let found = existing(argument) else { return true }
        guard found.info.st_mode & S_IFMT == S_IFREG else { return control.reply(550, "\(found.virtual): not a file") }
        let mode = ascii ? "ASCII" : "BINARY"
        guard let data = dataConnection("Opening \(mode) mode data connection for \(found.virtual) (\(found.info.st_size) bytes)") else {
            return true
        }
        return finished { () throws(FTPTransfer.Failure) in
            try FTPTransfer.sendFile(found.path, ascii: ascii, on: data)
            return "Transfer complete"
        }
    }

    private func store(_ argument: String) -> Bool {
        guard let (virtual, folder, name) = creatable(argument) else { return true }
        var info = stat()
        if lstat(folder + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            return control.reply(550, "\(virtual): a folder")
        }
        guard let data = dataConnection("Ready to receive \(virtual)") else { return true }
        return finished { () throws(FTPTransfer.Failure) in
            let count = try FTPTransfer.receiveFile(into: folder, name: name, ascii: ascii, limit: configuration.maxUploadBytes,
                                                    on: data, keepIf: clientStillConnected)
            return "Transfer complete (\(count) bytes stored)"
        }
    }

    /// Whether the control connection is still open: a client that went away midway through an
    /// upload closed it too, and its upload is not kept.
    private func clientStillConnected() -> Bool {
        var byte: UInt8 = 0
        return recv(control.socket.descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) != 0
    }

    // MARK: Files and folders

    private func describe(_ verb: String, _ argument: String) -> Bool {
        guard let found = existing(argument) else { return true }
        guard found.info.st_mode & S_IFMT == S_IFREG else { return control.reply(550, "\(found.virtual): not a file") }
        return control.reply(213, verb == "SIZE" ? "\(found.info.st_size)" : FTPListing.modificationTime(found.info))
    }

    /// The client-side path of `argument`, the real folder it is in and its name, or nil after replying 550.
    private func creatable(_ argument: String) -> (virtual: String, folder: String, name: String)? {
        do throws(FTPJail.Refusal) {
            let virtual = try FTPJail.virtualPath(argument, from: current)
            let (folder, name) = try jail.creatable(virtual)
            return (virtual, folder, name)
        } catch {
            control.reply(550, error.reason)
            return nil
        }
    }

    private func delete(_ argument: String) -> Bool {
        guard let (virtual, folder, name) = creatable(argument) else { return true }
        var info = stat()
        guard lstat(folder + "/" + name, &info) == 0 else { return control.reply(550, "\(virtual): no such file") }
        guard info.st_mode & S_IFMT != S_IFDIR else { return control.reply(550, "\(virtual): a folder (use RMD)") }
        guard unlink(folder + "/" + name) == 0 else { return control.reply(550, "\(virtual): \(Errno.current)") }
        return control.reply(250, "\(virtual) deleted")
    }

    private func makeFolder(_ argument: String) -> Bool {
        guard let (virtual, folder, name) = creatable(argument) else { return true }
        guard mkdir(folder + "/" + name, 0o755) == 0 else { return control.reply(550, "\(virtual): \(Errno.current)") }
        return control.reply(257, "\"\(virtual.replacing("\"", with: "\"\""))\" created")
    }

    private func removeFolder(_ argument: String) -> Bool {
        guard let (virtual, folder, name) = creatable(argument) else { return true }
        guard rmdir(folder + "/" + name) == 0 else { return control.reply(550, "\(virtual): \(Errno.current)") }
        return control.reply(250, "\(virtual) removed")
    }
}
