// The native stream pump of the splice relay (src/server/modules/gateway/native-relay.ts).
//
// Why it exists: the bench (npm run bench -- gateway) showed a Node relay paying ~30 µs of user CPU
// per streamed token on the event loop (the read callback, the socket write's request, the GC of
// both) where nginx pays ~6, and every token of every stream competes with new requests for the
// one JS thread — which is what set the p99 time to first token at 64 streams. Once a stream's
// head went out through Node (and, when they came with it, its first tokens), this thread takes
// the rest — the first token too when vLLM sent its head alone, reporting once that it went
// (FIRST_SENT: JS marks the first token then): it reads vLLM's chunked
// body from the upstream socket, follows the chunk framing exactly as chunked-tracker.ts does
// (whole chunks pass as they are; a chunk split over reads goes out as pieces framed on their own,
// so the client's framing is whole after every write), writes to the client's socket, and tells JS
// once when the body ended, broke off, timed out or the client went away. JS then ends the
// response (or writes the in-stream error) through Node as before.
//
// File descriptors: JS passes the two sockets' descriptors after stopping Node's reads of the
// upstream; this thread works on dup()s of them, so a socket Node closes meanwhile can never have
// its descriptor number reused under us, and cancel() (JS: the client left) takes a stream back
// synchronously — under that stream's lock, so once it returns this thread never touches it again.
#define NAPI_VERSION 8
#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SLOTS 4096
#define READ_SIZE (64 * 1024)
#define MAX_SIZE_DIGITS 8
#define MAX_LINE 4096
#define WAKE_TOKEN UINT64_MAX
#define NO_DEADLINE INT64_MAX

enum Kind { END_DONE = 0, END_FAILED = 1, END_CLIENT_GONE = 2, FIRST_SENT = 3 };

enum State {
  S_SIZE,
  S_EXT,
  S_SIZE_LF,
  S_DATA,
  S_DATA_CR,
  S_DATA_LF,
  S_TRAILER_START,
  S_TRAILER,
  S_TRAILER_LF,
  S_TRAILER_END_LF,
  S_DONE,
  S_FAILED
};

typedef struct {
  int state;
  uint64_t size;
  int digits;
  uint64_t remaining;
  int line;
  size_t extra;
  const char *failure;
} Tracker;

typedef struct {
  // Each slot has its own lock, held by this thread while it handles one of the slot's events and
  // by JS's relay()/cancel() of that slot. One lock for all would make a JS call wait whenever the
  // thread was inside any stream's system calls — or was preempted there, for a whole time slice
  // on a busy 2-core host: milliseconds added to the next request's first token.
  pthread_mutex_t mu;
  int active; // written under `mu`; relay() looks for a free slot without it (atomically)
  uint32_t gen;
  int up, client;
  Tracker t;
  char *pending; // output the client's socket did not take yet
  size_t pending_len, pending_off, pending_cap;
  int64_t timeout_ms, deadline;
  char *final; // the last read's events on a clean end, handed to JS with it
  size_t final_len;
  int ending;       // an end waits for the pending output to drain
  int tell_first;   // JS asked to hear when the first bytes went to the client (FIRST_SENT)
  int end_kind;
  const char *end_why;
} Slot;

typedef struct {
  double handle;
  int kind;
  double extra;
  const char *why;
  char *last; // owned: the events of the read that ended the body (a clean end), or NULL
  size_t last_len;
} EndEvent;

typedef struct {
  pthread_t thread;
  int thread_started;
  int ep, wake;
  volatile int stopping;
  napi_threadsafe_function tsfn;
  int64_t next_scan; // atomic: the earliest deadline to check (relay() may lower it)
  int high;          // atomic: slots [0, high) may be active
  int hint;          // JS thread only: where relay() looks for a free slot first
  Slot slots[MAX_SLOTS];
  unsigned char rbuf[READ_SIZE];
  unsigned char *out;
  size_t out_len, out_cap;
} Pump;

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double handle_of(int idx, uint32_t gen) { return (double)gen * MAX_SLOTS + idx; }

