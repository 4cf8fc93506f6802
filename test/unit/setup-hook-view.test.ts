/**
 * What of a hook the setup shows: another team's hook by id, type and state only, whatever it holds; ours with the
 * fields the setup writes, the SNS key cut to four characters and the secret never shown; every string on one line.
 */
import type { EventHook } from 'stream-chat';
import { describe, expect, it } from 'vitest';
import { viewOf } from '../../functions/setup/hook-view.js';

const OURS = new Set(['ours']);
const ours = (fields: Partial<EventHook> = {}): EventHook => ({
  id: 'ours',
  hook_type: 'sns',
  enabled: true,
  event_types: ['message.new'],
  sns_topic_arn: 'arn:aws:sns:eu-west-1:111122223333:t',
  sns_region: 'eu-west-1',
  sns_auth_type: 'resource',
  ...fields,
});

describe('hook view', () => {
  it("shows another team's hook as its id, type and state, nothing else", () => {
    // Act
    const view = viewOf(
      {
        id: 'theirs',
        hook_type: 'webhook',
        enabled: false,
        webhook_url: 'https://x:y@example.org',
        sqs_key: 'AKIA1234567890',
      } as EventHook,
      OURS,
    );

    // Assess
    expect(view).toEqual({ id: 'theirs', hook_type: 'webhook', enabled: false });
  });

  it('shows a state that is not a boolean as null, and text on one line without control characters', () => {
    // Act
    const view = viewOf({ id: 'a\nb\u001b[2K', hook_type: 'web\rhook', enabled: 'yes' } as unknown as EventHook, OURS);

    // Assess
    expect(view).toEqual({ id: 'a b[2K', hook_type: 'web hook', enabled: null });
  });

  it('shows our resource-auth hook with the fields the setup writes, and no key or secret', () => {
    // Act
    const view = viewOf(ours({ should_send_custom_events: true, created_at: '2026-01-01T00:00:00Z' }), OURS);

    // Assess
    expect(view).toEqual({
      id: 'ours',
      hook_type: 'sns',
      enabled: true,
      event_types: ['message.new'],
      sns_topic_arn: 'arn:aws:sns:eu-west-1:111122223333:t',
      sns_region: 'eu-west-1',
      sns_auth_type: 'resource',
      should_send_custom_events: true,
    });
  });

  it('shows our keys-auth hook with its key cut to four characters and its secret as ****', () => {
    // Act
    const view = viewOf(ours({ sns_auth_type: 'keys', sns_key: 'AKIAPUBLISHER9X2', sns_secret: 'publisher-secret' }), OURS);

    // Assess
    expect(view).toMatchObject({ sns_auth_type: 'keys', sns_key: 'AKIA****', sns_secret: '****' });
  });

  it('shows no key or secret when Stream holds them empty, and leaves out fields our hook does not have', () => {
    // Act
    const view = viewOf({ id: 'ours', hook_type: 'sns', enabled: true, sns_key: '', sns_secret: '' } as EventHook, OURS);

    // Assess
    expect(view).toEqual({ id: 'ours', hook_type: 'sns', enabled: true });
  });
});
