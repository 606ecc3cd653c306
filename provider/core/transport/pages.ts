// Following a list through its pages, apart from how one page is fetched: the next page's token from each page's
// link, and a stop (PAGING_LOOP) when the server repeats a token or the pages do not end.

import { shorten } from "./answer";

const MAX_PAGES = 1000;

export interface Page<T> {
  items: T[];
  /** The link to the next page, when there is one. */
  next?: string;
}

export interface Pager<T> {
  /** The endpoint the requests go to: relative links are resolved against it. */
  endpoint: string;
  /** Reads one page: the first without a token. */
  fetch(token: string | undefined): Promise<Page<T>>;
  /** An error of the listing, e.g. about a repeated token. */
  fail(summary: string, code: "PAGING_LOOP" | "INVALID_RESPONSE"): Error;
}

export async function readAllPages<T>(pager: Pager<T>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 1; ; page += 1) {
    if (page > MAX_PAGES) throw pager.fail(`more than ${MAX_PAGES} pages; stopping`, "PAGING_LOOP");
    const { items: found, next } = await pager.fetch(token);
    items.push(...found);
    if (next === undefined) return items;
    token = pageTokenOf(pager, next);
    if (seen.has(token)) throw pager.fail(`the server repeated page token ${shorten(token, 40)} (page ${page}); stopping instead of looping`, "PAGING_LOOP");
    seen.add(token);
  }
}

function pageTokenOf(pager: Pager<unknown>, next: string): string {
  let url: URL;
  try {
    // Only the token is taken from the link: its host may differ from (or be) api.confluent.cloud, and requests
    // must keep going to the configured endpoint with the original filters.
    url = new URL(next, `${pager.endpoint}/`);
  } catch {
    throw pager.fail(`the next-page link is not a URL: ${shorten(next, 120)}`, "INVALID_RESPONSE");
  }
  const token = url.searchParams.get("page_token");
  if (!token) throw pager.fail(`the next-page link has no page_token: ${shorten(next, 120)}`, "INVALID_RESPONSE");
  return token;
}
