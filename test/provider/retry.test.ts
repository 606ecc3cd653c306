import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  classifyFailure,
  mayHaveBeenApplied,
  parseRateLimitResetMs,
  parseRetryAfterMs,
  retryDelayMs,
  shouldRetry,
  type FailureLike,
} from "../../provider/core/transport/retry";

const status = (code: number): FailureLike => ({ code: "ERR_BAD_RESPONSE", response: { status: code } });
const net = (code: string): FailureLike => ({ code });

describe("retryDelayMs: full-jitter exponential backoff without server hints", () => {
  test("random() * min(cap, base * 2^(attempt-1)) with the defaults base 1 s, cap 30 s", () => {
    const expected: Array<[number, number]> = [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [4, 8000],
      [5, 16_000],
      [6, 30_000],
      [7, 30_000],
      [60, 30_000],
      [5000, 30_000],
    ];
    for (const [attempt, ceiling] of expected) {
      assert.equal(retryDelayMs({ attempt, random: () => 0.5 }), ceiling * 0.5, `attempt ${attempt}`);
      assert.equal(retryDelayMs({ attempt, random: () => 0 }), 0, `attempt ${attempt} with random 0`);
      assert.ok(retryDelayMs({ attempt, random: () => 0.999999 }) < ceiling, `attempt ${attempt} stays below its ceiling`);
    }
  });

  test("honours a custom base and cap", () => {
    assert.equal(retryDelayMs({ attempt: 1, random: () => 1, baseMs: 200, capMs: 1000 }), 200);
    assert.equal(retryDelayMs({ attempt: 3, random: () => 1, baseMs: 200, capMs: 1000 }), 800);
    assert.equal(retryDelayMs({ attempt: 4, random: () => 1, baseMs: 200, capMs: 1000 }), 1000);
  });

  test("calls random exactly once per delay", () => {
    let calls = 0;
    retryDelayMs({ attempt: 2, random: () => (calls++, 0.25) });
    assert.equal(calls, 1);
  });

  test("attempt below 1 is treated as the first retry", () => {
    assert.equal(retryDelayMs({ attempt: 0, random: () => 1 }), 1000);
  });
});

describe("retryDelayMs: the server's headers win", () => {
  const random = (): number => {
    throw new Error("random must not be used when the server named a delay");
  };

  test("Retry-After in seconds", () => {
    assert.equal(retryDelayMs({ attempt: 1, retryAfter: "7", random }), 7000);
    assert.equal(retryDelayMs({ attempt: 9, retryAfter: "0", random }), 0);
    assert.equal(retryDelayMs({ attempt: 1, retryAfter: " 2.5 ", random }), 2500);
  });

  test("X-RateLimit-Reset is relative seconds, not an epoch", () => {
    assert.equal(retryDelayMs({ attempt: 1, rateLimitReset: "12", random }), 12_000);
  });

  test("both present: the larger one", () => {
    assert.equal(retryDelayMs({ attempt: 1, retryAfter: "3", rateLimitReset: "10", random }), 10_000);
    assert.equal(retryDelayMs({ attempt: 1, retryAfter: "10", rateLimitReset: "3", random }), 10_000);
  });

  test("server delays are not capped by capMs (sending earlier only earns another 429)", () => {
    assert.equal(retryDelayMs({ attempt: 1, retryAfter: "120", random }), 120_000);
  });

  test("Retry-After as an HTTP-date is relative to the injected now", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    assert.equal(retryDelayMs({ attempt: 1, retryAfter: "Wed, 21 Oct 2015 07:28:09 GMT", now, random }), 9000);
    // A date in the past means "now".
    assert.equal(retryDelayMs({ attempt: 1, retryAfter: "Wed, 21 Oct 2015 07:27:00 GMT", now, random }), 0);
    // Date vs Reset: still the max.
    assert.equal(retryDelayMs({ attempt: 1, retryAfter: "Wed, 21 Oct 2015 07:28:04 GMT", rateLimitReset: "6", now, random }), 6000);
  });

  test("unparsable or negative values are ignored, falling back to the other header or to jitter", () => {
    assert.equal(retryDelayMs({ attempt: 1, retryAfter: "soon", rateLimitReset: "4", random }), 4000);
    assert.equal(retryDelayMs({ attempt: 1, retryAfter: "-5", rateLimitReset: "2", random }), 2000);
    assert.equal(retryDelayMs({ attempt: 2, retryAfter: "-5", rateLimitReset: "abc", random: () => 0.5 }), 1000);
    assert.equal(retryDelayMs({ attempt: 2, retryAfter: "", rateLimitReset: "", random: () => 0.5 }), 1000);
    assert.equal(retryDelayMs({ attempt: 2, rateLimitReset: "-1", random: () => 0.5 }), 1000);
  });
});

