/**
 * The dashboard's HTTP helpers: its pages' HTML shell, security headers,
 * the token cookie and errors that carry their status.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the cookie that carries the dashboard token. */
export const COOKIE = 'flink_tasks_token';

/** Headers on every answer: nothing from elsewhere runs, frames or is referred to. */
export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** `host` as it goes in a URL (IPv6 in brackets). */
export const bracketed = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** `s` safe inside HTML text and attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A page of the dashboard: the shell its script fills, with `data` as `data-*` attributes of the body. */
export function page(title: string, body: string, data: Record<string, string>): string {
  const attrs = Object.entries(data)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · flink-tasks</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="icon" href="data:,">
</head>
<body${attrs}>
<header class="top"><a class="brand" href="/">flink-tasks</a><span class="sub">pipelines</span></header>
<main id="main">${body}</main>
<script type="module" src="/static/app.js"></script>
</body>
</html>
`;
}

/** The 404 page. */
export function notFoundPage(what: string, detail: string): string {
  return page(
    'not found',
    `<section class="notfound"><h1>404 · ${escapeHtml(what)}</h1><p>${escapeHtml(detail)}</p><p><a href="/">Back to the list of pipelines</a></p></section>`,
    { page: 'notfound' },
  );
}

/** Compares two secrets in constant time (of their hashes). */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** The dashboard token from the request's cookie, if any. */
export function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** An error answered with its own HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
