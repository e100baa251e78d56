import Conformance
import Foundation

/// The language of the text reports (`--lang`): English, or Chinese in the course's own terms.
///
/// Only what the reports say themselves changes: headers, statuses, totals and the rules' sentences.
/// A check's failure message stays as the check wrote it (English), and the JSON and XML reports keep
/// their English names, which other tools join on.
public enum Language: String, Sendable, CaseIterable {
    case en
    case zh

    /// The `--lang` option both tools accept.
    public static let option = Options.Spec.value(
        "lang", "the report's language, zh or en (default: zh when LC_ALL, LC_MESSAGES or LANG starts with zh)")

    /// `--lang` when given, else what the environment asks for; an unknown value is a usage error.
    public static func chosen(by options: Options,
                              environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(Options.Problem) -> Language {
        guard let text = options.value("lang") else { return from(environment) }
        guard let language = Language(rawValue: text) else {
            throw Options.Problem(description: "--lang must be zh or en, not '\(text)'")
        }
        return language
    }

    /// The locale's language as POSIX looks it up: the first of LC_ALL, LC_MESSAGES and LANG that is
    /// set and not empty; `zh`, `zh_CN.UTF-8`, `zh_TW` ... are Chinese, anything else English.
    public static func from(_ environment: [String: String]) -> Language {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        return locale?.hasPrefix("zh") == true ? .zh : .en
    }

    /// `english` or `chinese`, whichever this language reads.
    public func text(_ english: String, zh chinese: String) -> String {
        self == .zh ? chinese : english
    }
}

extension Rule {
    /// The rule's sentence in `language`.
    public func sentence(in language: Language) -> String { language.text(sentence, zh: chineseSentence) }
}

extension Chapter {
    /// The chapter's title in `language`.
    public func title(in language: Language) -> String { language.text(title, zh: chineseTitle) }
}
