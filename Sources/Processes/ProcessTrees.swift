import Conformance
import Glibc

/// The reference of the process tree (`pstree -p`, `psutil.Process(pid).children(recursive=True)`).
public struct ProcessTrees: ProcessTreeAPI {
    public init() {}

    /// Scans /proc once for every process's name and parent, then gathers the subtree under `pid`,
    /// children in pid order (`pstree -n`). A process that ends during the scan is left out;
    /// `ESRCH` when `pid` itself is not there.
    public func tree(of pid: ProcessID) throws(Errno) -> ProcessTree {
        let processes = try scan()
        guard let root = processes.first(where: { $0.pid == pid }) else { throw Errno.noSuchProcess }
        // Grouping keeps the scan's pid order within each parent's children.
        let childrenOf = Dictionary(grouping: processes, by: \.parent)
        func subtree(_ process: Entry) -> ProcessTree {
            ProcessTree(pid: process.pid, name: process.name, children: (childrenOf[process.pid] ?? []).map(subtree))
        }
        return subtree(root)
    }

    /// Draws the tree as `pstree -p -n -A -T -l` (psmisc's `dump_tree`): `name(pid)`, then `---`
    /// before an only child or `-+-` before the first of several, on the same line; each later
    /// child on a line of its own, `|-` before it (`` `- `` before the last) under the `+`, and
    /// `|` kept in that column on the lines between while siblings follow.
    public func render(_ tree: ProcessTree) -> String {
        var text = ""
        draw(tree, indent: "", into: &text)
        return text
    }

    /// Appends `node` and its subtree; `indent` is what stands left of `node`'s column on the lines
    /// of its subtree below the first.
    private func draw(_ node: ProcessTree, indent: String, into text: inout String) {
        let label = Self.escaped(node.name) + "(\(node.pid.rawValue))"
        text += label
        guard node.children.count > 0 else {
            text += "\n"
            return
        }
        text += node.children.count == 1 ? "---" : "-+-"
        let column = indent + String(repeating: " ", count: label.count + 1)
        for (index, child) in node.children.enumerated() {
            let isLast = index == node.children.count - 1
            if index > 0 { text += column + (isLast ? "`-" : "|-") }
            draw(child, indent: column + (isLast ? "  " : "| "), into: &text)
        }
    }

    /// The name as pstree prints it (`out_args`): bytes from ' ' to '~' as they are, except `\`
    /// doubled; every other byte as `\` and three octal digits, e.g. a tab as `\011`.
    private static func escaped(_ name: String) -> String {
        var text = ""
        for byte in name.utf8 {
            if byte == UInt8(ascii: "\\") {
                text += "\\\\"
            } else if (0x20...0x7e).contains(byte) {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let octal = String(byte, radix: 8)
                text += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return text
    }

    /// A process as the scan found it.
    private struct Entry {
        let pid: ProcessID
        let parent: ProcessID
        let name: String
    }

    /// Every process in /proc (the entries named by digits; threads are not listed there), in pid order.
    private func scan() throws(Errno) -> [Entry] {
        guard let directory = opendir("/proc") else { throw Errno.current }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let number = pid_t(name)
            else { continue }
            let pid = ProcessID(rawValue: number)
            do {
                let stat = try ProcStat(of: pid)
                entries.append(Entry(pid: pid, parent: ProcessID(rawValue: try stat.integer(4)), name: stat.name))
            } catch Errno.noSuchProcess {
                continue
            }
        }
        return entries.sorted { $0.pid.rawValue < $1.pid.rawValue }
    }
}
