/**
 * The one masking rule, on generated hooks of every type with credentials wherever Stream puts them: no credential
 * survives in a masked hook, nor in a text that echoes the hook (a Stream error message), and the hook itself is
 * never changed.
 */
import { fc, it } from '@fast-check/vitest';
import type { EventHook } from 'stream-chat';
import { describe, expect } from 'vitest';
import { MASK, SecretScrubber, credentialsOf, maskHook, maskUrl } from '../../functions/setup/masking.js';

/** A credential as AWS and webhook providers make them: long, letters, digits and / + = - _. */
const credential = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/+=_-]{11,39}$/);
const host = fc.constantFrom('hooks.example.org', 'sqs.eu-west-1.amazonaws.com', 'moderation.example.com:8443');

/** A hook of any type with its credentials, and the list of those credentials (a key counts beyond its first 4 characters). */
const hookWithCredentials: fc.Arbitrary<{ hook: EventHook; secrets: string[] }> = fc.oneof<fc.Arbitrary<{ hook: EventHook; secrets: string[] }>[]>(
  fc.tuple(host, credential, credential, credential).map(([at, user, password, token]) => ({
    hook: { id: 'wh', hook_type: 'webhook', webhook_url: `https://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${at}/in?token=${encodeURIComponent(token)}&team=ops` },
    secrets: [password, token],
  })),
  fc.tuple(host, credential, credential).map(([at, signature, amzCredential]) => ({
    hook: { id: 'pm', hook_type: 'pending_message', webhook_url: `https://${at}/pending?X-Amz-Credential=${encodeURIComponent(amzCredential)}&X-Amz-Signature=${encodeURIComponent(signature)}`, callback: { mode: 'CALLBACK_MODE_REST' } },
    secrets: [signature, amzCredential],
  })),
  fc.tuple(credential, credential).map(([key, secret]) => ({
    hook: { id: 'sqs', hook_type: 'sqs', sqs_queue_url: 'https://sqs.eu-west-1.amazonaws.com/1/q', sqs_key: key, sqs_secret: secret },
    secrets: [key.slice(4), secret],
  })),
  fc.tuple(credential, credential).map(([key, secret]) => ({
    hook: { id: 'sns', hook_type: 'sns', sns_topic_arn: 'arn:aws:sns:us-east-1:444455556666:t', sns_auth_type: 'keys', sns_key: key, sns_secret: secret },
    secrets: [key.slice(4), secret],
  })),
);

describe('masking: hooks', () => {
  it.prop([hookWithCredentials])('a masked hook holds none of its credentials, and the hook is unchanged', ({ hook, secrets }) => {
    // Prepare
    const before = JSON.stringify(hook);

    // Act
    const masked = JSON.stringify(maskHook(hook));

    // Assess
    for (const secret of secrets) {
      expect(masked).not.toContain(secret);
      expect(masked).not.toContain(encodeURIComponent(secret));
    }
    expect(JSON.stringify(hook)).toBe(before);
  });

  it('keeps what tells hooks apart: type, host, path, query names, the first four characters of a key', () => {
    // Act
    const masked = maskHook({ hook_type: 'sqs', sqs_queue_url: 'https://sqs.eu-west-1.amazonaws.com/111122223333/q', sqs_key: 'AKIAEXAMPLE12', sqs_secret: 'x'.repeat(20), sqs_region: 'eu-west-1' });

    // Assess
    expect(masked).toEqual({ hook_type: 'sqs', sqs_queue_url: 'https://sqs.eu-west-1.amazonaws.com/111122223333/q', sqs_key: `AKIA${MASK}`, sqs_secret: MASK, sqs_region: 'eu-west-1' });
  });

  it('masks user information, query values, fragments and token-like path segments of a URL', () => {
    // Act
    const masked = maskUrl('https://ops:pw@hooks.slack.example/services/T0AB12CD3/B0XY98ZW7/a1b2c3d4e5f6g7h8i9j0k1l2?token=t0k&x=1#frag');

    // Assess
    expect(masked).toBe(`https://${MASK}@hooks.slack.example/services/T0AB12CD3/B0XY98ZW7/${MASK}?token=${MASK}&x=${MASK}#${MASK}`);
  });
});

describe('masking: free text', () => {
  it.prop([hookWithCredentials, fc.string(), fc.boolean()])('a message echoing a hook, even escaped inside JSON, keeps none of its credentials', ({ hook, secrets }, prefix, escaped) => {
    // Prepare
    const echo = escaped ? JSON.stringify(JSON.stringify({ event_hooks: [hook] })) : JSON.stringify({ event_hooks: [hook] });
    const message = `${prefix} UpdateApp failed with error: "invalid request ${echo}"`;

    // Act
    const byRule = new SecretScrubber().scrub(message);
    const byRuleAndKnown = new SecretScrubber(credentialsOf(hook)).scrub(message);

    // Assess
    for (const secret of secrets) {
      expect(byRule).not.toContain(secret);
      expect(byRuleAndKnown).not.toContain(secret);
    }
  });

  it.prop([credential, fc.string(), fc.string()])('a secret in play is hidden wherever it appears in a message', (secret, before, after) => {
    // Act
    const scrubbed = new SecretScrubber([{ value: secret, visible: 0 }]).scrub(`${before}${secret}${after}`);

    // Assess
    expect(scrubbed).not.toContain(secret);
  });
});

