// Visitor state and the send queue, both in localStorage under one key ("opennps").
// The visitor object has exactly the shape the core's eligibility.decide reads
// (core/include/nps/eligibility.hpp, parse_visitor); nothing here decides anything.

export interface Visitor {
  visitor_id: string;
  identified?: boolean;
  first_seen?: number;
  surveys?: Record<string, { last_shown?: number; last_answered?: number; last_dismissed?: number }>;
  last_survey_shown?: number;
  event_counts?: Record<string, number>;
  page_views?: number;
  attributes?: Record<string, unknown>;
}

// One request waiting to reach the server: method, URL, JSON body, attempts, next try (ms).
export interface Pending {
  m: 'POST' | 'PATCH';
  u: string;
  b: string;
  n: number;
  t: number;
}

interface Saved {
  visitor: Visitor;
  queue: Pending[];
}

const KEY = 'opennps';
let memory: Saved | undefined; // when storage is blocked (private mode, sandboxed frames)

export function uuid(): string {
  const c = globalThis.crypto;
  if (c && c.randomUUID) return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function fresh(): Saved {
  return { visitor: { visitor_id: uuid(), first_seen: Date.now(), page_views: 0 }, queue: [] };
}

export function load(): Saved {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) {
      const s = JSON.parse(raw) as Saved;
      if (s && s.visitor && typeof s.visitor.visitor_id === 'string') {
        s.queue = Array.isArray(s.queue) ? s.queue : [];
        return s;
      }
    }
  } catch {
    if (memory) return memory;
  }
  return memory || (memory = fresh());
}

export function save(s: Saved): void {
  memory = s;
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    /* storage full or blocked: memory only */
  }
}

// Reads, changes and writes back in one step, so two tabs rarely overwrite each other.
export function update(fn: (s: Saved) => void): Saved {
  const s = load();
  fn(s);
  save(s);
  return s;
}

export function clear(): void {
  memory = undefined;
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* nothing stored */
  }
}

// ---- the send queue -------------------------------------------------------------------
// Requests leave in order (a PATCH never overtakes its POST). A network error or a 5xx/408/
// 429 keeps the request for a retry with exponential backoff (1 s … 5 min); other answers
// (2xx, or a 4xx that no retry would change) remove it. The idempotency key inside each
// body makes a retry of a POST that did arrive a harmless duplicate.

let flushing = false;
let timer: ReturnType<typeof setTimeout> | undefined;

export function enqueue(m: 'POST' | 'PATCH', u: string, body: unknown): void {
  update((s) => s.queue.push({ m, u, b: JSON.stringify(body), n: 0, t: 0 }));
  void flush();
}

export async function flush(force = false): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    for (;;) {
      const head = load().queue[0];
      if (!head) return;
      if (!force && head.t > Date.now()) return schedule(head.t - Date.now());
      let retry = false;
      try {
        const r = await fetch(head.u, {
          method: head.m,
          headers: { 'Content-Type': 'application/json' },
          body: head.b,
          keepalive: true,
          credentials: 'omit',
        });
        retry = r.status >= 500 || r.status === 408 || r.status === 429;
      } catch {
        retry = true;
      }
      update((s) => {
        const i = s.queue.findIndex((p) => p.u === head.u && p.b === head.b);
        if (i < 0) return;
        if (!retry) s.queue.splice(i, 1);
        else {
          const p = s.queue[i];
          p.n++;
          p.t = Date.now() + Math.min(300000, 1000 * 2 ** p.n);
        }
      });
      if (retry) {
        force = false;
        const next = load().queue[0];
        if (next) schedule(Math.max(0, next.t - Date.now()));
        return;
      }
    }
  } finally {
    flushing = false;
  }
}

function schedule(ms: number): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void flush(), ms);
}
