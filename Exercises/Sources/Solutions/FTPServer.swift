import Conformance

/// The course's FTP file server (ftp 文件服务器, day5/ftp), started as a process by the spec: several
/// clients at once list, download and upload the files of one folder, over real FTP (RFC 959 in
/// passive mode, with EPSV, SIZE and MDTM) so that curl and Python's ftplib can use it too.
///
/// Rules FTP-1 ... FTP-14, RULES.md and Guides/servers.md. Grade just these: `make grade RULES=ftp-server`.
/// Hints: add an executable target to this package (say `my-ftp-server`) that takes `--root DIR
/// --port N --max-clients N --max-upload-bytes N --idle-seconds S`, and return
/// `ServerCommand.sibling("my-ftp-server", options.arguments)` (`options.arguments` has them in
/// that form): it is built next to the conformance runner. Print `listening on 127.0.0.1:PORT` first,
/// then `fflush(stdout)`. Serve each client on a thread of its own (the course's thread_server) or a
/// process of its own (fork_server): read command lines ending in CRLF, answer "NNN text\r\n".
/// For PASV or EPSV listen on a new port of 127.0.0.1 and accept the client's data connection
/// there. Keep every path inside the root (resolve it, then check), write an upload to a hidden
/// file renamed into place once whole, and stop on SIGTERM.
public struct StudentFTPServer: FTPServerAPI {
    public init() {}

    public func command(_ options: FTPServerOptions) -> ServerCommand { notImplemented() }
}