// ---- output of one read (the chunked framing, as chunked-tracker.ts) ----

static int out_reserve(Pump *p, size_t more) {
  if (p->out_len + more <= p->out_cap) return 1;
  size_t cap = p->out_cap ? p->out_cap : READ_SIZE + 1024;
  while (cap < p->out_len + more) cap *= 2;
  unsigned char *n = realloc(p->out, cap);
  if (!n) return 0;
  p->out = n;
  p->out_cap = cap;
  return 1;
}

static void out_raw(Pump *p, const unsigned char *b, size_t n) {
  if (n == 0 || !out_reserve(p, n)) return;
  memcpy(p->out + p->out_len, b, n);
  p->out_len += n;
}

static void out_framed(Pump *p, const unsigned char *b, size_t n) {
  if (n == 0) return;
  char head[24];
  int h = snprintf(head, sizeof head, "%zx\r\n", n);
  if (!out_reserve(p, (size_t)h + n + 2)) return;
  out_raw(p, (const unsigned char *)head, (size_t)h);
  out_raw(p, b, n);
  out_raw(p, (const unsigned char *)"\r\n", 2);
}

static int hex_value(unsigned c) {
  if (c >= '0' && c <= '9') return (int)(c - '0');
  unsigned l = c | 0x20;
  if (l >= 'a' && l <= 'f') return (int)(l - 'a' + 10);
  return -1;
}

static void flush_run(Pump *p, const unsigned char *buf, long from, long to) {
  if (from >= 0) out_raw(p, buf + from, (size_t)(to - from));
}

// Appends to p->out the whole chunks of this read (see chunked-tracker.ts, whose logic this is).
static void feed(Pump *p, Tracker *t, const unsigned char *buf, size_t n) {
  long chunk_start = (t->state == S_SIZE && t->digits == 0) ? 0 : -1;
  size_t data_start = 0;
  long run_from = -1, run_to = -1;
  size_t i = 0;
#define FAIL(why)                                                                                  \
  do {                                                                                             \
    t->state = S_FAILED;                                                                           \
    t->failure = why;                                                                              \
    goto out;                                                                                      \
  } while (0)
  while (i < n) {
    unsigned c = buf[i];
    switch (t->state) {
    case S_SIZE: {
      if (t->digits == 0 && chunk_start < 0) chunk_start = (long)i;
      int v = hex_value(c);
      if (v >= 0) {
        if (++t->digits > MAX_SIZE_DIGITS) FAIL("a chunk size longer than 8 digits");
        t->size = t->size * 16 + (uint64_t)v;
      } else if (t->digits == 0)
        FAIL("a chunk size line without a size");
      else if (c == '\r')
        t->state = S_SIZE_LF;
      else if (c == ';' || c == ' ' || c == '\t') {
        t->state = S_EXT;
        t->line = 0;
      } else
        FAIL("a chunk size line with a stray character");
      i++;
      break;
    }
    case S_EXT:
      if (c == '\r')
        t->state = S_SIZE_LF;
      else if (++t->line > MAX_LINE)
        FAIL("a chunk extension too long");
      i++;
      break;
    case S_SIZE_LF:
      if (c != '\n') FAIL("a chunk size line not ended by CRLF");
      i++;
      if (t->size == 0) {
        flush_run(p, buf, run_from, run_to);
        run_from = -1;
        chunk_start = -1;
        t->state = S_TRAILER_START;
      } else {
        t->remaining = t->size;
        data_start = i;
        t->state = S_DATA;
      }
      break;
    case S_DATA: {
      size_t take = t->remaining < n - i ? (size_t)t->remaining : n - i;
      if (chunk_start < 0) out_framed(p, buf + i, take);
      i += take;
      t->remaining -= take;
      if (t->remaining == 0) t->state = S_DATA_CR;
      break;
    }
    case S_DATA_CR:
      if (c != '\r') FAIL("a chunk longer than its size");
      t->state = S_DATA_LF;
      i++;
      break;
    case S_DATA_LF:
      if (c != '\n') FAIL("a chunk not ended by CRLF");
      i++;
      if (chunk_start >= 0) {
        if (run_from < 0) run_from = chunk_start;
        run_to = (long)i;
      }
      chunk_start = -1;
      t->size = 0;
      t->digits = 0;
      t->state = S_SIZE;
      break;
    case S_TRAILER_START:
      t->line = 0;
      t->state = c == '\r' ? S_TRAILER_END_LF : S_TRAILER;
      i++;
      break;
    case S_TRAILER:
      if (c == '\r')
        t->state = S_TRAILER_LF;
      else if (++t->line > MAX_LINE)
        FAIL("a trailer line too long");
      i++;
      break;
    case S_TRAILER_LF:
      if (c != '\n') FAIL("a trailer line not ended by CRLF");
      t->state = S_TRAILER_START;
      i++;
      break;
    case S_TRAILER_END_LF:
      if (c != '\n') FAIL("a body not ended by CRLF");
      i++;
      t->state = S_DONE;
      t->extra = n - i;
      goto out;
    default:
      t->extra += n - i;
      goto out;
    }
  }
#undef FAIL
out:
  if (chunk_start >= 0 && t->state >= S_DATA && t->state <= S_DATA_LF) {
    flush_run(p, buf, run_from, run_to);
    size_t end = t->state == S_DATA ? n : data_start + (size_t)t->size;
    if (end > data_start) out_framed(p, buf + data_start, end - data_start);
  } else
    flush_run(p, buf, run_from, run_to);
}

