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
