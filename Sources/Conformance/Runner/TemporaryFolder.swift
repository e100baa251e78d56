import Glibc

/// A new folder of its own under the temporary folder (`$TMPDIR`, else /tmp), made with
/// mkdtemp(3) as `PREFIX-XXXXXX`; `remove()` deletes it with everything in it. The runner gives
/// each check one as its TMPDIR, so that what a check leaves there (its code ended the check
/// process before any clean-up ran, a crash, a time-out) does not outlive it.
package struct TemporaryFolder: Sendable {
    package let path: String

    package init(_ prefix: String) throws(Errno) {
        let parent = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(parent)/\(prefix)-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { throw .current }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes the folder and everything in it.
    package func remove() { Folder.remove(path) }
}
