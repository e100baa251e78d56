/* The load client of the echo benchmarks: many connections to an echo server on 127.0.0.1, driven
 * by one epoll(7) loop on one thread (so it takes one core and the server another).
 *
 *     echo_load --port N --clients C --seconds S [--warmup W] [--line-bytes B]
 *         C connections (100 by default), each sends a line of B bytes ("\n" included; 64 by
 *         default), waits for its whole echo and checks it byte for byte, then sends the next.
 *         After W seconds of warm-up (0.5 by default), prints the round trips per second of the
 *         next S seconds, on one line.
 *
 *     echo_load --port N --idle C
 *         Opens C connections, 100 at a time, each sending one line and reading its echo (so the
 *         server has accepted and served each), prints "ready", then holds them all open until a
 *         line or the end of stdin, closes them and exits 0.
 *
 * Any error, an echo that differs from its line, or no progress for 10 s: a message on stderr and
 * exit status 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STALL_MS 10000 /* no progress for this long is an error */

/* One connection and the round trip it is in. */
struct client {
    int fd;
    int index;
    long trips;    /* round trips done */
    char *line;    /* the line being echoed */
    char *echo;    /* what came back of it so far */
    size_t sent, got;
    int blocked;   /* the kernel took only part of the line: watched for EPOLLOUT */
};

static int epfd;
static size_t line_bytes = 64;
static struct sockaddr_in server = {.sin_family = AF_INET};

static void fail(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    fprintf(stderr, "echo_load: ");
    vfprintf(stderr, format, arguments);
    fprintf(stderr, "\n");
    va_end(arguments);
    exit(1);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void watch(struct client *c, uint32_t events, int op) {
    struct epoll_event event = {.events = events, .data.ptr = c};
    if (epoll_ctl(epfd, op, c->fd, &event) != 0) fail("epoll_ctl: %s", strerror(errno));
}

/* The next line of client c: its index and round trip, padded with letters, then "\n". Each line
 * differs from the one before, so a stale or misdirected echo is caught. */
static void next_line(struct client *c) {
    int n = snprintf(c->line, line_bytes, "client %d trip %ld ", c->index, c->trips);
    for (size_t i = (size_t)n; i < line_bytes - 1; i++) c->line[i] = (char)('a' + (i + (size_t)c->trips) % 26);
    c->line[line_bytes - 1] = '\n';
    c->sent = c->got = 0;
}

/* Writes what the kernel takes of the line; watches EPOLLOUT while some is left, then EPOLLIN. */
static void send_line(struct client *c) {
    while (c->sent < line_bytes) {
        ssize_t n = send(c->fd, c->line + c->sent, line_bytes - c->sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EAGAIN) {
            if (!c->blocked) watch(c, EPOLLOUT, EPOLL_CTL_MOD);
            c->blocked = 1;
            return;
        }
        if (n < 0) fail("client %d, sending a line: %s", c->index, strerror(errno));
        c->sent += (size_t)n;
    }
    if (c->blocked) watch(c, EPOLLIN, EPOLL_CTL_MOD);
    c->blocked = 0;
}

/* Reads what came of the echo. Returns 1 once the whole echo came back and matched. */
static int receive_echo(struct client *c) {
    ssize_t n = read(c->fd, c->echo + c->got, line_bytes - c->got);
    if (n < 0 && errno == EAGAIN) return 0;
    if (n < 0) fail("client %d after %ld round trips: %s", c->index, c->trips, strerror(errno));
    if (n == 0) fail("client %d: the server closed the connection after %ld round trips", c->index, c->trips);
    c->got += (size_t)n;
    if (c->got < line_bytes) return 0;
    if (memcmp(c->echo, c->line, line_bytes) != 0)
        fail("client %d, round trip %ld: sent \"%.*s\", got back \"%.*s\"", c->index, c->trips,
             (int)line_bytes - 1, c->line, (int)line_bytes - 1, c->echo);
    c->trips++;
    return 1;
}

/* Serves one epoll report: the rest of the line, or the echo. Returns 1 when a round trip ended. */
static int progress(struct client *c) {
    if (c->blocked) {
        send_line(c);
        return 0;
    }
    return receive_echo(c);
}

/* Connection `index` (a blocking connect(2), quick on 127.0.0.1), non-blocking from then on,
 * watched by epoll, its first line sent. */
static void start(struct client *c, int index) {
    c->index = index;
    c->line = malloc(line_bytes);
    c->echo = malloc(line_bytes);
    if (c->line == NULL || c->echo == NULL) fail("out of memory");
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0) fail("socket (connection %d): %s", index, strerror(errno));
    if (connect(c->fd, (struct sockaddr *)&server, sizeof server) != 0)
        fail("connecting to 127.0.0.1:%d (connection %d): %s", ntohs(server.sin_port), index, strerror(errno));
    if (fcntl(c->fd, F_SETFL, O_NONBLOCK) != 0) fail("fcntl: %s", strerror(errno));
    watch(c, EPOLLIN, EPOLL_CTL_ADD);
    next_line(c);
    send_line(c);
}

