// Switching between stacks: the one piece of a stackful coroutine (greenlet) that no language
// above assembly can write. Everything else (stacks, parents, values, errors) is Swift.
#ifndef CSYSTEM_COROUTINE_SWITCH_H
#define CSYSTEM_COROUTINE_SWITCH_H

#include <stddef.h>

/// Saves the callee-saved registers of the caller on its own stack, stores that stack pointer in
/// `*from`, loads `to` (a pointer stored by an earlier switch, or made by `cs_coroutine_prepare`)
/// and returns into the code that stack was saved from. No system call: unlike swapcontext(3) it
/// leaves the signal mask alone, so a switch is a few dozen instructions.
void cs_coroutine_switch(void **from, void *to);

/// Lays out a first frame at the top of a fresh stack [base, base + size) so that the first
/// `cs_coroutine_switch` to the returned pointer calls `entry(argument)` on that stack. `entry`
/// must never return: it ends by switching away for good.
void *cs_coroutine_prepare(void *base, size_t size, void (*entry)(void *), void *argument);

/// Does nothing with `local`, in a function the Swift compiler cannot see into: a recursion that
/// passes each frame's local here keeps every frame (checks that overflow a stack use it).
void cs_keep(void *local);

/// Installs a SIGSEGV handler that runs on an alternate signal stack, writes the faulting address
/// (si_addr, 8 bytes) to `fd` and then waits in pause() to be killed, so that a looker can read the
/// process's memory map at the moment of the fault. For checks of stack overflow only: the process
/// cannot continue. Returns -1 with errno on failure.
int cs_report_segfault_address(int fd);

#endif
