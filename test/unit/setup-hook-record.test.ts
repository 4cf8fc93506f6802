/**
 * The custom resource's record of what it created and adopted, carried in its physical id: read back exactly as
 * written, an older version's id read as the hook with the topic's id, and anything else (a failed Create, a
 * garbled or altered id) read as no record, so that a Delete removes nothing it cannot prove the stack made.
 */
import { describe, expect, it } from 'vitest';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import {
  dataOf,
  fitsPhysicalId,
  type HookRecord,
  PHYSICAL_ID_LIMIT_BYTES,
  physicalIdOf,
  recordedAdoptions,
  recordOf,
} from '../../functions/setup/hook-record.js';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const record: HookRecord = {
  topicArn: TOPIC,
  created: [hookIdFor(TOPIC)],
  adopted: [{ id: 'made-by-hand', before: { enabled: false, event_types: ['message.new'], sns_auth_type: 'resource' } }],
};
const encoded = (value: unknown) => `stream-hooks:v1:${Buffer.from(JSON.stringify(value)).toString('base64url')}`;

describe('hook record', () => {
  it('is read back from its physical id exactly as written', () => {
    // Act
    const id = physicalIdOf(record);

    // Assess
    expect(id).toMatch(/^stream-hooks:v1:[A-Za-z0-9_-]+$/);
    expect(recordOf(id)).toEqual(record);
  });

  it("reads an older version's physical id as the hook with the topic's id, and nothing adopted", () => {
    // Act
    const legacy = recordOf(`stream-sns-hook:${TOPIC}`);

    // Assess
    expect(legacy).toEqual({ topicArn: TOPIC, created: [hookIdFor(TOPIC)], adopted: [] });
  });

  it.each([
    ['no physical id', undefined],
    ['the id of a Create that wrote nothing', 'StreamHook-not-created'],
    ["an older version's id without an ARN", 'stream-sns-hook:not-an-arn'],
    ['another version', 'stream-hooks:v2:e30'],
    ['base64url that is not JSON', 'stream-hooks:v1:bm90IGpzb24'],
    ['JSON that is not an object', encoded(null)],
    ['no topic', encoded({ created: [], adopted: [] })],
    ['a topic that is not text', encoded({ topicArn: 7, created: [], adopted: [] })],
    ['created that is not a list', encoded({ topicArn: TOPIC, created: 'id', adopted: [] })],
    ['a created id that is not text', encoded({ topicArn: TOPIC, created: [1], adopted: [] })],
    ['adopted that is not a list', encoded({ topicArn: TOPIC, created: [], adopted: {} })],
    ['an adopted hook of null', encoded({ topicArn: TOPIC, created: [], adopted: [null] })],
    ['an adopted hook without an id', encoded({ topicArn: TOPIC, created: [], adopted: [{ before: {} }] })],
    ['an adopted hook without what it held', encoded({ topicArn: TOPIC, created: [], adopted: [{ id: 'x' }] })],
    ['an adopted hook whose settings are null', encoded({ topicArn: TOPIC, created: [], adopted: [{ id: 'x', before: null }] })],
  ])('reads %s as no record', (_, physicalResourceId) => {
    // Act
    const read = recordOf(physicalResourceId);

    // Assess
    expect(read).toBeUndefined();
  });

  it('fits a physical id up to 1 KB exactly, and not one byte more', () => {
    // Prepare: a record whose id is exactly the limit, found by growing one event type.
    const grown = (length: number): HookRecord => ({
      topicArn: TOPIC,
      created: [],
      adopted: [{ id: 'x', before: { event_types: ['t'.repeat(length)] } }],
    });
    let length = 1;
    while (Buffer.byteLength(physicalIdOf(grown(length))) < PHYSICAL_ID_LIMIT_BYTES) length += 1;

    // Act
    const atLimit = fitsPhysicalId(grown(length));
    const beyond = fitsPhysicalId(grown(length + 1));

    // Assess
    expect(Buffer.byteLength(physicalIdOf(grown(length)))).toBe(PHYSICAL_ID_LIMIT_BYTES);
    expect(atLimit).toBe(true);
    expect(beyond).toBe(false);
  });

  it('records the settings of an adopted hook the plan changes, and none of one it leaves as it is', () => {
    // Prepare
    const before = { enabled: false, event_types: ['message.new'] };
    const plan = {
      adopted: [
        { id: 'changed-hook', before },
        { id: 'untouched-hook', before: { enabled: true, event_types: [] } },
      ],
      changes: [{ id: 'changed-hook', enabled: true }],
    };

    // Act
    const adoptions = recordedAdoptions(plan);

    // Assess: a Delete then leaves the untouched hook as the deploy found it.
    expect(adoptions).toEqual([
      { id: 'changed-hook', before },
      { id: 'untouched-hook', before: {} },
    ]);
  });

  it('says in its Data, in words, the topic and the ids created and adopted', () => {
    // Act
    const data = dataOf({ ...record, created: ['a', 'b'], adopted: [...record.adopted, { id: 'c', before: {} }] });

    // Assess
    expect(data).toEqual({ TopicArn: TOPIC, Created: 'a,b', Adopted: 'made-by-hand,c' });
  });
});