// ---- slots ----

static uint64_t token(int idx, uint32_t gen, int client) {
  return ((uint64_t)gen << 32) | ((uint64_t)idx << 1) | (uint64_t)client;
}

// A descriptor is in the epoll set only while its event is wanted: vLLM's socket while its bytes
// can go on, the client's while output waits for room. (An fd kept registered with no events still
// reports EPOLLHUP/EPOLLERR, which would wake this thread in a loop until JS cancels the stream.)
static void watch(Pump *p, int idx, int client, int on) {
  Slot *s = &p->slots[idx];
  int fd = client ? s->client : s->up;
  if (!on) {
    epoll_ctl(p->ep, EPOLL_CTL_DEL, fd, NULL);
    return;
  }
  struct epoll_event ev = {.events = client ? EPOLLOUT : EPOLLIN, .data.u64 = token(idx, s->gen, client)};
  epoll_ctl(p->ep, EPOLL_CTL_ADD, fd, &ev);
}

// Frees a slot: its descriptors leave the epoll set first (the originals Node holds keep the
// sockets' descriptions alive, so closing a dup alone would leave them registered).
static void release_slot(Pump *p, Slot *s) {
  epoll_ctl(p->ep, EPOLL_CTL_DEL, s->up, NULL);
  epoll_ctl(p->ep, EPOLL_CTL_DEL, s->client, NULL);
  close(s->up);
  close(s->client);
  free(s->pending);
  s->pending = NULL;
  s->pending_len = s->pending_off = s->pending_cap = 0;
  free(s->final);
  s->final = NULL;
  s->final_len = 0;
  __atomic_store_n(&s->active, 0, __ATOMIC_RELEASE);
}

static void post_end(Pump *p, int idx, int kind, const char *why) {
  Slot *s = &p->slots[idx];
  EndEvent *e = malloc(sizeof *e);
  if (e) {
    e->handle = handle_of(idx, s->gen);
    e->kind = kind;
    e->extra = (double)s->t.extra;
    e->why = why;
    e->last = kind == END_DONE ? s->final : NULL;
    e->last_len = kind == END_DONE ? s->final_len : 0;
    if (kind == END_DONE) {
      s->final = NULL; // now the event's
      s->final_len = 0;
    }
  }
  release_slot(p, s);
  if (e && napi_call_threadsafe_function(p->tsfn, e, napi_tsfn_nonblocking) != napi_ok) {
    free(e->last);
    free(e);
  }
}

