/**
 * Where the setup's Stream client goes (functions/setup/stream-app.ts): Stream's own API unless told otherwise, an
 * https:// URL, or http:// to this machine only, never a URL holding credentials, whatever the stream-chat SDK's own
 * switches say; and how long Stream asks it to wait. The calls themselves are in
 * test/integration/setup-stream-app.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SetupConfigurationError } from '../../functions/setup/errors.js';
import { SecretScrubber } from '../../functions/setup/scrubber.js';
import { checkedBaseUrl, namedWaitMs, SETUP_DEFAULTS, StreamApp } from '../../functions/setup/stream-app.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

const REFUSAL =
  'is refused: the setup sends the Stream API token and the SNS secret, so only https:// ' +
  '(or http:// to this machine: localhost, 127.0.0.0/8, [::1]) is allowed';
const failureOf = (act: () => unknown) => {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  return undefined;
};

describe('setup Stream base URL', () => {
  it("is Stream's own API when none is given", () => {
    // Act
    const url = checkedBaseUrl(undefined);

    // Assess
    expect(url).toBe('https://chat.stream-io-api.com');
  });

  it.each([
    ['an https:// URL', 'https://chat.example.com', 'https://chat.example.com'],
    ['an https:// URL with a trailing slash', 'https://edge.example.com/', 'https://edge.example.com'],
    ['an https:// URL with a path and several trailing slashes', 'https://edge.example.com/v1///', 'https://edge.example.com/v1'],
    ['http:// to localhost', 'http://localhost:3030/', 'http://localhost:3030'],
    ['http:// to [::1]', 'http://[::1]:8080', 'http://[::1]:8080'],
    ['http:// to 127.0.0.0/8, parts of several digits', 'http://127.10.200.30:9000//', 'http://127.10.200.30:9000'],
  ])('takes %s, without its trailing slashes', (_, given, used) => {
    // Act
    const url = checkedBaseUrl(given);

    // Assess
    expect(url).toBe(used);
  });

  it.each([
    ['http:// to another machine', 'http://chat.example.com', 'http://chat.example.com'],
    ['http:// to an address outside 127.0.0.0/8', 'http://128.0.0.1:3030/app', 'http://128.0.0.1:3030'],
    ['a protocol other than http:// or https://, even to this machine', 'ftp://127.0.0.1:2121', 'ftp://127.0.0.1:2121'],
  ])('refuses %s, naming what it allows', (_, given, shown) => {
    // Act
    const failure = failureOf(() => checkedBaseUrl(given));

    // Assess
    expect(failure).toBeInstanceOf(SetupConfigurationError);
    expect(failure?.message).toBe(`the base URL ${shown} ${REFUSAL}`);
  });

  it.each([
    ['a user name', 'https://ops@edge.example.com'],
    ['a password', 'https://:hunter2-base-url-pass@edge.example.com'],
    ['both', 'https://ops:hunter2-base-url-pass@edge.example.com'],
  ])('refuses a URL holding %s, without quoting it', (_, given) => {
    // Act
    const failure = failureOf(() => checkedBaseUrl(given));

    // Assess
    expect(failure).toBeInstanceOf(SetupConfigurationError);
    expect(failure?.message).toBe('the base URL must not hold a user name or password');
  });

  it('refuses what is not a URL, quoting it', () => {
    // Act
    const failure = failureOf(() => checkedBaseUrl('chat.example.com'));

    // Assess
    expect(failure).toBeInstanceOf(SetupConfigurationError);
    expect(failure?.message).toBe('the base URL "chat.example.com" is not a URL');
  });

  it("keeps Stream's own API when the SDK's test switches are set", () => {
    // Prepare: the SDK would go to http://localhost:3030 with STREAM_LOCAL_TEST_RUN set.
    vi.stubEnv('STREAM_LOCAL_TEST_RUN', 'true');
    vi.stubEnv('STREAM_LOCAL_TEST_HOST', 'stand-in.example.com:3030');

    // Act
    const app = new StreamApp({ apiKey: 'unit-api-key', apiSecret: 'unit-api-secret-77e1' }, { ...SETUP_DEFAULTS }, new SecretScrubber());

    // Assess
    expect(app.baseUrl).toBe('https://chat.stream-io-api.com');
  });
});

describe('setup Stream named wait', () => {
  it('names no wait on a 429 whose rate-limit window resets this very second: the reset is not in the future', () => {
    // Prepare: X-RateLimit-Reset is in whole seconds; the clock stands on one.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_800_000_000_000);

    // Act
    const ms = namedWaitMs(429, { 'x-ratelimit-reset': '1800000000' });

    // Assess: the retry then backs off as usual rather than coming back at once.
    expect(ms).toBeUndefined();
  });

  it('names the time to the reset when it is in the future', () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_800_000_000_000);

    // Act
    const ms = namedWaitMs(429, { 'x-ratelimit-reset': '1800000001' });

    // Assess
    expect(ms).toBe(1_000);
  });
});
