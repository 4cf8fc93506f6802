/** A local stand-in of SNS's Query API (the protocol of @aws-sdk/client-sns) for Publish. */
import { randomUUID } from 'node:crypto';
import { type StandIn, startStandIn } from './http-stand-in.js';

export interface FakePublish {
  topicArn: string;
  message: string;
  subject: string | undefined;
}

export interface FakeSns extends StandIn {
  publishes: FakePublish[];
  /** Topics that exist; a publish to another answers NotFound, as SNS does. */
  topics: Set<string>;
}

const xml = (status: number, body: string) => ({ status, headers: { 'content-type': 'text/xml' }, body });
const error = (status: number, code: string, message: string) =>
  xml(
    status,
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );

export async function startFakeSns(): Promise<FakeSns> {
  const publishes: FakePublish[] = [];
  const topics = new Set<string>();
  const standIn = await startStandIn(
    ({ body }) => {
      const form = new URLSearchParams(body);
      if (form.get('Action') !== 'Publish') return error(400, 'InvalidAction', `not served: ${form.get('Action')}`);
      const topicArn = String(form.get('TopicArn'));
      if (!topics.has(topicArn)) return error(404, 'NotFound', 'Topic does not exist');
      publishes.push({ topicArn, message: String(form.get('Message')), subject: form.get('Subject') ?? undefined });
      return xml(
        200,
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    },
    (status) => error(status, 'InternalError', 'injected failure'),
  );
  return Object.assign(standIn, { publishes, topics });
}