// The first bytes of the body reached the client's socket (JS marks the first token then): told
// once, the stream goes on.
static void tell_first_sent(Pump *p, int idx) {
  Slot *s = &p->slots[idx];
  if (!s->tell_first) return;
  s->tell_first = 0;
  EndEvent *e = calloc(1, sizeof *e);
  if (!e) return;
  e->handle = handle_of(idx, s->gen);
  e->kind = FIRST_SENT;
  if (napi_call_threadsafe_function(p->tsfn, e, napi_tsfn_nonblocking) != napi_ok) free(e);
}

// The stream is over: told to JS now, or once the client took what is pending (a client that left
// is told at once: nothing more can reach it).
static void end_stream(Pump *p, int idx, int kind, const char *why) {
  Slot *s = &p->slots[idx];
  if (kind != END_CLIENT_GONE && s->pending_len > s->pending_off) {
    s->ending = 1;
    s->end_kind = kind;
    s->end_why = why;
    return;
  }
  post_end(p, idx, kind, why);
}

// Writes what is pending; 1 when all went, 0 when the client's socket is full, -1 when it failed.
static int flush_pending(Slot *s) {
  while (s->pending_off < s->pending_len) {
    ssize_t w = send(s->client, s->pending + s->pending_off, s->pending_len - s->pending_off,
                     MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
    s->pending_off += (size_t)w;
  }
  s->pending_len = s->pending_off = 0;
  return 1;
}

// Sends this read's output; what the client's socket does not take waits for EPOLLOUT, and vLLM's
// socket is not read meanwhile (the backpressure Node's 'drain' gave).
static int send_out(Pump *p, int idx) {
  Slot *s = &p->slots[idx];
  size_t off = 0;
  while (off < p->out_len) {
    ssize_t w = send(s->client, p->out + off, p->out_len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      break;
    }
    off += (size_t)w;
  }
  if (off > 0) tell_first_sent(p, idx);
  if (off == p->out_len) return 1;
  size_t rest = p->out_len - off;
  if (s->pending_cap < rest) {
    char *n = realloc(s->pending, rest);
    if (!n) return -1;
    s->pending = n;
    s->pending_cap = rest;
  }
  memcpy(s->pending, p->out + off, rest);
  s->pending_len = rest;
  s->pending_off = 0;
  watch(p, idx, 0, 0);
  watch(p, idx, 1, 1);
  return 0;
}

static void on_upstream(Pump *p, int idx) {
  Slot *s = &p->slots[idx];
  ssize_t r;
  do r = read(s->up, p->rbuf, READ_SIZE);
  while (r < 0 && errno == EINTR);
  if (r < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    end_stream(p, idx, END_FAILED, "the upstream connection failed");
    return;
  }
  if (r == 0) {
    end_stream(p, idx, END_FAILED, "the upstream connection closed");
    return;
  }
  s->deadline = now_ms() + s->timeout_ms;
  p->out_len = 0;
  feed(p, &s->t, p->rbuf, (size_t)r);
  // The read that ends the body: its events go to JS with the end, which writes them and the last
  // chunk in one write (as the all-JS relay does) — a client that closes on seeing [DONE] must not
  // find the response unfinished in Node (it would count as aborted, its connection lost).
  if (s->t.state == S_DONE) {
    free(s->final);
    s->final = NULL;
    s->final_len = 0;
    if (p->out_len > 0 && (s->final = malloc(p->out_len)) != NULL) {
      memcpy(s->final, p->out, p->out_len);
      s->final_len = p->out_len;
    } else if (p->out_len > 0) {
      end_stream(p, idx, END_FAILED, "out of memory");
      return;
    }
    end_stream(p, idx, END_DONE, NULL);
    return;
  }
  if (p->out_len > 0 && send_out(p, idx) < 0) {
    end_stream(p, idx, END_CLIENT_GONE, "the client went away");
    return;
  }
  if (s->t.state == S_FAILED)
    end_stream(p, idx, END_FAILED, s->t.failure);
}

static void on_client_writable(Pump *p, int idx) {
  Slot *s = &p->slots[idx];
  size_t before = s->pending_off;
  int r = flush_pending(s);
  if (r >= 0 && (r == 1 || s->pending_off > before)) tell_first_sent(p, idx);
  if (r < 0) {
    end_stream(p, idx, END_CLIENT_GONE, "the client went away");
    return;
  }
  if (r == 0) return;
  watch(p, idx, 1, 0);
  if (s->ending) {
    post_end(p, idx, s->end_kind, s->end_why);
    return;
  }
  s->deadline = now_ms() + s->timeout_ms;
  watch(p, idx, 0, 1);
}

// Lowers the next deadline check to `at` if that is earlier; 1 when it did.
static int lower_next_scan(Pump *p, int64_t at) {
  int64_t cur = __atomic_load_n(&p->next_scan, __ATOMIC_RELAXED);
  while (at < cur)
    if (__atomic_compare_exchange_n(&p->next_scan, &cur, at, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
      return 1;
  return 0;
}

// vLLM silent for longer than the relay's timeout (as the upstream socket's own timeout in JS):
// the stream broke off. Streams waiting for their client are not timed here.
static void scan_deadlines(Pump *p, int64_t now) {
  int64_t next = NO_DEADLINE;
  // Reset first: a relay() during the scan lowers it again (its own deadline) and is not lost.
  __atomic_store_n(&p->next_scan, NO_DEADLINE, __ATOMIC_RELAXED);
  int high = __atomic_load_n(&p->high, __ATOMIC_ACQUIRE);
  for (int i = 0; i < high; i++) {
    Slot *s = &p->slots[i];
    if (!__atomic_load_n(&s->active, __ATOMIC_ACQUIRE)) continue;
    pthread_mutex_lock(&s->mu);
    if (s->active && !s->ending && s->pending_len <= s->pending_off) {
      if (s->deadline <= now)
        end_stream(p, i, END_FAILED, "the upstream timed out");
      else if (s->deadline < next)
        next = s->deadline;
    }
    pthread_mutex_unlock(&s->mu);
  }
  lower_next_scan(p, next);
}

static void *pump_main(void *arg) {
  Pump *p = arg;
  struct epoll_event evs[256];
  while (!p->stopping) {
    int64_t now = now_ms();
    // Written under the lock (relay(), scans); read here without it, hence atomically.
    int64_t next_scan = __atomic_load_n(&p->next_scan, __ATOMIC_RELAXED);
    int timeout = next_scan == NO_DEADLINE ? -1
                  : next_scan <= now       ? 0
                                           : (int)(next_scan - now > 60000 ? 60000 : next_scan - now);
    int n = epoll_wait(p->ep, evs, 256, timeout);
    if (n < 0 && errno != EINTR) break;
    for (int k = 0; k < n; k++) {
      uint64_t tok = evs[k].data.u64;
      if (tok == WAKE_TOKEN) {
        uint64_t v;
        if (read(p->wake, &v, sizeof v) < 0) { /* drained already */
        }
        continue;
      }
      int idx = (int)((tok & 0xffffffffu) >> 1);
      int client = (int)(tok & 1);
      if (idx >= MAX_SLOTS) continue;
      Slot *s = &p->slots[idx];
      pthread_mutex_lock(&s->mu);
      // Ended, or cancelled (and maybe reused) since epoll_wait returned: not this event's stream.
      if (s->active && s->gen == (uint32_t)(tok >> 32)) {
        if (client)
          on_client_writable(p, idx);
        else
          on_upstream(p, idx);
      }
      pthread_mutex_unlock(&s->mu);
    }
    now = now_ms();
    if (now >= __atomic_load_n(&p->next_scan, __ATOMIC_RELAXED)) scan_deadlines(p, now);
  }
  return NULL;
}

// ---- JS interface ----

static void call_js(napi_env env, napi_value fn, void *context, void *data) {
  (void)context;
  EndEvent *e = data;
  if (env != NULL && fn != NULL && e != NULL) {
    napi_value argv[5], undefined;
    napi_create_double(env, e->handle, &argv[0]);
    napi_create_int32(env, e->kind, &argv[1]);
    napi_create_double(env, e->extra, &argv[2]);
    if (e->why)
      napi_create_string_utf8(env, e->why, NAPI_AUTO_LENGTH, &argv[3]);
    else
      napi_get_null(env, &argv[3]);
    if (e->last)
      napi_create_buffer_copy(env, e->last_len, e->last, NULL, &argv[4]);
    else
      napi_get_null(env, &argv[4]);
    napi_get_undefined(env, &undefined);
    napi_call_function(env, undefined, fn, 5, argv, NULL);
  }
  if (e) free(e->last);
  free(e);
}

static void stop_pump(void *arg) {
  Pump *p = arg;
  if (!p) return;
  if (p->thread_started) {
    p->stopping = 1;
    uint64_t one = 1;
    if (write(p->wake, &one, sizeof one) < 0) { /* the thread still sees `stopping` on its next wake */
    }
    pthread_join(p->thread, NULL);
    p->thread_started = 0;
  }
  for (int i = 0; i < p->high; i++)
    if (p->slots[i].active) release_slot(p, &p->slots[i]);
  if (p->ep >= 0) close(p->ep);
  if (p->wake >= 0) close(p->wake);
  p->ep = p->wake = -1;
}

static void finalize_pump(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Pump *p = data;
  stop_pump(p);
  for (int i = 0; i < MAX_SLOTS; i++) pthread_mutex_destroy(&p->slots[i].mu);
  free(p->out);
  free(p);
}

static Pump *pump_of(napi_env env) {
  void *data = NULL;
  napi_get_instance_data(env, &data);
  return data;
}

static napi_value throw_error(napi_env env, const char *msg) {
  napi_throw_error(env, NULL, msg);
  return NULL;
}

// start(onEnd): the pump thread for this JS environment; onEnd(handle, kind, extra, why).
static napi_value js_start(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], name;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (pump_of(env)) return throw_error(env, "the native relay is already started");
  Pump *p = calloc(1, sizeof *p);
  if (!p) return throw_error(env, "out of memory");
  p->ep = epoll_create1(EPOLL_CLOEXEC);
  p->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  p->next_scan = NO_DEADLINE;
  for (int i = 0; i < MAX_SLOTS; i++) pthread_mutex_init(&p->slots[i].mu, NULL);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = WAKE_TOKEN};
  if (p->ep < 0 || p->wake < 0 || epoll_ctl(p->ep, EPOLL_CTL_ADD, p->wake, &ev) != 0) {
    finalize_pump(env, p, NULL);
    return throw_error(env, "the native relay could not set up epoll");
  }
  napi_create_string_utf8(env, "spliceRelayEnd", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, NULL, NULL, NULL, call_js,
                                      &p->tsfn) != napi_ok) {
    finalize_pump(env, p, NULL);
    return throw_error(env, "the native relay's callback could not be set");
  }
  // The pump never keeps the process alive: the sockets it relays do.
  napi_unref_threadsafe_function(env, p->tsfn);
  if (pthread_create(&p->thread, NULL, pump_main, p) != 0) {
    finalize_pump(env, p, NULL);
    return throw_error(env, "the native relay's thread could not start");
  }
  p->thread_started = 1;
  napi_set_instance_data(env, p, finalize_pump, NULL);
  return NULL;
}