describe('masking: what a masked hook still shows', () => {
  it('shows an unset credential as empty, so the operator sees that it is missing', () => {
    // Act
    const masked = maskHook({ id: 'sqs', hook_type: 'sqs', sqs_key: '', sqs_secret: '' });

    // Assess
    expect(masked).toEqual({ id: 'sqs', hook_type: 'sqs', sqs_key: '', sqs_secret: '' });
  });

  it('keeps event types and nested settings, and masks credentials however deep Stream nests them', () => {
    // Prepare
    const hook = {
      id: 'pm',
      hook_type: 'pending_message',
      event_types: ['message.new', 'message.updated'],
      callback: { mode: 'CALLBACK_MODE_REST' },
      auth: { key: 'k-2f6b9d1e', dedup_key_field: 'message.id', headers: [{ name: 'X-Hook-Token', token: 'tk-51c0e3aa' }] },
    } as EventHook;

    // Act
    const masked = maskHook(hook);

    // Assess
    expect(masked).toEqual({
      id: 'pm',
      hook_type: 'pending_message',
      event_types: ['message.new', 'message.updated'],
      callback: { mode: 'CALLBACK_MODE_REST' },
      auth: { key: `k-2f${MASK}`, dedup_key_field: 'message.id', headers: [{ name: 'X-Hook-Token', token: MASK }] },
    });
  });
});

describe('masking: URLs', () => {
  it('masks a URL that Stream stored with spaces or control characters before its scheme', () => {
    // Prepare: `new URL` strips them, so Stream may well store and use such a value.
    const hook: EventHook = { hook_type: 'webhook', webhook_url: ' \thttps://ops:pw-9f2c1e@h.example/x?token=tk-77c1d0' };

    // Act
    const masked = JSON.stringify(maskHook(hook));
    const found = credentialsOf(hook).map(({ value }) => value);

    // Assess
    expect(masked).not.toMatch(/pw-9f2c1e|tk-77c1d0/);
    expect(found).toEqual(expect.arrayContaining(['pw-9f2c1e', 'tk-77c1d0']));
  });

  it('masks a token given as the user name alone', () => {
    // Act
    const masked = maskUrl('https://ghp0123456789abcdefTOKEN@git.example.org/hooks/stream');

    // Assess
    expect(masked).toBe(`https://${MASK}@git.example.org/hooks/stream`);
  });

  it('masks the token of a chat webhook and keeps its numeric id, words and file names readable', () => {
    // Act
    const discord = maskUrl('https://discord.com/api/webhooks/123456789012345678/4bcDEFghiJKLmnoPQRstu');
    const exports = maskUrl('https://exports.example.org/pending-messages-moderation/v2.daily-export-2026/events-2026-11-28.json');

    // Assess
    expect(discord).toBe(`https://discord.com/api/webhooks/123456789012345678/${MASK}`);
    expect(exports).toBe('https://exports.example.org/pending-messages-moderation/v2.daily-export-2026/events-2026-11-28.json');
  });

  it.prop([fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/).filter((token) => /\d/.test(token) && /[A-Za-z]/.test(token))])(
    'masks any path segment that is a token: 16 or more letters and digits, in any order',
    (token) => {
      // Act
      const masked = maskUrl(`https://hooks.example.org/services/${token}/in`);

      // Assess
      expect(masked).toBe(`https://hooks.example.org/services/${MASK}/in`);
    },
  );
});

describe('masking: free text by the rule alone (no secret known)', () => {
  it.each([
    ['a URL opening the message', 'https://ops:hunter2@hooks.example.org/in?token=abc123&team=ops is unreachable', `https://${MASK}@hooks.example.org/in?token=${MASK}&team=${MASK} is unreachable`],
    ['a URL inside a sentence', 'cannot reach https://ops:hunter2@hooks.example.org/in: timeout', `cannot reach https://${MASK}@hooks.example.org/in: timeout`],
    ['name: value pairs', 'invalid token: abcd1234efgh, password: hunter2', `invalid token: ${MASK}, password: ${MASK}`],
    ['a pair opening the message', 'secret=abc123 was rejected', `secret=${MASK} was rejected`],
    ['an AWS secret named after its key', 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `aws_secret_access_key=${MASK}`],
    ['a key in JSON and an API key in a URL', '{"sqs_key":"AKIAOTHERSQS77Q","url":"https://x.example/in?api_key=k-7d0c4b19"}', `{"sqs_key":"AKIA${MASK}","url":"https://x.example/in?api_key=${MASK}"}`],
  ])('masks %s', (_, message, expected) => {
    // Act
    const scrubbed = new SecretScrubber().scrub(message);

    // Assess
    expect(scrubbed).toBe(expected);
  });

  it('reads the same when scrubbed twice, as a Stream message is before it becomes a CloudFormation reason', () => {
    // Prepare
    const message = 'api_key=ab, "sqs_key":"AKIAOTHERSQS77Q", secret: x, see https://u:p@h.example/a?api_key=k-7d0c4b19#frag';
    const once = new SecretScrubber().scrub(message);

    // Act
    const twice = new SecretScrubber().scrub(once);

    // Assess
    expect(once).toBe(`api_key=ab${MASK}, "sqs_key":"AKIA${MASK}", secret: ${MASK}, see https://${MASK}@h.example/a?api_key=${MASK}#${MASK}`);
    expect(twice).toBe(once);
  });
});

