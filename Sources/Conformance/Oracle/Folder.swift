import Glibc

/// A folder on disk, read with opendir(3) and readdir(3).
package enum Folder {
    /// The names in the folder at `path` (without "." and ".."), in the order readdir gives them,
    /// or nil when it cannot be opened.
    package static func names(in path: String) -> [String]? {
        guard let listing = opendir(path) else { return nil }
        defer { closedir(listing) }
        var names: [String] = []
        while let entry = readdir(listing) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `path` and, if it is a folder, everything in it (links are removed, never followed).
    package static func remove(_ path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        if status.st_mode & S_IFMT == S_IFDIR {
            for name in names(in: path) ?? [] { remove(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
