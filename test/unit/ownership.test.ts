/**
 * The ownership rule with the topic a delivery came from (shared/ownership.ts): who keeps, runs or drops a delivery
 * on the events topic in each mode and on a category's own topic, and that poison always comes before `misrouted`.
 * The expectations are written out here, not derived from shared/routing.ts.
 */
import { describe, expect, it } from 'vitest';
import { snsLambdaEvent } from '../../emulator/index.js';
import { PoisonDeliveryError, RejectionReason } from '../../shared/errors.js';
import { type Arrival, type Ownership, ownerOf } from '../../shared/ownership.js';
import { droppedOnEventsTopic, ROUTING_DEFAULTS } from '../../shared/routing.js';

const EVENTS = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';
const onTopic = (json: string, topicArn = EVENTS) => snsLambdaEvent(json, { messageId: 'm-1', topicArn });

const singleTopic: Arrival = { topic: { kind: 'events' }, mode: 'single-topic', dropped: new Set() };
const catchAll: Arrival = { topic: { kind: 'events' }, mode: 'per-category', dropped: droppedOnEventsTopic(ROUTING_DEFAULTS) };
const noCatchAll: Arrival = {
  topic: { kind: 'events' },
  mode: 'per-category',
  dropped: droppedOnEventsTopic({ ...ROUTING_DEFAULTS, catchAll: false }),
};
const narrowed: Arrival = {
  topic: { kind: 'events' },
  mode: 'per-category',
  dropped: droppedOnEventsTopic({ ...ROUTING_DEFAULTS, streamEventTypes: ['message.new', 'reminder.created'] }),
};
const messagesTopic: Arrival = { topic: { kind: 'category', category: 'messages' }, mode: 'per-category', dropped: catchAll.dropped };

/** `<owner>:<what it does>`: run, keep:<reason>, or (for the others) drop. */
function verdict(ownership: Ownership): string {
  if (ownership.basis !== 'undecodable') return `${ownership.owner}:run`;
  const reason = ownership.failure instanceof PoisonDeliveryError ? ownership.failure.reason : 'error';
  return `${ownership.owner}:keep:${reason}`;
}

const MESSAGE_NEW = '{"type":"message.new","cid":"messaging:x"}';
const REMINDER = '{"type":"reminder.created"}';
const CUSTOM = '{"type":"my.custom"}';
const CONFLICTING = '{"type":"message.new","type":"user.banned"}';
const TOO_DEEP = `{"type":"message.new","x":${'['.repeat(100)}${']'.repeat(100)}}`;
const NOT_JSON = 'neither JSON nor base64';

describe('ownerOf on the events topic', () => {
  it('in single-topic mode, gives each delivery to the category of its first type, poison included', () => {
    // Act
    const verdicts = [MESSAGE_NEW, REMINDER, CUSTOM, CONFLICTING, NOT_JSON].map((json) => ownerOf(onTopic(json), singleTopic));

    // Assess: a peeked type is decided without decoding; poison goes to its first type's category, else to other.
    expect(verdicts.map((ownership) => ownership.owner)).toEqual(['messages', 'other', 'other', 'messages', 'other']);
    expect(verdicts[0]!.basis).toBe('peeked');
  });

  it('in per-category mode, lets other drop the types its hooks send elsewhere and keep every poison', () => {
    // Act
    const verdicts = [MESSAGE_NEW, REMINDER, CUSTOM, CONFLICTING, TOO_DEEP, NOT_JSON].map((json) =>
      verdict(ownerOf(onTopic(json), catchAll)),
    );

    // Assess
    expect(verdicts).toEqual([
      'messages:run',
      'other:run',
      'other:run',
      'other:keep:conflicting_type',
      'other:keep:too_deep',
      'other:keep:bad_base64',
    ]);
  });

  it('with catchAll false, drops nothing: a named type there is kept by other as misrouted', () => {
    // Act
    const verdicts = [MESSAGE_NEW, NOT_JSON, REMINDER].map((json) => verdict(ownerOf(onTopic(json), noCatchAll)));

    // Assess
    expect(verdicts).toEqual(['other:keep:misrouted', 'other:keep:bad_base64', 'other:run']);
  });

  it('names no topic in the misrouted detail of a delivery that has no TopicArn (a redrive, a direct invocation)', () => {
    // Prepare
    const lambdaEvent = onTopic(MESSAGE_NEW);
    delete (lambdaEvent.Records[0]!.Sns as { TopicArn?: string }).TopicArn;

    // Act
    const ownership = ownerOf(lambdaEvent, noCatchAll);

    // Assess
    const failure = (ownership as Extract<Ownership, { basis: 'undecodable' }>).failure as PoisonDeliveryError;
    expect(failure.message).toBe('misrouted: the event type "message.new" belongs to messages, not on topic ');
  });

  it('with narrowed event types, drops only the named types on the narrowed lists', () => {
    // Act
    const verdicts = [MESSAGE_NEW, '{"type":"message.updated"}', '{"type":"user.banned"}'].map((json) =>
      verdict(ownerOf(onTopic(json), narrowed)),
    );

    // Assess
    expect(verdicts).toEqual(['messages:run', 'other:keep:misrouted', 'other:keep:misrouted']);
  });
});

describe("ownerOf on a category's own topic", () => {
  const topicArn = `${EVENTS}-messages`;

  it('runs the category’s types and keeps every other type as misrouted, naming the type and the topic', () => {
    // Act
    const own = ownerOf(onTopic(MESSAGE_NEW, topicArn), messagesTopic);
    const foreign = ownerOf(onTopic('{"type":"user.banned"}', topicArn), messagesTopic);
    const custom = ownerOf(onTopic(CUSTOM, topicArn), messagesTopic);

    // Assess
    expect(verdict(own)).toBe('messages:run');
    expect(verdict(foreign)).toBe('messages:keep:misrouted');
    expect(verdict(custom)).toBe('messages:keep:misrouted');
    const failure = (foreign as Extract<Ownership, { basis: 'undecodable' }>).failure as PoisonDeliveryError;
    expect(failure.message).toContain('"user.banned" belongs to moderation');
    expect(failure.message).toContain('stream-chat-events-dev-events-messages');
    expect(failure.firstType).toBe('user.banned');
  });

  it('keeps poison with its own reason, conflicting_type before misrouted', () => {
    // Act
    const verdicts = ['{"type":"user.banned","type":"message.new"}', TOO_DEEP, NOT_JSON].map((json) =>
      verdict(ownerOf(onTopic(json, topicArn), messagesTopic)),
    );

    // Assess
    expect(verdicts).toEqual(['messages:keep:conflicting_type', 'messages:keep:too_deep', 'messages:keep:bad_base64']);
  });

  it('caps a long misrouted type in its detail', () => {
    // Act
    const long = ownerOf(onTopic(JSON.stringify({ type: `x${'y'.repeat(5_000)}` }), topicArn), messagesTopic);

    // Assess
    const failure = (long as Extract<Ownership, { basis: 'undecodable' }>).failure as PoisonDeliveryError;
    expect(failure.reason).toBe(RejectionReason.Misrouted);
    expect(failure.message.length).toBeLessThan(600);
  });
});
