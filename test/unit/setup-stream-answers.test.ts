/**
 * What the setup keeps of Stream's answers: of an error body, Stream's code and a short message on one line, with
 * every value of other teams' hooks masked, or what the body is, never the body; of a hook of another team, every
 * value it may not quote.
 */
import type { EventHook } from 'stream-chat';
import { describe, expect, it } from 'vitest';
import { StreamAnswerError } from '../../functions/setup/errors.js';
import {
  hookEventTypesOf,
  hooksOfApp,
  reduced,
  STREAM_MESSAGE_LIMIT,
  snsCheckResultOf,
  streamErrorBody,
  useHookV2Of,
  valuesOf,
} from '../../functions/setup/stream-answers.js';

const NOTHING = new Set<string>();

describe('stream answers: an error body', () => {
  it.each([
    ['a Stream error', { code: 4, message: 'bad request' }, { code: 4, message: 'bad request' }],
    ['a code that is not an integer', { code: '4', message: 'bad' }, { code: undefined, message: 'bad' }],
    ['a code that is a fraction', { code: 4.5, message: 'bad' }, { code: undefined, message: 'bad' }],
    ['no message', { code: 5 }, { code: 5, message: 'no message' }],
    ['a message that is not text', { message: { nested: 'x' } }, { code: undefined, message: 'no message' }],
    ['no body', undefined, { code: undefined, message: 'no body' }],
    ['null', null, { code: undefined, message: 'no body' }],
    ['an empty body', '', { code: undefined, message: 'no body' }],
    ['an HTML page', '<html>denied</html>', { code: undefined, message: 'an HTML or XML page of 19 characters' }],
    ['text', 'denied', { code: undefined, message: '6 characters that are not JSON (cut short?)' }],
    ['a list', ['x'], { code: undefined, message: 'a list' }],
    ['a number', 42, { code: undefined, message: 'number' }],
  ])('keeps of %s only what may be shown', (_, body, kept) => {
    // Act
    const found = streamErrorBody(body, NOTHING);

    // Assess
    expect(found).toEqual(kept);
  });
});

describe('stream answers: untrusted text, reduced', () => {
  it('puts it on one line: line breaks and tabs become one space, control characters go, runs of spaces are one', () => {
    // Act
    const line = reduced('  first\r\n\tsecond\u2028third\u0007\u001b[2K   fourth  ', NOTHING, 100);

    // Assess
    expect(line).toBe('first second third[2K fourth');
  });

  it(`cuts it after ${STREAM_MESSAGE_LIMIT} characters, and says so with an ellipsis`, () => {
    // Act
    const exact = reduced('x'.repeat(STREAM_MESSAGE_LIMIT), NOTHING, STREAM_MESSAGE_LIMIT);
    const longer = reduced('x'.repeat(STREAM_MESSAGE_LIMIT + 1), NOTHING, STREAM_MESSAGE_LIMIT);

    // Assess
    expect(exact).toBe('x'.repeat(STREAM_MESSAGE_LIMIT));
    expect(longer).toBe(`${'x'.repeat(STREAM_MESSAGE_LIMIT)}…`);
  });

  it('masks every hidden value, the longest first, so that a shorter one inside it cannot leave the rest', () => {
    // Act
    const line = reduced('quoting token-abcdef-long and token', new Set(['token', 'token-abcdef-long']), 100);

    // Assess
    expect(line).toBe('quoting **** and ****');
  });
});

describe("stream answers: the values of another team's hook", () => {
  it('are every string and number at any depth, of 6 characters or more, but its id, type and state', () => {
    // Prepare
    const hook = {
      id: 'wh-identifier',
      hook_type: 'webhook-type',
      enabled: true,
      webhook_url: 'https://example.org/hook',
      timeout_ms: 123456,
      short: 'abcde',
      six: 'abcdef',
      headers: { Authorization: 'Basic dXNlcjpwYXNz' },
      list: [{ deep: 'deep-value' }, 'listed-value'],
      multi: 'line\none',
    } as unknown as EventHook;

    // Act
    const values = valuesOf(hook);

    // Assess
    expect(values).toEqual(
      expect.arrayContaining([
        'https://example.org/hook',
        '123456',
        'abcdef',
        'Basic dXNlcjpwYXNz',
        'deep-value',
        'listed-value',
        'line\none',
        'line one',
      ]),
    );
    expect(values).not.toContain('abcde');
    expect(values.filter((value) => /wh-identifier|webhook-type/.test(value))).toEqual([]);
  });

  it('are exactly its values, a big integer included, and nothing else, so that no ordinary word is masked', () => {
    // Prepare
    const hook = { id: 'wh-1', hook_type: 'webhook', enabled: true, url: 'https://a.example/x', size: 12345678901234567890n };

    // Act
    const values = valuesOf(hook as unknown as EventHook);

    // Assess
    expect(values).toEqual(['https://a.example/x', 'https://a.example/x', '12345678901234567890', '12345678901234567890']);
  });
});