describe('masking: free text with the secrets in play', () => {
  it('shows the first four characters of a key and nothing of a secret', () => {
    // Prepare
    const scrubber = new SecretScrubber([
      { value: 'AKIAPUBLISHER77', visible: 4 },
      { value: 'sns-secret-9c04ab', visible: 0 },
    ]);

    // Act
    const scrubbed = scrubber.scrub('publisher AKIAPUBLISHER77 signs with sns-secret-9c04ab');

    // Assess
    expect(scrubbed).toBe(`publisher AKIA${MASK} signs with ${MASK}`);
  });

  it('hides a secret that contains another whole, whichever was added first', () => {
    // Prepare
    const short = { value: 'c0ffee42', visible: 0 };
    const long = { value: 'c0ffee42-tail-8d1f', visible: 0 };

    // Act
    const shortFirst = new SecretScrubber([short, long]).scrub(`rejected ${long.value}`);
    const longFirst = new SecretScrubber([long, short]).scrub(`rejected ${long.value}`);

    // Assess
    expect(shortFirst).toBe(`rejected ${MASK}`);
    expect(longFirst).toBe(`rejected ${MASK}`);
  });

  it('shows nothing of a value known both as a key and as a secret', () => {
    // Prepare
    const asKey = { value: 'AKIASHARED0001', visible: 4 };
    const asSecret = { value: 'AKIASHARED0001', visible: 0 };

    // Act
    const keyFirst = new SecretScrubber([asKey, asSecret]).scrub('got AKIASHARED0001');
    const secretFirst = new SecretScrubber().add([asSecret]).add([asKey]).scrub('got AKIASHARED0001');

    // Assess
    expect(keyFirst).toBe(`got ${MASK}`);
    expect(secretFirst).toBe(`got ${MASK}`);
  });

  it('hides a secret of four characters, and leaves the message as it is for a shorter or unset one', () => {
    // Prepare
    const message = 'message.new delivered by ab12';

    // Act
    const four = new SecretScrubber([{ value: 'ab12', visible: 0 }]).scrub(message);
    const shorter = new SecretScrubber([{ value: 'e', visible: 0 }, { value: '', visible: 0 }, { value: undefined, visible: 0 }]).scrub(message);

    // Assess
    expect(four).toBe(`message.new delivered by ${MASK}`);
    expect(shorter).toBe(message);
  });

  it("hides a hook's credentials where Stream echoes them bare, and keeps its id, type, region and path words", () => {
    // Prepare
    const hook = {
      id: 'sqs-1',
      hook_type: 'sqs',
      sqs_region: 'eu-west-1',
      sqs_key: 'AKIAOTHERSQS77Q',
      sqs_secret: 'other-sqs-secret-0b9f',
      webhook_url: 'https://ops:hunter2-pass@hooks.example.org/services/a1b2c3d4e5f6g7h8i9j0?token=wh-token-5c1d9e#frag-7e21',
      sqs_queue_url: 'https://[not-a-host/q',
      relay: [{ settings: { password: 'nested-pass-31f0' } }],
    } as EventHook;
    const bare = ['AKIAOTHERSQS77Q', 'other-sqs-secret-0b9f', 'hunter2-pass', 'a1b2c3d4e5f6g7h8i9j0', 'wh-token-5c1d9e', 'frag-7e21', 'https://[not-a-host/q', 'nested-pass-31f0'];
    const message = `hook sqs-1 (sqs, eu-west-1, services) rejected: ${bare.join(' ; ')}`;

    // Act
    const scrubbed = new SecretScrubber(credentialsOf(hook)).scrub(message);

    // Assess
    for (const secret of ['OTHERSQS77Q', 'other-sqs-secret-0b9f', 'hunter2-pass', 'a1b2c3d4e5f6g7h8i9j0', 'wh-token-5c1d9e', 'frag-7e21', 'not-a-host', 'nested-pass-31f0']) {
      expect(scrubbed).not.toContain(secret);
    }
    expect(scrubbed.startsWith('hook sqs-1 (sqs, eu-west-1, services) rejected: AKIA')).toBe(true);
  });
});
