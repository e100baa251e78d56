import Conformance
import Glibc

/// The folder an FTP server serves, as a jail: clients see it as `/`, and no path they send can
/// read or write outside it.
///
/// A client's path is taken as text, never decoded (`%2e%2e` and `..\..` are names like any other,
/// which do not exist). It is made absolute from the session's current folder, `.` segments are
/// dropped and `..` climbs one folder; a `..` that would climb above `/` is refused, and so is an
/// absolute path that names something outside (`/etc/passwd` is `root/etc/passwd`). Existing
/// entries are then found segment by segment with lstat: a symbolic link is followed only when
/// its real path stays inside the root. (A local user who swaps a checked folder for a link between
/// the check and the use could still lead out; the clients of a session cannot.) Hidden uploads
/// under way (`uploadTemplate`) are no one's to name.
public struct FTPJail: Sendable {
    /// The root's real path.
    public let root: String

    /// Serves `folder`; nil when it is not a folder that can be read.
    public init?(root folder: String) {
        guard let real = realPath(folder) else { return nil }
        var info = stat()
        guard stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, access(real, R_OK | X_OK) == 0 else { return nil }
        root = real
    }

    /// Why a path cannot be used: the reply's text (550).
    public struct Refusal: Error, Equatable {
        public let reason: String
    }

    /// The hidden name an upload of `name` is received under until it is whole (mkstemp's template).
    static func uploadTemplate(for name: String) -> String { ".\(name).upload-XXXXXX" }

    /// Whether `name` is such a hidden upload: no client may see, read, write or remove an upload
    /// under way, so a partial file is never visible under any name.
    static func isUploadUnderWay(_ name: Substring) -> Bool {
        name.hasPrefix(".") && name.count > ".upload-XXXXXX".count && name.dropLast(6).hasSuffix(".upload-")
    }

    /// Whether the real path `path` is the root or inside it.
    public func contains(_ path: String) -> Bool { path == root || path.hasPrefix(root + "/") }

    /// The absolute client-side path of `argument` seen from the folder `current`, normalised
    /// (`/a/b`, `/` for the root).
    public static func virtualPath(_ argument: String, from current: String) throws(Refusal) -> String {
        var segments: [Substring] = argument.hasPrefix("/") ? [] : current.split(separator: "/")
        for segment in argument.split(separator: "/") where segment != "." {
            if segment == ".." {
                guard segments.popLast() != nil else { throw Refusal(reason: "\(argument): above the root") }
            } else {
                segments.append(segment)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    /// The real path and the stat of the existing entry at the client-side path `virtual`.
    public func existing(_ virtual: String) throws(Refusal) -> (path: String, info: stat) {
        var real = root
        var info = stat()
        guard stat(root, &info) == 0 else { throw Refusal(reason: "\(virtual): no such file or folder") }
        for segment in virtual.split(separator: "/") {
            guard !Self.isUploadUnderWay(segment) else { throw Refusal(reason: "\(virtual): an upload under way") }
            real += "/" + segment
            guard lstat(real, &info) == 0 else { throw Refusal(reason: "\(virtual): no such file or folder") }
            guard info.st_mode & S_IFMT == S_IFLNK else { continue }
            guard let target = realPath(real), contains(target) else {
                throw Refusal(reason: "\(virtual): leads out of the served folder")
            }
            real = target
            guard stat(real, &info) == 0 else { throw Refusal(reason: "\(virtual): no such file or folder") }
        }
        return (real, info)
    }

    /// Where a new entry named by `virtual` would go: the real path of its (existing) folder and
    /// its name. The root itself cannot be created, and a name that already is a link leading out
    /// is refused.
    public func creatable(_ virtual: String) throws(Refusal) -> (folder: String, name: String) {
        guard let slash = virtual.lastIndex(of: "/"), virtual.index(after: slash) < virtual.endIndex else {
            throw Refusal(reason: "\(virtual): not a name")
        }
        let name = String(virtual[virtual.index(after: slash)...])
        guard !Self.isUploadUnderWay(Substring(name)) else { throw Refusal(reason: "\(virtual): an upload under way") }
        let parent = try existing(slash == virtual.startIndex ? "/" : String(virtual[..<slash]))
        guard parent.info.st_mode & S_IFMT == S_IFDIR else { throw Refusal(reason: "\(virtual): not in a folder") }
        var info = stat()
        if lstat(parent.path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            guard let target = realPath(parent.path + "/" + name), contains(target) else {
                throw Refusal(reason: "\(virtual): leads out of the served folder")
            }
        }
        return (parent.path, name)
    }
}
