/**
 * No credential leaves the setup, whatever Stream answers: through the command (text and --json) and through the
 * setup function (its real Powertools log lines, its on-demand error, its answers to CloudFormation). The stand-in
 * echoes the request (the Authorization token, the SNS secret) raw, split across lines, escaped or encoded, answers
 * credentials the setup never sent, holds other teams' hooks with credentials under any name at any depth, and
 * puts control characters in what it says.
 *
 * Leaks are found by test/support/secret-forms.ts, which computes the forms of each secret itself and never calls
 * the setup's scrubber.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { fc } from '@fast-check/vitest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../emulator/index.js';
import { createSetupHandler } from '../../functions/setup/handler.js';
import { stackHookIds } from '../../functions/setup/hook-plan.js';
import { type ResponseUrl, startResponseUrl, streamHookRequest } from '../support/custom-resource.js';
import {
  CREDENTIALS_OF_OTHERS,
  type FakeStream,
  type FakeStreamHook,
  HOOKS_OF_OTHERS,
  type PlannedFault,
  StreamFault,
  startFakeStream,
} from '../support/fake-stream.js';
import { leaksIn } from '../support/secret-forms.js';
import { runSetupCommand } from '../support/setup-cli.js';

const API_KEY = 'noleak-api-key-6a3f';
const API_SECRET = 'noleak-api-secret-e2d917';
const SNS_KEY = 'AKIANOLEAKPUB7Q3X9Z2';
const SNS_SECRET = 'noleak-sns-secret-9c04ab';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';

/** Other teams' hooks with credentials where a masking by field names does not look (case 3). */
const HOOKS_WITH_HIDDEN_CREDENTIALS: FakeStreamHook[] = [
  {
    id: 'wh-nested',
    hook_type: 'webhook',
    enabled: true,
    webhook_url: 'https://tok3nsubdomainabcdefgh.hooks.example.net/services/TABCDEFGHIJ/BKLMNOPQRS/abcdefghijklmnopqrstuvwx',
    headers: { Authorization: 'Basic b3BzOmh1bnRlcjItbmVzdGVk', 'X-Api-Key': 'xapikey-value-8812' },
    auth_header: 'auth-header-value-5521',
    passphrase: 'correct horse battery staple',
    apiKey: 'apikey-value-9931',
    config: [{ client_secret: 'nested-array-secret-4410' }, { deeper: { token_value: 'deep-token-value-7731' } }],
    numeric_secret: 123456789012,
    flag_secret: true,
    null_secret: null,
  },
];
const HIDDEN_CREDENTIALS = [
  'tok3nsubdomainabcdefgh',
  'abcdefghijklmnopqrstuvwx',
  'TABCDEFGHIJ',
  'b3BzOmh1bnRlcjItbmVzdGVk',
  'xapikey-value-8812',
  'auth-header-value-5521',
  'correct horse battery staple',
  'apikey-value-9931',
  'nested-array-secret-4410',
  'deep-token-value-7731',
  '123456789012',
];

let stream: FakeStream;
let responses: ResponseUrl;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET, hooks: [...HOOKS_OF_OTHERS, ...HOOKS_WITH_HIDDEN_CREDENTIALS] });
  responses = await startResponseUrl();
  vi.stubEnv('STREAM_TOPIC_NAME', 'stream-chat-events-dev-events');
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await stream.close();
  await responses.close();
});

const env = () => ({ STREAM_API_KEY: API_KEY, STREAM_API_SECRET: API_SECRET, SNS_KEY, SNS_SECRET, STREAM_BASE_URL: stream.baseUrl });
const topic = ['--topic-arn', TOPIC];
/** The token the SDK signed with our secret, as the stand-in received it. */
const token = () => String(stream.requests.find((request) => request.headers.authorization)?.headers.authorization);
/** Every secret of ours in play, the token included, and the keys beyond their first four characters. */
const ours = () => [API_SECRET, SNS_SECRET, SNS_KEY, token(), API_KEY.slice(4), SNS_KEY.slice(4)];
const leaks = (output: string, secrets: readonly string[]) =>
  leaksIn(
    output,
    secrets.filter((secret) => secret !== 'undefined'),
  );