/* Closes the connections and frees them. */
static void finish(struct client *all, int clients) {
    for (int i = 0; i < clients; i++) {
        close(all[i].fd);
        free(all[i].line);
        free(all[i].echo);
    }
    free(all);
}

/* Waits for epoll reports; an error when none comes for STALL_MS. */
static int wait_reports(struct epoll_event *reports, int size) {
    int count;
    do count = epoll_wait(epfd, reports, size, STALL_MS);
    while (count < 0 && errno == EINTR);
    if (count < 0) fail("epoll_wait: %s", strerror(errno));
    if (count == 0) fail("no echo came for %d s", STALL_MS / 1000);
    return count;
}

/* Round trips on every client at once: returns the round trips per second after the warm-up. */
static double round_trips(int clients, double warmup, double seconds) {
    struct client *all = calloc((size_t)clients, sizeof *all);
    if (all == NULL) fail("out of memory");
    for (int i = 0; i < clients; i++) start(&all[i], i);
    struct epoll_event reports[1024];
    long long trips = 0, trips_before = 0;
    double measuring = now() + warmup, end = measuring + seconds, t;
    int warm = 0;
    while ((t = now()) < end) {
        if (!warm && t >= measuring) {
            warm = 1;
            measuring = t;
            trips_before = trips;
        }
        int count = wait_reports(reports, 1024);
        for (int i = 0; i < count; i++) {
            struct client *c = reports[i].data.ptr;
            if (progress(c)) {
                trips++;
                next_line(c);
                send_line(c);
            }
        }
    }
    finish(all, clients);
    return (double)(trips - trips_before) / (t - measuring);
}

/* Opens `clients` connections, `window` at a time, each echoing one line; holds them open
 * until stdin has a line or ends; any report from a held connection (the server closed it or sent
 * more) is an error. */
static void hold_idle(int clients, int window) {
    struct client *all = calloc((size_t)clients, sizeof *all);
    if (all == NULL) fail("out of memory");
    struct epoll_event reports[1024];
    int opened = 0, echoed = 0;
    while (echoed < clients) {
        for (; opened < clients && opened - echoed < window; opened++) start(&all[opened], opened);
        int count = wait_reports(reports, 1024);
        for (int i = 0; i < count; i++) {
            struct client *c = reports[i].data.ptr;
            if (c->trips > 0) fail("client %d: the server closed the connection or sent more after the echo", c->index);
            if (progress(c)) echoed++;
        }
    }
    printf("ready\n");
    fflush(stdout);

    struct epoll_event input = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, STDIN_FILENO, &input) != 0) {
        /* stdin is a file epoll cannot watch (/dev/null, a regular file): just read it */
        char byte;
        while (read(STDIN_FILENO, &byte, 1) == 1 && byte != '\n') continue;
    } else {
        int count;
        do count = epoll_wait(epfd, reports, 1, -1);
        while (count < 0 && errno == EINTR);
        if (count < 0) fail("epoll_wait: %s", strerror(errno));
        struct client *c = reports[0].data.ptr;
        if (c != NULL) fail("client %d: the server closed the connection or sent more while it was idle", c->index);
    }
    finish(all, clients);
}

/* The soft limit on descriptors raised to the hard one: 10,000 connections need more than 1024. */
static void raise_descriptor_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) fail("getrlimit: %s", strerror(errno));
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) fail("setrlimit: %s", strerror(errno));
}

static const char usage[] =
    "usage: echo_load --port N [--clients C] --seconds S [--warmup W] [--line-bytes B]\n"
    "       echo_load --port N --idle C";

/* The number after an option, or a usage error. */
static double number(const char *option, const char *text, double least, double most) {
    char *end;
    double value = strtod(text, &end);
    if (*text == '\0' || *end != '\0' || value < least || value > most)
        fail("%s wants a number from %g to %g, not '%s'\n%s", option, least, most, text, usage);
    return value;
}

int main(int argc, char **argv) {
    double port = -1, clients = 100, seconds = 0, warmup = 0.5, idle = 0;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 == argc) fail("%s needs a value\n%s", argv[i], usage);
        const char *option = argv[i], *value = argv[i + 1];
        if (strcmp(option, "--port") == 0) port = number(option, value, 1, 65535);
        else if (strcmp(option, "--clients") == 0) clients = number(option, value, 1, 1e6);
        else if (strcmp(option, "--seconds") == 0) seconds = number(option, value, 0.001, 1e6);
        else if (strcmp(option, "--warmup") == 0) warmup = number(option, value, 0, 1e6);
        else if (strcmp(option, "--line-bytes") == 0) line_bytes = (size_t)number(option, value, 1, 65537);
        else if (strcmp(option, "--idle") == 0) idle = number(option, value, 1, 1e6);
        else fail("unknown option %s\n%s", option, usage);
    }
    if (port < 0 || (seconds > 0) == (idle > 0)) fail("%s", usage);
    server.sin_port = htons((uint16_t)port);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    raise_descriptor_limit();
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) fail("epoll_create1: %s", strerror(errno));
    if (idle > 0) {
        hold_idle((int)idle, 100);
    } else {
        printf("%f\n", round_trips((int)clients, warmup, seconds));
    }
    return 0;
}
