import type { Response } from 'express';

/**
 * Headers of every unsubscribe page: no script, style, image or frame may load, a form may only
 * post back here, no referrer leaves with the token in it, nothing is cached or indexed.
 */
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'X-Robots-Tag': 'noindex, nofollow',
} as const;

/** The pages the unsubscribe routes answer; fixed text, nothing from the request is echoed. */
export type UnsubscribePage = 'confirm' | 'done' | 'not_found';

const PAGES: Record<UnsubscribePage, { title: string; body: string }> = {
  // The form posts to this same URL (no action): the one-click body, as a mail client sends it.
  confirm: {
    title: 'Unsubscribe',
    body: `<p>Stop receiving these emails?</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form>`,
  },
  done: {
    title: 'Unsubscribed',
    body: '<p>You are unsubscribed: you will receive no more of these emails.</p>',
  },
  not_found: {
    title: 'Link not valid',
    body: '<p>This unsubscribe link is not valid. Use the link of a more recent email.</p>',
  },
};

/** Answers `page` with `status` and the page headers. */
export function sendUnsubscribePage(res: Response, status: number, page: UnsubscribePage): void {
  const { title, body } = PAGES[page];
  res
    .status(status)
    .set(PAGE_HEADERS)
    .send(
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>${title}</title></head>
<body><h1>${title}</h1>
${body}
</body></html>
`,
    );
}
