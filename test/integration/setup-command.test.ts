/**
 * `npm run setup` as a user types it, in-process through its `main(argv, io)`: where it sends the credentials
 * (--base-url first, never where the stream-chat SDK's own environment switches point, never plain HTTP off this
 * machine), and which misuse stops it with exit status 2 before any call.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SetupConfigurationError } from '../../functions/setup/errors.js';
import { runSetup } from '../../functions/setup/stream-hook.js';
import { type FakeStream, startFakeStream } from '../support/fake-stream.js';
import { runSetupCommand } from '../support/setup-cli.js';

const API_KEY = 'command-api-key-19ab';
const API_SECRET = 'command-api-secret-77c0e1';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';

let stream: FakeStream;
/** Where nothing should go: it accepts the same credentials, so a request sent there would succeed. */
let decoy: FakeStream;
beforeEach(async () => {
  stream = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });
  decoy = await startFakeStream({ apiKey: API_KEY, apiSecret: API_SECRET });
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await stream.close();
  await decoy.close();
});

const env = (more: Record<string, string> = {}) => ({ STREAM_API_KEY: API_KEY, STREAM_API_SECRET: API_SECRET, ...more });
const called = () => stream.requests.length + decoy.requests.length;

describe('setup command: where the calls go (case 13)', () => {
  it.each([
    ['STREAM_LOCAL_TEST_HOST', () => decoy.baseUrl.replace('http://', '')],
    ['STREAM_LOCAL_TEST_RUN', () => '1'],
  ])(
    'case 13: --base-url wins over %s, which the stream-chat SDK reads by itself, and the command says it is ignored',
    async (variable, value) => {
      // Prepare: the SDK reads the process's environment, whatever the command was given.
      vi.stubEnv(variable, value());

      // Act
      const run = await runSetupCommand(['--topic-arn', TOPIC, '--base-url', stream.baseUrl], env({ [variable]: value() }));

      // Assess
      expect(run.code, run.stderr).toBe(0);
      expect(decoy.requests).toEqual([]);
      // Per-category (the default): read, Stream's list of types, one write of every hook, the read-back, a check per topic.
      expect(stream.requests.map((request) => request.path)).toEqual([
        '/app',
        '/hook/events',
        '/app',
        '/app',
        ...Array(5).fill('/check_sns'),
      ]);
      expect(run.stderr).toContain(`note: ${variable} is set and ignored: the setup calls ${stream.baseUrl}`);
    },
  );

  it('case 13: --base-url wins over STREAM_BASE_URL', async () => {
    // Act
    const run = await runSetupCommand(
      ['--topic-arn', TOPIC, '--dry-run', '--base-url', stream.baseUrl],
      env({ STREAM_BASE_URL: decoy.baseUrl }),
    );

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(decoy.requests).toEqual([]);
    expect(stream.requests.map((request) => request.path)).toEqual(['/app', '/hook/events']);
  });

  it.each([
    ['--base-url', ['--base-url', 'http://stream.example.com'], {}],
    ['STREAM_BASE_URL', [], { STREAM_BASE_URL: 'http://stream.example.com' }],
    ['a loopback-looking name that is not loopback', ['--base-url', 'http://127.0.0.1.example.com'], {}],
    ['a user name in the URL', ['--base-url', 'https://user:pass@chat.stream-io-api.com'], {}],
  ])(
    'case 13: plain http:// off this machine, or credentials in the URL, through %s is a usage error (exit 2) before any call',
    async (_, args, more) => {
      // Act
      const run = await runSetupCommand(['--topic-arn', TOPIC, ...args], env(more));

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /error: the base URL .*(is refused: the setup sends the Stream API token and the SNS secret|must not hold a user name or password)/,
      );
      expect(run.stderr).not.toContain('pass@');
      expect(called()).toBe(0);
    },
  );

  it('case 13: the setup core refuses plain http:// off this machine too, whoever calls it', async () => {
    // Act
    const failure = await runSetup(
      'check',
      { topicArn: TOPIC, authType: 'resource', routing: 'single-topic', catchAll: true, eventTypes: [] },
      { apiKey: API_KEY, apiSecret: API_SECRET },
      { baseUrl: 'http://stream.example.com' },
    ).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(SetupConfigurationError);
  });
});

