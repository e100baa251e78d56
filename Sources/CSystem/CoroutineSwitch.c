// The stack switch of a stackful coroutine, for x86-64 and AArch64 (System V / AAPCS64 ABIs).
//
// A switch pushes the registers a called function must preserve onto the current stack, saves the
// stack pointer, loads the other one and pops that stack's registers: each side of the switch sees
// an ordinary call that returned. A fresh stack gets a first frame whose return address is a small
// trampoline that calls entry(argument).
#include "CoroutineSwitch.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

void cs_coroutine_trampoline(void);

#if defined(__x86_64__)
// Callee-saved: rbx, rbp, r12-r15, and the control words of MXCSR and the x87 FPU.
__asm__(
    ".text\n"
    ".globl cs_coroutine_switch\n"
    ".type cs_coroutine_switch, @function\n"
    "cs_coroutine_switch:\n"
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    subq $8, %rsp\n"
    "    stmxcsr (%rsp)\n"
    "    fnstcw 4(%rsp)\n"
    "    movq %rsp, (%rdi)\n"
    "    movq %rsi, %rsp\n"
    "    ldmxcsr (%rsp)\n"
    "    fldcw 4(%rsp)\n"
    "    addq $8, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    ".size cs_coroutine_switch, .-cs_coroutine_switch\n"
    // The first frame's return address: r12 holds the argument, r13 the entry.
    ".globl cs_coroutine_trampoline\n"
    ".type cs_coroutine_trampoline, @function\n"
    "cs_coroutine_trampoline:\n"
    "    movq %r12, %rdi\n"
    "    callq *%r13\n"
    "    ud2\n"
    ".size cs_coroutine_trampoline, .-cs_coroutine_trampoline\n");

void *cs_coroutine_prepare(void *base, size_t size, void (*entry)(void *), void *argument) {
    uintptr_t top = ((uintptr_t)base + size) & ~(uintptr_t)15;
    uint64_t *slot = (uint64_t *)top;
    *--slot = (uint64_t)(uintptr_t)cs_coroutine_trampoline; // ret lands here; rsp is then top
    *--slot = 0;                                           // rbp: ends frame-pointer walks
    *--slot = 0;                                           // rbx
    *--slot = (uint64_t)(uintptr_t)argument;               // r12
    *--slot = (uint64_t)(uintptr_t)entry;                  // r13
    *--slot = 0;                                           // r14
    *--slot = 0;                                           // r15
    // The floating-point control state (rounding, exceptions masked) of the creating thread.
    uint32_t mxcsr;
    uint16_t control_word;
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(control_word));
    *--slot = (uint64_t)control_word << 32 | mxcsr;         // x87 control word, MXCSR
    return slot;
}

#elif defined(__aarch64__)
// Callee-saved: x19-x28, the frame pointer x29, the link register x30, d8-d15, and the
// floating-point control register FPCR.
__asm__(
    ".text\n"
    ".globl cs_coroutine_switch\n"
    ".type cs_coroutine_switch, %function\n"
    "cs_coroutine_switch:\n"
    "    sub sp, sp, #176\n"
    "    stp x19, x20, [sp, #0]\n"
    "    stp x21, x22, [sp, #16]\n"
    "    stp x23, x24, [sp, #32]\n"
    "    stp x25, x26, [sp, #48]\n"
    "    stp x27, x28, [sp, #64]\n"
    "    stp x29, x30, [sp, #80]\n"
    "    stp d8, d9, [sp, #96]\n"
    "    stp d10, d11, [sp, #112]\n"
    "    stp d12, d13, [sp, #128]\n"
    "    stp d14, d15, [sp, #144]\n"
    "    mrs x3, fpcr\n"
    "    str x3, [sp, #160]\n"
    "    mov x2, sp\n"
    "    str x2, [x0]\n"
    "    mov sp, x1\n"
    "    ldp x19, x20, [sp, #0]\n"
    "    ldp x21, x22, [sp, #16]\n"
    "    ldp x23, x24, [sp, #32]\n"
    "    ldp x25, x26, [sp, #48]\n"
    "    ldp x27, x28, [sp, #64]\n"
    "    ldp x29, x30, [sp, #80]\n"
    "    ldp d8, d9, [sp, #96]\n"
    "    ldp d10, d11, [sp, #112]\n"
    "    ldp d12, d13, [sp, #128]\n"
    "    ldp d14, d15, [sp, #144]\n"
    "    ldr x3, [sp, #160]\n"
    "    msr fpcr, x3\n"
    "    add sp, sp, #176\n"
    "    ret\n"
    ".size cs_coroutine_switch, .-cs_coroutine_switch\n"
    // The first frame's link register: x19 holds the argument, x20 the entry.
    ".globl cs_coroutine_trampoline\n"
    ".type cs_coroutine_trampoline, %function\n"
    "cs_coroutine_trampoline:\n"
    "    mov x0, x19\n"
    "    blr x20\n"
    "    brk #0\n"
    ".size cs_coroutine_trampoline, .-cs_coroutine_trampoline\n");

void *cs_coroutine_prepare(void *base, size_t size, void (*entry)(void *), void *argument) {
    uintptr_t top = ((uintptr_t)base + size) & ~(uintptr_t)15;
    uint64_t *frame = (uint64_t *)(top - 176);
    memset(frame, 0, 176);
    frame[0] = (uint64_t)(uintptr_t)argument;               // x19
    frame[1] = (uint64_t)(uintptr_t)entry;                  // x20
    frame[11] = (uint64_t)(uintptr_t)cs_coroutine_trampoline; // x30: ret lands here; x29 is 0
    uint64_t fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    frame[20] = fpcr;                                       // the creating thread's FPCR
    return frame;
}

#else
#error "cs_coroutine_switch is written for x86-64 and AArch64 only"
#endif

static int segfault_fd = -1;

static void report_segfault(int signal, siginfo_t *info, void *context) {
    (void)signal;
    (void)context;
    uint64_t address = (uint64_t)(uintptr_t)info->si_addr;
    ssize_t written = write(segfault_fd, &address, sizeof address);
    (void)written;
    for (;;) pause();
}

void cs_keep(void *local) { (void)local; }

int cs_report_segfault_address(int fd) {
    static char alternate[64 * 1024];
    stack_t stack = {.ss_sp = alternate, .ss_size = sizeof alternate, .ss_flags = 0};
    if (sigaltstack(&stack, NULL) != 0) return -1;
    segfault_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = report_segfault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGSEGV, &action, NULL);
}