/** Runs `act` while collecting what the process writes to stdout and stderr (where Powertools Logger writes). */
async function captureOutput(act: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const keep = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  try {
    await act();
  } finally {
    vi.restoreAllMocks();
  }
  return written.join('');
}

function deployedHandler() {
  return createSetupHandler({
    streamCredentials: async () => ({ apiKey: API_KEY, apiSecret: API_SECRET }),
    snsKeys: async () => ({ snsKey: SNS_KEY, snsSecret: SNS_SECRET }),
    options: { baseUrl: stream.baseUrl, retryBaseDelayMs: 1, attempts: 2 },
    logger: new Logger({ serviceName: 'stream-chat-events', logLevel: 'INFO' }),
    onWait: () => undefined,
  });
}

/** Everything the command and the function give out while Stream plays `fault`: printed, logged, answered. */
async function everythingOut(fault: Omit<PlannedFault, 'route'>, routes: string[]): Promise<string> {
  const outputs: string[] = [];
  for (const args of [
    [...topic, '--auth', 'keys'],
    [...topic, '--auth', 'keys', '--json'],
    [...topic, '--remove'],
  ]) {
    for (const route of routes) stream.faults.push({ ...fault, route });
    const run = await runSetupCommand(args, env());
    outputs.push(run.stdout, run.stderr);
  }
  const handler = deployedHandler();
  const logged = await captureOutput(async () => {
    for (const type of ['Create', 'Delete'] as const) {
      for (const route of routes) stream.faults.push({ ...fault, route });
      await handler(
        streamHookRequest(type, {
          responseUrl: responses.url,
          properties: { TopicArn: TOPIC, AuthType: 'keys', EventTypes: '', Routing: 'single-topic' },
          physicalResourceId: type === 'Delete' ? `stream-sns-hook:${TOPIC}` : undefined,
        }),
        lambdaContext(),
      );
    }
    for (const route of routes) stream.faults.push({ ...fault, route });
    vi.stubEnv('STREAM_SNS_AUTH', 'keys');
    outputs.push(String(await handler({}, lambdaContext()).catch((error: Error) => `${error.name}: ${error.message}`)));
  });
  outputs.push(logged, JSON.stringify(responses.answers));
  return outputs.join('\n');
}

describe('setup no leak: our own token and secrets (case 1)', () => {
  it.each([
    ['a 400 to the write', 400, ['PATCH /app']],
    ['a 401 to the read', 401, ['GET /app']],
  ])(
    'case 1: %s that echoes the request, headers and body, leaves no form of the token or a secret anywhere',
    async (_, status, routes) => {
      // Act
      const out = await everythingOut({ fault: StreamFault.Echo, status }, routes);

      // Assess
      expect(token()).toMatch(/^eyJ/);
      expect(out).toMatch(/HTTP 40[01]/);
      expect(leaks(out, ours())).toEqual([]);
    },
  );
});

