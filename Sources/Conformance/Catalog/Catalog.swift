/// The one source of truth for every rule.
///
/// Adding a chapter is adding its folder (protocols, specs, a `Chapter`) and one line here.
public enum Catalog {
    /// The chapters, in course order.
    public static let chapters: [Chapter] = [.processes, .states, .multiprocessing, .ipc, .threads, .io, .servers, .coroutines]

    /// Every rule, in course order.
    public static var rules: [Rule] { chapters.flatMap(\.rules) }

    /// The rule with this id, if it is catalogued.
    public static func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    /// Rules selected as on the command line: a chapter id, a concept id, a rule id, or a prefix
    /// ending in `*` (`WAIT-*`). An empty selection is every rule.
    public static func select(_ selectors: [String]) throws(CatalogError) -> [Rule] {
        if selectors.isEmpty { return rules }
        var chosen: [Rule] = []
        for selector in selectors {
            let matches = rules.filter { rule in
                if selector.hasSuffix("*") { return rule.id.hasPrefix(String(selector.dropLast())) }
                return rule.id == selector || rule.chapter == selector || rule.concept == selector
            }
            if matches.isEmpty { throw .unknownSelector(selector) }
            chosen += matches.filter { !chosen.contains($0) }
        }
        return chosen
    }
}

/// A selection named nothing in the catalog.
public enum CatalogError: Error, CustomStringConvertible, Equatable {
    case unknownSelector(String)

    public var description: String {
        switch self {
        case .unknownSelector(let selector):
            "'\(selector)' names no chapter, concept or rule; chapters are "
                + Catalog.chapters.map(\.id).joined(separator: ", ")
        }
    }
}