describe("header parsers", () => {
  test("parseRetryAfterMs", () => {
    assert.equal(parseRetryAfterMs(undefined, 0), undefined);
    assert.equal(parseRetryAfterMs("  ", 0), undefined);
    assert.equal(parseRetryAfterMs("3", 0), 3000);
    assert.equal(parseRetryAfterMs("not a date", 0), undefined);
    assert.equal(parseRetryAfterMs("-5", 0), undefined);
    assert.equal(parseRetryAfterMs("2030", 0), 2_030_000, "digits are delta-seconds, never a year");
    assert.equal(parseRetryAfterMs("Sunday, 06-Nov-94 08:49:37 GMT", Date.parse("1994-11-06T08:49:30Z")), 7000);
    assert.equal(parseRetryAfterMs("Sun Nov  6 08:49:37 1994", Date.parse("1994-11-06T08:49:37")), 0);
  });

  test("parseRateLimitResetMs treats an epoch-sized value (non-conforming proxy) as an absolute time", () => {
    assert.equal(parseRateLimitResetMs("60", 0), 60_000);
    const now = 1_700_000_000_000;
    assert.equal(parseRateLimitResetMs(String(now / 1000 + 30), now), 30_000);
    assert.equal(parseRateLimitResetMs("1e3", now), undefined);
  });
});

describe("shouldRetry", () => {
  const idempotent = ["GET", "get", "DELETE", "delete", "PATCH", "patch", "HEAD", "OPTIONS", "PUT"];
  const alwaysRetryable: FailureLike[] = [
    status(429),
    status(500),
    status(502),
    status(503),
    status(504),
    status(599),
    net("ECONNRESET"),
    net("ECONNREFUSED"),
    net("ENOTFOUND"),
    net("EAI_AGAIN"),
    net("EHOSTUNREACH"),
    net("ENETUNREACH"),
    net("ECONNABORTED"), // axios: attempt timeout
    net("ETIMEDOUT"),
    net("EPIPE"),
    net("ERR_NETWORK"),
    { code: "ERR_BAD_RESPONSE", response: { status: 200 } }, // body cut off mid-stream
  ];
  const neverRetryable: FailureLike[] = [
    status(501),
    status(400),
    status(401),
    status(403),
    status(404),
    status(409),
    status(422),
    status(301),
    net("ERR_CANCELED"), // our own deadline / cancellation
    net("ERR_BAD_OPTION_VALUE"),
    net("ERR_INVALID_URL"),
    net("CERT_HAS_EXPIRED"),
    net("DEPTH_ZERO_SELF_SIGNED_CERT"),
    {},
  ];

  for (const method of idempotent) {
    test(`${method}: network errors, timeouts, 429 and 5xx except 501`, () => {
      for (const error of alwaysRetryable) assert.equal(shouldRetry(method, error), true, `${method} ${JSON.stringify(error)}`);
      for (const error of neverRetryable) assert.equal(shouldRetry(method, error), false, `${method} ${JSON.stringify(error)}`);
    });
  }

  test("POST: only 429 and connect-phase errors (nothing reached the server)", () => {
    for (const method of ["POST", "post"]) {
      for (const error of [status(429), net("ECONNREFUSED"), net("ENOTFOUND"), net("EAI_AGAIN"), net("EHOSTUNREACH"), net("ENETUNREACH")]) {
        assert.equal(shouldRetry(method, error), true, `${method} ${JSON.stringify(error)}`);
      }
      const ambiguous = [
        net("ECONNRESET"),
        net("ECONNABORTED"),
        net("ETIMEDOUT"),
        net("EPIPE"),
        net("ERR_NETWORK"),
        status(500),
        status(502),
        status(503),
        status(504),
        { code: "ERR_BAD_RESPONSE", response: { status: 202 } },
      ];
      for (const error of [...ambiguous, ...neverRetryable]) assert.equal(shouldRetry(method, error), false, `${method} ${JSON.stringify(error)}`);
    }
  });

  test("an unknown method is treated like POST (conservative)", () => {
    assert.equal(shouldRetry(undefined, net("ECONNRESET")), false);
    assert.equal(shouldRetry(undefined, status(429)), true);
    assert.equal(shouldRetry("TRACE", status(503)), false);
  });

  test("a response status wins over the error code", () => {
    assert.equal(shouldRetry("POST", { code: "ECONNREFUSED", response: { status: 503 } }), false);
    assert.equal(shouldRetry("GET", { code: "ECONNRESET", response: { status: 404 } }), false);
  });
});

describe("classifyFailure / mayHaveBeenApplied", () => {
  test("classification", () => {
    assert.equal(classifyFailure(net("ERR_CANCELED")), "canceled");
    assert.equal(classifyFailure(net("ECONNREFUSED")), "connect");
    assert.equal(classifyFailure(net("ECONNABORTED")), "timeout");
    assert.equal(classifyFailure(net("ECONNRESET")), "transport");
    assert.equal(classifyFailure(status(404)), "http");
    assert.equal(classifyFailure(net("CERT_HAS_EXPIRED")), "other");
  });

  test("what may have reached (and been applied by) the server", () => {
    for (const error of [net("ECONNRESET"), net("ECONNABORTED"), net("ETIMEDOUT"), status(500), status(503), status(504)]) {
      assert.equal(mayHaveBeenApplied(error), true, JSON.stringify(error));
    }
    for (const error of [net("ECONNREFUSED"), net("ENOTFOUND"), status(429), status(409), status(501), net("ERR_CANCELED")]) {
      assert.equal(mayHaveBeenApplied(error), false, JSON.stringify(error));
    }
  });
});