describe('setup no leak: secrets in every encoding, and credentials the setup never sent (case 2)', () => {
  const split = (lineBreak: string) => (echo: string) => echo.replace(/(.{5})/g, `$1${lineBreak}`);
  it.each([
    ['split across lines by \\n', split('\n')],
    ['split across lines by \\r\\n', split('\r\n')],
    ['split across lines by \\r', split('\r')],
    ['split across lines by U+2028', split('\u2028')],
    ['JSON-escaped inside the echo', (echo: string) => JSON.stringify(echo)],
    ['JSON-escaped and split', (echo: string) => JSON.stringify(split('\n')(echo))],
    ['URL-encoded', (echo: string) => encodeURIComponent(echo)],
    [
      'base64url of each of its parts',
      (echo: string) =>
        echo
          .split(/[",:{}]/)
          .map((part) => Buffer.from(part).toString('base64url'))
          .join(' '),
    ],
  ])('case 2: an echo %s shows no form of our secrets', async (_, transform) => {
    // Act
    const out = await everythingOut({ fault: StreamFault.Echo, transform }, ['PATCH /app']);

    // Assess
    expect(out).toMatch(/HTTP 400/);
    expect(leaks(out, ours())).toEqual([]);
  });

  it('case 2: a JWT, a bearer token and an AWS key pair that the setup did not send are not shown', async () => {
    // Prepare: credentials of someone else's, generated here.
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const foreignJwt = `${header}.${Buffer.from(`{"sub":"${Math.random()}"}`).toString('base64url')}.c2lnbmF0dXJlLWZvcmVpZ24tMTIz`;
    const bearer = `brr${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    const accessKeyId = `AKIA${'Q7WERTYUIOPASDFG'}`;
    const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const message = `denied for ${foreignJwt} (Authorization: Bearer ${bearer}); aws_access_key_id=${accessKeyId} aws_secret_access_key=${secretAccessKey}`;
    const body = JSON.stringify({ code: 17, message, StatusCode: 400 });

    // Act
    const out = await everythingOut({ fault: StreamFault.Answer, status: 400, body }, ['PATCH /app']);

    // Assess
    expect(out).toMatch(/Stream error 17: denied for/);
    for (const credential of [foreignJwt, bearer, accessKeyId.slice(4), secretAccessKey, JSON.stringify(secretAccessKey).slice(1, -1)])
      expect(out).not.toContain(credential);
  });
});

describe("setup no leak: other teams' hooks are shown by id, type and state only (case 3)", () => {
  it("case 3: apply, apply with keys, dry-run and remove, in text and --json, and the function's log lines, show none of their credentials", async () => {
    // Act
    const runs = [
      await runSetupCommand([...topic], env()),
      await runSetupCommand([...topic, '--auth', 'keys', '--json'], env()),
      await runSetupCommand([...topic, '--auth', 'keys', '--event-types', 'message.new', '--dry-run'], env()),
      await runSetupCommand([...topic, '--dry-run', '--json'], env()),
      await runSetupCommand([...topic, '--remove'], env()),
    ];
    const logged = await captureOutput(async () => {
      await deployedHandler()(
        streamHookRequest('Create', {
          responseUrl: responses.url,
          properties: { TopicArn: TOPIC, AuthType: 'keys', EventTypes: '', Routing: 'single-topic' },
        }),
        lambdaContext(),
      );
      await deployedHandler()({ action: 'dry-run' }, lambdaContext());
    });

    // Assess
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0, 0]);
    const printed = [...runs.map((run) => run.stdout + run.stderr), logged, JSON.stringify(responses.answers)].join('\n');
    expect(leaks(printed, [...CREDENTIALS_OF_OTHERS, ...HIDDEN_CREDENTIALS])).toEqual([]);
    const shown = JSON.parse(runs[3]!.stdout).hooksBefore.filter((hook: { id: string }) => !stackHookIds(TOPIC).includes(hook.id));
    expect(shown).toEqual(
      [...HOOKS_OF_OTHERS, ...HOOKS_WITH_HIDDEN_CREDENTIALS].map(({ id, hook_type, enabled }) => ({ id, hook_type, enabled })),
    );
    expect(JSON.stringify(stream.hooks.filter((hook) => hook.sns_topic_arn !== TOPIC))).toBe(
      JSON.stringify([...HOOKS_OF_OTHERS, ...HOOKS_WITH_HIDDEN_CREDENTIALS]),
    );
  });

  it("case 3: a Stream 400 that prints the app's hooks as bare values quotes none of their credentials", async () => {
    // Act
    const out = await everythingOut({ fault: StreamFault.QuotingApp }, ['PATCH /app']);

    // Assess
    expect(out).toMatch(/UpdateApp failed with error/);
    expect(leaks(out, [...CREDENTIALS_OF_OTHERS, ...HIDDEN_CREDENTIALS, ...ours()])).toEqual([]);
  });
});

describe('setup no leak: --json stays JSON (case 5)', () => {
  it('case 5: secret-like fields holding a boolean or null, and a secret that is also a word of the output, leave --json valid', async () => {
    // Prepare
    stream.hooks.push({ id: 'flags', hook_type: 'webhook', enabled: true, x_secret: true, auth_token: null, api_key: false });

    // Act
    const run = await runSetupCommand([...topic, '--auth', 'keys', '--json'], { ...env(), SNS_SECRET: 'enabled":true,"' });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });

  it('case 5: whatever the secrets and whatever other hooks hold under secret-like names, --json prints one valid JSON document', async () => {
    // Prepare: secrets that are also words of the output, and values that are not strings.
    const secretText = fc.oneof(
      fc.string({ minLength: 6, maxLength: 30 }),
      fc.constantFrom('hook_type', '"enabled":true', 'sns_auth_type', '\\"}]', 'resource'),
    );
    const value = fc.oneof(fc.boolean(), fc.constant(null), fc.integer(), fc.string(), fc.array(fc.string(), { maxLength: 2 }));

    await fc.assert(
      fc.asyncProperty(
        secretText,
        secretText,
        fc.dictionary(fc.constantFrom('x_secret', 'auth_token', 'api_key', 'password', 'Signature'), value),
        async (snsKey, snsSecret, fields) => {
          stream.hooks = [...structuredClone(HOOKS_OF_OTHERS), { id: 'generated', hook_type: 'webhook', enabled: true, ...fields }];

          // Act
          const run = await runSetupCommand([...topic, '--auth', 'keys', '--dry-run', '--json'], {
            ...env(),
            SNS_KEY: snsKey,
            SNS_SECRET: snsSecret,
          });

          // Assess
          expect(run.code, run.stderr).toBe(0);
          expect(() => JSON.parse(run.stdout)).not.toThrow();
          expect(JSON.parse(run.stdout).hooksBefore.at(-1)).toEqual({ id: 'generated', hook_type: 'webhook', enabled: true });
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('setup no leak: no control character reaches the output (case 16)', () => {
  // Every C0 control but the line feed, DEL, C1 controls, line separators, and the marks that reorder text.
  const CONTROLS = [
    ...Array.from({ length: 32 }, (_, code) => code).filter((code) => code !== 10),
    0x7f,
    0x85,
    0x9b,
    0x2028,
    0x2029,
    0x202e,
    0x2066,
  ].map((code) => String.fromCodePoint(code));
  const FORGED = `\r\u001b[2K\u001b[1Aapply ${TOPIC}: no change\u0007\nSNS check: ok\u2028${CONTROLS.join('')}`;

  it.each([
    [
      "in Stream's error message",
      () =>
        stream.faults.push({
          route: 'PATCH /app',
          fault: StreamFault.Answer,
          status: 400,
          body: JSON.stringify({ code: 4, message: FORGED }),
        }),
    ],
    ["in Stream's SNS check answer", () => (stream.checkAnswer = { status: 'error', error: FORGED })],
    ['in the ids and types of other hooks', () => stream.hooks.push({ id: `evil${FORGED}`, hook_type: `webhook${FORGED}`, enabled: true })],
    [
      "in the names of Stream's hook event types (a drift warning quotes them)",
      () => stream.hookEvents.push({ name: `evil.type${FORGED}`, description: FORGED, products: ['chat'] }),
    ],
  ])('case 16: control characters %s reach neither the terminal nor --json, and no line is forged', async (_, prepare) => {
    // Prepare
    prepare();
    const text = await runSetupCommand([...topic], env());
    prepare();
    const json = await runSetupCommand([...topic, '--json'], env());

    // Assess
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      for (const control of CONTROLS) expect(output.includes(control), `U+${control.codePointAt(0)?.toString(16)}`).toBe(false);
      expect(output).not.toMatch(/\\u00[01][0-9a-f]|\\u007f|\\u2028|\\u202e/i);
    }
    const lines = [...text.stdout.split('\n'), ...text.stderr.split('\n')];
    expect(lines.filter((line) => line.startsWith('apply ')).length).toBeLessThanOrEqual(1);
    expect(lines.filter((line) => line.startsWith('SNS check:')).length).toBeLessThanOrEqual(1);
    expect(text.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
  });
});
