import Conformance
import Foundation
import Grading
import Testing

/// The rules in Chinese: every rule's sentence translated in the course's terms, and the text reports
/// of `conformance` and `grade` in Chinese when asked (`--lang zh`, or a zh locale).
@Suite struct ChineseReportTests {
    /// The environment of a tool run with no locale set but `variables`.
    func locale(_ variables: [String: String]) -> [String: String] {
        ["LC_ALL": "", "LC_MESSAGES": "", "LANG": ""].merging(variables) { $1 }
    }

    /// `text` without its spaces and line breaks: a wrapped sentence compares with the sentence so.
    func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    /// The columns a terminal gives `line`: two for a Chinese character or full-width punctuation.
    func columns(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { $0 + ((0x2E80...0x9FFF).contains($1.value) || (0xFF00...0xFF60).contains($1.value) ? 2 : 1) }
    }

    /// Verify that every rule has a Chinese sentence: one line of Chinese ending with 。, no English sentence
    /// left in it (no five English words in a row), and every errno, signal, constant and number of the
    /// English sentence kept as it is; and that every chapter has a Chinese title.
    @Test func everyRuleHasAChineseSentence() throws {
        let kept = /\b(?:E[A-Z]{3,}|SIG[A-Z]+|[A-Z_]{4,}|\d+)\b/
        let english = /[A-Za-z]{2,}(?: [A-Za-z]{2,}){4,}/
        for rule in Catalog.rules {
            let chinese = rule.chineseSentence
            #expect(chinese.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(rule.id): no Chinese")
            #expect(chinese.hasSuffix("。") && !chinese.contains("\n") && !chinese.contains("\\"), "\(rule.id): one sentence ending with 。")
            #expect(chinese.firstMatch(of: english) == nil, "\(rule.id): English left in \(chinese)")
            for match in rule.sentence.matches(of: kept) {
                #expect(chinese.contains(match.output), "\(rule.id): \(match.output) is missing from \(chinese)")
            }
        }
        for chapter in Catalog.chapters {
            #expect(chapter.chineseTitle.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(chapter.id)")
        }
    }

