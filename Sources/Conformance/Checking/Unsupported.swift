/// What a check throws when this machine cannot check its rule: the environment lacks a feature or a
/// privilege the rule needs (e.g. lowering a nice value without CAP_SYS_NICE). The rule is reported
/// `unsupported` with the reason, never counted as passed or failed.
public struct Unsupported: Error, CustomStringConvertible {
    /// Which feature or privilege is missing, and how the check found out.
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "unsupported: \(reason)" }
}
