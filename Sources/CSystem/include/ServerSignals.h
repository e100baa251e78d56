// Signal handling for servers that block in accept(2) and recv(2) (the loop, UDP, fork and
// thread models). A handler may call only async-signal-safe functions (signal-safety(7)), which
// include shutdown(2), waitpid(2) and kill(2) but not malloc or anything of the Swift runtime, so
// these handlers are written in C.
#ifndef CSYSTEM_SERVER_SIGNALS_H
#define CSYSTEM_SERVER_SIGNALS_H

#include <sys/types.h>

// MARK: Stopping on SIGINT and SIGTERM by shutting sockets down.
/// Installs handlers for SIGINT and SIGTERM (with SA_RESTART) that set the stop flag, then call
/// shutdown(SHUT_RDWR) on the watched listener and client. That wakes the blocked call: accept
/// on a shut-down listener fails with EINVAL, recv on a shut-down socket returns 0 bytes (a UDP
/// socket too). Unblocks both in the calling thread (a blocked mask is inherited across exec, and
/// threads started later inherit the caller's). Returns -1 with errno if sigaction fails.
int cs_stop_by_shutdown_install(void);
/// Sets the descriptors the handler shuts down; -1 watches none.
void cs_stop_watch(int listener, int client);
/// Whether SIGINT or SIGTERM arrived. Read it after `cs_stop_watch`: then either the handler saw
/// the new descriptors or this sees the flag (both are sequentially consistent atomics).
int cs_stop_requested(void);

// MARK: A fork server's children, reaped as soon as they end.
/// Installs a SIGCHLD handler (SA_RESTART | SA_NOCLDSTOP) that reaps every ended child with
/// waitpid(WNOHANG) and removes it from the table of live children, so no zombie stays while
/// the server waits in accept, and unblocks SIGCHLD in the calling thread. Returns -1 with errno
/// if sigaction fails.
int cs_children_install(void);
/// Adds a child just forked. Call it with SIGCHLD blocked, as every function below: the table
/// is shared with the handler. Returns -1 if the table cannot grow (errno ENOMEM).
int cs_children_add(pid_t pid);
/// The live (unreaped) children, `count` of them; `at(i)` for 0 <= i < count.
int cs_children_count(void);
pid_t cs_children_at(int index);

#endif