    /// Verify that where the English sentence names one of the course's concepts, the Chinese one uses
    /// the course's word for it.
    @Test(arguments: [
        ("zombie", "僵尸"), ("orphan", "孤儿"), ("edge-triggered", "边缘触发"), ("level-triggered", "水平触发"),
        ("non-blocking", "非阻塞"), ("deadlock", "死锁"), ("semaphore", "信号量"), ("queue", "队列"),
        ("mutual exclusion", "互斥"), ("session leader", "会话组组长"),
    ])
    func courseTermsAreUsed(_ english: String, _ chinese: String) {
        let naming = Catalog.rules.filter { $0.sentence.lowercased().contains(english) }
        #expect(!naming.isEmpty, "no rule says \(english)")
        for rule in naming { #expect(rule.chineseSentence.contains(chinese), "\(rule.id) says \(english): \(rule.chineseSentence)") }
    }

    /// Verify how the language follows the environment: the first of LC_ALL, LC_MESSAGES and LANG that is
    /// set and not empty, Chinese when it starts with zh.
    @Test(arguments: [
        (["LANG": "zh_CN.UTF-8"], Language.zh), (["LANG": "zh"], .zh), (["LC_ALL": "", "LANG": "zh_TW.UTF-8"], .zh),
        (["LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C"], .zh), (["LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"], .en),
        (["LANG": "en_US.UTF-8"], .en), ([:], .en),
    ])
    func languageFollowsTheLocale(_ environment: [String: String], _ expected: Language) {
        #expect(Language.from(environment) == expected)
    }

    /// Verify that `conformance --lang zh` prints the chapter's Chinese title, Chinese headers, statuses and
    /// totals, and each rule's Chinese sentence; the JSON report keeps its English names and adds the sentence.
    @Test func conformanceInChinese() throws {
        let reports = try Repository.temporaryFolder()
        let finished = try Repository.run("conformance", ["--lang", "zh", "--ctests", reports.appendingPathComponent("none").path,
                                                          "--reports", reports.path, "FORK-1", "ZOMBIE-1"])
        let out = finished.stdout
        #expect(out.contains("\(Chapter.processes.chineseTitle)（进程理论基础、fork使用、进程相关函数、孤儿和僵尸）"), "\(out)")
        #expect(out.contains("规则") && out.contains("内容") && out.contains("通过") && !out.contains("SENTENCE"))
        for id in ["FORK-1", "ZOMBIE-1"] {
            #expect(squeezed(out).contains(squeezed(try #require(Catalog.rule(id)).chineseSentence)), "\(id)")
        }
        // No C witnesses were run, so both rules lack their C result.
        #expect(out.contains("共 2 条规则：Swift 通过 2 条；有 C 见证的 2 条：C 通过 0 条。不符合规范：FORK-1, ZOMBIE-1。"), "\(out)")
        let json = try String(contentsOf: reports.appendingPathComponent("conformance.json"), encoding: .utf8)
        #expect(json.contains(#""swift" : "pass""#) && json.contains(#""chineseSentence" : "fork 在新进程中返回"#))
    }

    /// Verify that `grade --lang zh` prints Chinese titles, statuses, points and totals and the Chinese
    /// sentences, in lines of at most 100 columns, the failure messages as the checks wrote them, and
    /// results.json still in English.
    @Test func gradeInChinese() throws {
        let runner = RunnerCommand.sibling("sample-partial").executable
        let (finished, reports) = try grade(["--lang", "zh", "--runner", runner, "FORK-1", "WAIT-8", "EXIT-4"])
        let out = finished.stdout
        #expect(finished.succeeded, "\(finished.stderr)")
        #expect(out.contains("\(Chapter.processes.chineseTitle)（1/3 分）"), "\(out)")
        #expect(out.contains("FORK-1     通过") && out.contains("WAIT-8     失败") && out.contains("EXIT-4     未实现"), "\(out)")
        #expect(out.contains("总分：1/3（通过 1 条，失败 1 条，未实现 1 条）"), "\(out)")
        #expect(out.contains("> not implemented: exit(message:)") && out.contains("expected signaled(SIGHUP"), "\(out)")
        for id in ["FORK-1", "WAIT-8", "EXIT-4"] {
            #expect(squeezed(out).contains(squeezed(try #require(Catalog.rule(id)).chineseSentence)), "\(id)")
        }
        for line in out.split(separator: "\n") where !line.hasPrefix("报告：") {
            #expect(columns(line) <= 100, "too wide: \(line)")
        }
        #expect(try results(in: reports).tests.map { $0.tags.last } == ["pass", "fail", "not implemented"])
    }

    /// Verify that a zh locale selects Chinese, another English, and that --lang overrides the locale.
    @Test(arguments: [
        (["LANG": "zh_CN.UTF-8"], [String](), true), (["LANG": "C.UTF-8"], [], false),
        (["LC_ALL": "zh_CN.UTF-8"], ["--lang", "en"], false), (["LANG": "en_US.UTF-8"], ["--lang=zh"], true),
    ])
    func localeSelectsTheLanguage(_ variables: [String: String], _ arguments: [String], _ chinese: Bool) throws {
        let runner = RunnerCommand.sibling("sample-correct").executable
        let (finished, _) = try grade(arguments + ["--runner", runner, "FORK-1"], environment: locale(variables))
        #expect(finished.succeeded, "\(finished.stderr)")
        #expect(finished.stdout.contains("总分：1/1（通过 1 条）") == chinese, "\(finished.stdout)")
        #expect(finished.stdout.contains("Total: 1/1 (1 pass)") == !chinese, "\(finished.stdout)")
    }

    /// Verify that both tools refuse an unknown language with a message and exit code 64.
    @Test(arguments: ["conformance", "grade"])
    func unknownLanguageIsRefused(_ tool: String) throws {
        let finished = try Repository.run(tool, ["--lang", "fr", "FORK-1"])
        #expect(finished.status == .exited(code: 64))
        #expect(finished.stderr.contains("--lang must be zh or en, not 'fr'"), "\(finished.stderr)")
    }
}