describe('stream answers: the app and the SNS check', () => {
  it('reads hooks whose ids all differ, and an app without `event_hooks` as an app without hooks', () => {
    // Act
    const hooks = hooksOfApp(
      {
        app: {
          event_hooks: [
            { id: 'a', hook_type: 'sns' },
            { id: 'b', hook_type: 'sqs' },
          ],
        },
      },
      'u',
    );
    const none = hooksOfApp({ app: {} }, 'u');

    // Assess
    expect(hooks.map((hook) => hook.id)).toEqual(['a', 'b']);
    expect(none).toEqual([]);
  });

  it.each([
    ['a list', [], 'it is an object without `app`'],
    ['an app that is a list', { app: [] }, 'it is an object without `app`'],
    ['hooks that are text', { app: { event_hooks: 'x' } }, '`app.event_hooks` is string, not a list'],
    [
      'two hooks under one id, named on one line',
      {
        app: {
          event_hooks: [
            { id: 'a\nb', hook_type: 'sns' },
            { id: 'a\nb', hook_type: 'sqs' },
          ],
        },
      },
      'two hooks share the id a b, so',
    ],
  ])('refuses %s', (_, answer, says) => {
    // Act
    const refuse = () => hooksOfApp(answer, 'https://stream.example/app');

    // Assess
    expect(refuse).toThrow(StreamAnswerError);
    expect(refuse).toThrow(says);
  });

  it("reduces the check's status and error as it reduces messages, and leaves out an empty error", () => {
    // Act
    const failed = snsCheckResultOf({ status: 'error\u001b[1A', error: 'denied for\nsecret-value-1' }, 'u', new Set(['secret-value-1']));
    const ok = snsCheckResultOf({ status: 'ok', error: '' }, 'u', NOTHING);

    // Assess
    expect(failed).toEqual({ status: 'error[1A', error: 'denied for ****' });
    expect(ok).toEqual({ status: 'ok' });
  });
});

describe('stream answers: the list of hook event types (GET /hook/events)', () => {
  it('keeps the names of the chat and moderation products, and of none named, sorted and each once', () => {
    // Prepare
    const answer = {
      events: [
        { name: 'message.new', description: '', products: ['chat'] },
        { name: 'review_queue_item.new', description: '', products: ['moderation'] },
        { name: 'call.started', description: '', products: ['video'] },
        { name: 'a.type.without.products', description: '' },
        { name: 'message.new', description: '', products: ['chat', 'video'] },
      ],
      duration: '1ms',
    };

    // Act
    const types = hookEventTypesOf(answer, 'https://chat.example/hook/events');

    // Assess
    expect(types).toEqual(['a.type.without.products', 'message.new', 'review_queue_item.new']);
  });

  it('keeps a type with an empty list of products, and one of chat and another product', () => {
    // Prepare
    const answer = {
      events: [
        { name: 'user.updated', products: [] },
        { name: 'channel.updated', products: ['video', 'chat'] },
        { name: 'call.ended', products: ['video'] },
      ],
    };

    // Act
    const types = hookEventTypesOf(answer, 'https://chat.example/hook/events');

    // Assess
    expect(types).toEqual(['channel.updated', 'user.updated']);
  });

  it.each([
    ['no list', {}, /an object without a list `events`/],
    ['a string', 'oops', /a list of hook events/],
    ['an event without a name', { events: [{ description: 'x' }] }, /event 1 has no string `name`/],
    ['an event whose name is empty', { events: [{ name: 'message.new' }, { name: '' }] }, /event 2 has no string `name`/],
    ['null', null, /is not a list of hook events: it is null\./],
    ['an HTML page', '<html>Sign in</html>', /it is an HTML or XML page of 20 characters\./],
  ])('refuses an answer with %s', (_, answer, message) => {
    // Act and assess
    expect(() => hookEventTypesOf(answer, 'https://chat.example/hook/events')).toThrow(StreamAnswerError);
    expect(() => hookEventTypesOf(answer, 'https://chat.example/hook/events')).toThrow(message);
  });

  it('reads use_hook_v2 as the app answers it, and nothing when it is not there', () => {
    // Act and assess
    expect([true, false, 'yes'].map((flag) => useHookV2Of({ app: { use_hook_v2: flag } }))).toEqual([true, false, 'yes']);
    expect(useHookV2Of({ app: {} })).toBeUndefined();
    expect(useHookV2Of(null)).toBeUndefined();
    expect(useHookV2Of({ app: null })).toBeUndefined();
  });
});
