/**
 * Where the deployed setup function finds its secrets: the Stream API key and secret in SSM Parameter Store, and for
 * keys auth the SNS publisher's access key in Secrets Manager. The real AWS SDK clients talk to a local stand-in of
 * both services (their endpoint set as the SDK reads it, AWS_ENDPOINT_URL_<SERVICE>), and the function to the Stream
 * stand-in: what is read ends up in Stream's app, what cannot be read is said with the name to fix.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../emulator/index.js';
import { snsKeysFromSecret, streamCredentialsFromSsm } from '../../functions/setup/credentials.js';
import { createSetupHandler } from '../../functions/setup/handler.js';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import { type ResponseUrl, startResponseUrl, streamHookRequest } from '../support/custom-resource.js';
import { type FakeSecretStores, startFakeSecretStores } from '../support/fake-secret-stores.js';
import { type FakeStream, startFakeStream } from '../support/fake-stream.js';

const API_KEY = 'ssm-api-key-58c2';
const API_SECRET = 'ssm-api-secret-0f3b9d';
const KEY_PARAMETER = '/stream-chat-events/dev/stream-api-key';
const SECRET_PARAMETER = '/stream-chat-events/dev/stream-api-secret';
const PUBLISHER_SECRET = 'stream-chat-events-dev/sns-publisher';
const SNS_KEY = 'AKIAPUBLISHERSM4K';
const SNS_SECRET = 'publisher-secret-from-sm-7e21c0';
const TOPIC_NAME = 'stream-chat-events-dev-events';
const TOPIC = `arn:aws:sns:us-east-1:111122223333:${TOPIC_NAME}`;

let stores: FakeSecretStores;
let stream: FakeStream;
let responses: ResponseUrl;

// The SDK clients are built once per module and resolve their endpoint on their first call: one stand-in per file.
beforeAll(async () => {
  stores = await startFakeSecretStores();
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', stores.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', stores.endpoint);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await stores.close();
});
beforeEach(async () => {
  stores.parameters.clear();
  stores.secrets.clear();
  stores.deletedSecrets.clear();
  stores.actions.length = 0;
  stores.parameters.set(KEY_PARAMETER, API_KEY);
  stores.parameters.set(SECRET_PARAMETER, API_SECRET);
  stores.secrets.set(PUBLISHER_SECRET, JSON.stringify({ sns_key: SNS_KEY, sns_secret: SNS_SECRET }));
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });
  responses = await startResponseUrl();
});
afterEach(async () => {
  await stream.close();
  await responses.close();
});

describe('setup credentials: the Stream API key and secret from SSM Parameter Store', () => {
  it('reads both SecureString parameters decrypted', async () => {
    // Act
    const credentials = await streamCredentialsFromSsm(KEY_PARAMETER, SECRET_PARAMETER);

    // Assess
    expect(credentials).toEqual({ apiKey: API_KEY, apiSecret: API_SECRET });
  });

  it('reads them when SSM fails twice with a 500 before answering', async () => {
    // Prepare
    const getParameter = (request: { headers: Record<string, unknown> }) => request.headers['x-amz-target'] === 'AmazonSSM.GetParameter';
    stores.failNext.push({ when: getParameter, status: 500, applied: false }, { when: getParameter, status: 500, applied: false });

    // Act
    const credentials = await streamCredentialsFromSsm(KEY_PARAMETER, SECRET_PARAMETER);

    // Assess
    expect(credentials).toEqual({ apiKey: API_KEY, apiSecret: API_SECRET });
  });

  it('names a missing parameter and the command that creates it', async () => {
    // Prepare
    stores.parameters.delete(SECRET_PARAMETER);

    // Act
    const failure = await streamCredentialsFromSsm(KEY_PARAMETER, SECRET_PARAMETER).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'SetupConfigurationError' });
    expect((failure as Error).message).toContain(`cannot read the SSM parameter ${SECRET_PARAMETER} (ParameterNotFound`);
    expect((failure as Error).message).toContain(`aws ssm put-parameter --type SecureString --name ${SECRET_PARAMETER} --value <value>`);
  });

  it('says a parameter is empty when SSM answers it without a value', async () => {
    // Prepare: SSM stores no empty value; an answer without one is not what was asked for.
    stores.parameters.set(KEY_PARAMETER, '');

    // Act
    const failure = await streamCredentialsFromSsm(KEY_PARAMETER, SECRET_PARAMETER).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'SetupConfigurationError' });
    expect((failure as Error).message).toContain(`cannot read the SSM parameter ${KEY_PARAMETER} (it is empty). Create it with`);
  });
});

describe('setup credentials: the SNS publisher key from Secrets Manager', () => {
  it('reads sns_key and sns_secret from the secret the stack created', async () => {
    // Act
    const keys = await snsKeysFromSecret(PUBLISHER_SECRET);

    // Assess
    expect(keys).toEqual({ snsKey: SNS_KEY, snsSecret: SNS_SECRET });
  });

  it('names the secret and the two keys it must hold when sns_secret is missing', async () => {
    // Prepare
    stores.secrets.set(PUBLISHER_SECRET, JSON.stringify({ sns_key: SNS_KEY }));

    // Act
    const failure = await snsKeysFromSecret(PUBLISHER_SECRET).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'SetupConfigurationError' });
    expect((failure as Error).message).toBe(
      `cannot read the SNS publisher key from secret ${PUBLISHER_SECRET} (it has no sns_key and sns_secret)`,
    );
  });

  it('says a secret edited to something other than JSON is not JSON, without quoting any of it', async () => {
    // Prepare: someone pasted the bare secret access key; JSON.parse's own message would quote its first characters.
    const bareSecretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    stores.secrets.set(PUBLISHER_SECRET, bareSecretAccessKey);

    // Act
    const failure = await snsKeysFromSecret(PUBLISHER_SECRET).catch((error: unknown) => error);

    // Assess
    expect((failure as Error).message).toBe(`cannot read the SNS publisher key from secret ${PUBLISHER_SECRET} (it is not JSON)`);
    // Powertools' JSON transform fails with JSON.parse's message, which quotes the text: no piece of it may come out.
    for (let at = 0; at + 4 <= bareSecretAccessKey.length; at += 1)
      expect((failure as Error).message).not.toContain(bareSecretAccessKey.slice(at, at + 4));
  });
});

describe('setup function as deployed: its credentials from SSM and Secrets Manager', () => {
  beforeEach(() => {
    vi.stubEnv('STREAM_API_KEY_PARAMETER', KEY_PARAMETER);
    vi.stubEnv('STREAM_API_SECRET_PARAMETER', SECRET_PARAMETER);
    vi.stubEnv('SNS_PUBLISHER_SECRET', PUBLISHER_SECRET);
    vi.stubEnv('STREAM_TOPIC_NAME', TOPIC_NAME);
    vi.stubEnv('STREAM_ROUTING', 'single-topic');
  });

  /** The deployed handler, talking to the Stream stand-in instead of Stream's API. */
  const deployedHandler = () => createSetupHandler({ options: { baseUrl: stream.baseUrl, retryBaseDelayMs: 10 } });
  const request = (type: 'Create' | 'Delete', authType: string) =>
    streamHookRequest(type, {
      responseUrl: responses.url,
      properties: { TopicArn: TOPIC, AuthType: authType, EventTypes: '', Routing: 'single-topic' },
      physicalResourceId: type === 'Create' ? undefined : `stream-sns-hook:${TOPIC}`,
    });

  it('a keys-auth Create registers the hook with the publisher key of the secret, and Stream checks with it', async () => {
    // Act
    await deployedHandler()(request('Create', 'keys'), lambdaContext());

    // Assess
    expect(responses.answers.map((answer) => answer.Status)).toEqual(['SUCCESS']);
    expect(stream.hooks).toEqual([
      expect.objectContaining({ sns_topic_arn: TOPIC, sns_auth_type: 'keys', sns_key: SNS_KEY, sns_secret: SNS_SECRET }),
    ]);
    const check = stream.requests.find((call) => call.path === '/check_sns');
    expect(check?.body).toMatchObject({ sns_topic_arn: TOPIC, sns_key: SNS_KEY, sns_secret: SNS_SECRET });
  });

  it('a resource-auth Create needs no publisher secret (the stack creates none)', async () => {
    // Prepare
    stores.secrets.clear();

    // Act
    await deployedHandler()(request('Create', 'resource'), lambdaContext());

    // Assess
    expect(responses.answers.map((answer) => answer.Status)).toEqual(['SUCCESS']);
    expect(stream.hooks).toEqual([expect.not.objectContaining({ sns_key: expect.anything() })]);
    expect(stores.actions).not.toContain('GetSecretValue');
  });

  it('the Delete of a keys-auth hook removes it although the stack already deleted the publisher secret', async () => {
    // Prepare: the secret and the hook have no dependency, so CloudFormation may delete the secret first.
    await deployedHandler()(request('Create', 'keys'), lambdaContext());
    stores.deletedSecrets.add(PUBLISHER_SECRET);

    // Act
    await deployedHandler()(request('Delete', 'keys'), lambdaContext());

    // Assess
    expect(responses.answers.map((answer) => [answer.Status, answer.Reason])).toEqual([
      ['SUCCESS', 'done'],
      ['SUCCESS', `removed: ${hookIdFor(TOPIC)}; put back: none`],
    ]);
    expect(stream.hooks).toEqual([]);
  });

  it('an on-demand apply fails with the parameter to create when the API secret parameter is missing', async () => {
    // Prepare
    stores.parameters.delete(SECRET_PARAMETER);

    // Act
    const failure = await deployedHandler()({}, lambdaContext()).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'SetupConfigurationError', message: expect.stringContaining(`--name ${SECRET_PARAMETER}`) });
    expect(stream.requests).toEqual([]);
  });
});