describe('setup command: misuse exits 2 before any call (case 18)', () => {
  it.each([
    ['a malformed --topic-arn', ['--topic-arn', 'stream-chat-events-dev-events'], {}, 'is not an SNS topic ARN'],
    [
      'a partition AWS does not have',
      ['--topic-arn', 'arn:aws-bogus:sns:eu-west-1:111122223333:events'],
      {},
      '"aws-bogus" in arn:aws-bogus:sns:eu-west-1:111122223333:events is not an AWS partition',
    ],
    [
      'resource auth in a partition Stream cannot publish from',
      ['--topic-arn', 'arn:aws-cn:sns:cn-north-1:111122223333:events'],
      {},
      'Stream cannot publish to arn:aws-cn:sns:cn-north-1:111122223333:events with resource auth',
    ],
    ['no --topic-arn', [], {}, "required option '--topic-arn <arn>' not specified"],
    ['an unknown --auth', ['--topic-arn', TOPIC, '--auth', 'iam'], {}, 'Allowed choices are resource, keys'],
    ['two actions', ['--topic-arn', TOPIC, '--dry-run', '--remove'], {}, "option '--dry-run' cannot be used with option '--remove'"],
    [
      'keys auth without SNS_KEY',
      ['--topic-arn', TOPIC, '--auth', 'keys'],
      { SNS_SECRET: 'only-the-secret' },
      '--auth keys needs SNS_KEY and SNS_SECRET',
    ],
    ['no credentials', ['--topic-arn', TOPIC], { STREAM_API_SECRET: '' }, 'set STREAM_API_KEY and STREAM_API_SECRET'],
    ['a --timeout of 0', ['--topic-arn', TOPIC, '--timeout', '0'], {}, 'expected an integer from 1 to 3600'],
  ])('case 18: %s', async (_, args, more, says) => {
    // Act
    const run = await runSetupCommand([...args, '--base-url', stream.baseUrl], env(more));

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(says);
    expect(called()).toBe(0);
  });

  it('case 18: keys auth in another partition AWS has is accepted', async () => {
    // Act
    const run = await runSetupCommand(
      ['--topic-arn', 'arn:aws-cn:sns:cn-north-1:111122223333:events', '--auth', 'keys', '--dry-run', '--base-url', stream.baseUrl],
      env({ SNS_KEY: 'AKIACHINAPUBLISHER01', SNS_SECRET: 'china-publisher-secret' }),
    );

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('would change');
  });
});

describe('setup command: docs/setup.md tells the truth about it', () => {
  it('every flag docs/setup.md names is one the command has, and every flag it has is documented', async () => {
    // Prepare
    const { readFileSync } = await import('node:fs');
    const documented = new Set([...readFileSync('docs/setup.md', 'utf8').matchAll(/(?<![\w-])--([a-z][a-z-]+)/g)].map(([, flag]) => flag));

    // Act
    const help = await runSetupCommand(['--help'], {});
    const offered = new Set([...help.stdout.matchAll(/^\s+(?:-\w, )?--([a-z][a-z-]+)/gm)].map(([, flag]) => flag));

    // Assess: `--param`, `--stage` and `--region` are serverless's flags (npx serverless deploy / invoke), not the setup's.
    const serverlessFlags: Array<string | undefined> = ['param', 'stage', 'region'];
    expect([...documented].filter((flag) => !offered.has(flag) && !serverlessFlags.includes(flag)).sort()).toEqual([]);
    expect([...offered].filter((flag) => !documented.has(flag) && flag !== 'help').sort()).toEqual([]);
  });
});
