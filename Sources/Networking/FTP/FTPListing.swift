import Glibc

/// The text of LIST and NLST and the time of MDTM.
///
/// LIST has no standard form (RFC 959 says it is for people); this is `ls -l`'s, which every
/// client shows as it is: `-rw-r--r-- 1 ftp ftp 613 Nov 29 01:08 index.html`. Names starting with
/// a dot are left out, as `ls` does, and so are uploads in progress (dot files too).
enum FTPListing {
    /// One entry of a folder: its name and its stat.
    struct Entry {
        let name: String
        let info: stat
    }

    /// The visible entries of the folder at `path`, by name. A link into the jail shows what it
    /// leads to (as `ls -lL`); a link leading out shows as a link, telling nothing of its target.
    static func entries(of path: String, in jail: FTPJail) -> [Entry] {
        guard let folder = opendir(path) else { return [] }
        defer { closedir(folder) }
        var entries: [Entry] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix(".") { continue }
            var info = stat()
            guard lstat(path + "/" + name, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFLNK, let target = realPath(path + "/" + name), jail.contains(target) {
                stat(target, &info)
            }
            entries.append(Entry(name: name, info: info))
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// `ls -l`'s line for `entry`, without the line end.
    static func line(_ entry: Entry, now: time_t = time(nil)) -> String {
        let mode = entry.info.st_mode
        let kind = switch mode & S_IFMT {
        case S_IFDIR: "d"
        case S_IFLNK: "l"
        default: "-"
        }
        let permissions = [S_IRUSR, S_IWUSR, S_IXUSR, S_IRGRP, S_IWGRP, S_IXGRP, S_IROTH, S_IWOTH, S_IXOTH]
            .enumerated().map { mode & $0.element != 0 ? Array("rwx")[$0.offset % 3] : "-" }
        var seconds = entry.info.st_mtim.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let month = HTTPDate.months[Int(parts.tm_mon)]
        // As ls: the time for the last six months, else the year.
        let recent = abs(now - seconds) < 180 * 24 * 3600
        let when = recent ? "\(pad(parts.tm_hour)):\(pad(parts.tm_min))" : " \(parts.tm_year + 1900)"
        return "\(kind)\(String(permissions)) 1 ftp ftp \(entry.info.st_size) \(month) \(pad(parts.tm_mday, with: " ")) \(when) \(entry.name)"
    }

    /// MDTM's time (RFC 3659 section 3): `YYYYMMDDHHMMSS` in UTC.
    static func modificationTime(_ info: stat) -> String {
        var seconds = info.st_mtim.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(parts.tm_year + 1900)\(pad(parts.tm_mon + 1))\(pad(parts.tm_mday))\(pad(parts.tm_hour))\(pad(parts.tm_min))\(pad(parts.tm_sec))"
    }

    private static func pad(_ number: Int32, with filler: Character = "0") -> String {
        number < 10 ? "\(filler)\(number)" : "\(number)"
    }
}