static int get_int(napi_env env, napi_value v, int64_t *out) {
  return napi_get_value_int64(env, v, out) == napi_ok;
}

// relay(upstreamFd, clientFd, timeoutMs) → a handle, or -1 when it cannot take the stream.
static napi_value js_relay(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], result;
  int64_t up, client, timeout;
  bool tell_first = false;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  Pump *p = pump_of(env);
  if (!p) return throw_error(env, "the native relay is not started");
  if (argc < 3 || !get_int(env, argv[0], &up) || !get_int(env, argv[1], &client) ||
      !get_int(env, argv[2], &timeout) || up < 0 || client < 0 || timeout <= 0)
    return throw_error(env, "relay(upstreamFd, clientFd, timeoutMs, tellFirst) takes three positive numbers");
  if (argc >= 4) napi_get_value_bool(env, argv[3], &tell_first);
  double handle = -1;
  int idx = -1;
  for (int k = 0; k < MAX_SLOTS; k++) {
    int i = (p->hint + k) % MAX_SLOTS;
    if (!__atomic_load_n(&p->slots[i].active, __ATOMIC_ACQUIRE)) {
      idx = i;
      break;
    }
  }
  if (idx >= 0) {
    Slot *s = &p->slots[idx];
    // Close-on-exec like every descriptor libuv opens: a child spawned meanwhile (ffmpeg, ssh) must
    // not inherit a socket and keep it open after the stream ends (vLLM would never see the close).
    int u = fcntl((int)up, F_DUPFD_CLOEXEC, 0), c = u < 0 ? -1 : fcntl((int)client, F_DUPFD_CLOEXEC, 0);
    if (u >= 0 && c >= 0) {
      // Free, so only a stale event of an earlier stream can hold this lock (and it skips).
      pthread_mutex_lock(&s->mu);
      memset(&s->t, 0, sizeof s->t);
      s->t.state = S_SIZE;
      s->gen++;
      s->up = u;
      s->client = c;
      s->ending = 0;
      s->tell_first = tell_first;
      s->timeout_ms = timeout;
      s->deadline = now_ms() + timeout;
      __atomic_store_n(&s->active, 1, __ATOMIC_RELEASE);
      struct epoll_event ev = {.events = EPOLLIN, .data.u64 = token(idx, s->gen, 0)};
      if (epoll_ctl(p->ep, EPOLL_CTL_ADD, u, &ev) == 0) {
        handle = handle_of(idx, s->gen);
        p->hint = (idx + 1) % MAX_SLOTS;
        if (idx >= __atomic_load_n(&p->high, __ATOMIC_RELAXED))
          __atomic_store_n(&p->high, idx + 1, __ATOMIC_RELEASE);
        if (lower_next_scan(p, s->deadline)) {
          uint64_t one = 1; // the thread's epoll_wait may be sleeping past this deadline
          if (write(p->wake, &one, sizeof one) < 0) { /* a wake is already pending */
          }
        }
        pthread_mutex_unlock(&s->mu);
      } else {
        __atomic_store_n(&s->active, 0, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&s->mu);
        close(u);
        close(c);
      }
    } else {
      if (u >= 0) close(u);
      if (c >= 0) close(c);
    }
  }
  napi_create_double(env, handle, &result);
  return result;
}

// cancel(handle) → true when the stream was still relayed (this thread will not touch it again).
static napi_value js_cancel(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  double handle;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  Pump *p = pump_of(env);
  int was = 0;
  if (p && argc == 1 && napi_get_value_double(env, argv[0], &handle) == napi_ok && handle >= 0) {
    int idx = (int)((uint64_t)handle % MAX_SLOTS);
    uint32_t gen = (uint32_t)((uint64_t)handle / MAX_SLOTS);
    Slot *s = &p->slots[idx];
    pthread_mutex_lock(&s->mu);
    if (s->active && s->gen == gen) {
      release_slot(p, s);
      was = 1;
    }
    pthread_mutex_unlock(&s->mu);
  }
  napi_get_boolean(env, was, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"start", NULL, js_start, NULL, NULL, NULL, napi_default, NULL},
      {"relay", NULL, js_relay, NULL, NULL, NULL, napi_default, NULL},
      {"cancel", NULL, js_cancel, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 3, props);
  return exports;
}
