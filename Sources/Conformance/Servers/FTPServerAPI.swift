/// How the spec starts an FTP server: the folder it serves and the limits a rule sets.
public struct FTPServerOptions: Sendable, Equatable {
    /// The folder served (`--root`).
    public var root: String
    /// Clients served at once; one more is answered 421 and closed (`--max-clients`).
    public var maxClients: Int = 100
    /// The largest upload; a larger one is answered 552 and nothing is stored (`--max-upload-bytes`).
    public var maxUploadBytes: Int = 1 << 30
    /// Seconds a control connection may wait without a command before 421 and a close (`--idle-seconds`).
    public var idleSeconds: Double = 300

    public init(root: String) { self.root = root }

    /// The options as the reference's command line takes them, after `--port 0`.
    public var arguments: [String] {
        ["--root", root, "--port", "0", "--max-clients", "\(maxClients)", "--max-upload-bytes", "\(maxUploadBytes)",
         "--idle-seconds", "\(idleSeconds)"]
    }
}

/// The course's FTP file server (ftp 文件服务器, day5/ftp): several clients at once list, download
/// and upload the files of one folder, over real FTP (RFC 959 in passive mode, RFC 2428's EPSV,
/// RFC 3659's SIZE and MDTM), a black box the spec starts as a process and speaks to on 127.0.0.1.
///
/// Rules FTP-1 ... FTP-14 in RULES.md; the reference is `ftp-server --root DIR --port N
/// [--model thread|process] [--max-clients N] [--max-upload-bytes N] [--idle-seconds S]`, a thread
/// (or a process) per client. The protocol: the server prints `listening on 127.0.0.1:PORT` as its
/// first stdout line (port 0 picks a free one), lets `anonymous` log in with any password, serves
/// the folder `root` as `/` and nothing outside it, and ends with status 0 on SIGTERM.
public protocol FTPServerAPI {
    /// The command that starts the server with `options`.
    func command(_ options: FTPServerOptions) -> ServerCommand
}
