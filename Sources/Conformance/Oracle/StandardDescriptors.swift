import CSystem
import Glibc

/// Adds the last file action of every program this project starts: close every descriptor from 3
/// up, so the program inherits only stdin, stdout and stderr, as CPython's `subprocess` does by
/// default (`close_fds=True`). Call it after the `dup2` actions that set up 0, 1 and 2.
///
/// A leaked descriptor is not harmless. wrk sizes its event loop for its own sockets (10 + 3 per
/// connection) and counts a socket numbered past that as a connect error, so a wrk started while
/// the test process had many sockets open reported `Socket errors: connect 2` now and then.
public func closeDescriptorsAboveStandard(_ actions: inout posix_spawn_file_actions_t) {
    _ = cs_spawn_close_from(&actions, 3)
}
