/**
 * Where the setup function finds its secrets: the Stream API key and secret in SSM Parameter Store (SecureString),
 * and for keys auth the SNS publisher's access key in Secrets Manager, read through Powertools Parameters (its
 * providers decrypt and parse the secret's JSON). The environment holds only their names; the values live in memory
 * and are never logged. Every read is fresh (`forceFetch`): the function runs once per deploy or on demand, so a
 * cache would save nothing and could hand a secret rotated seconds ago to a warm container.
 *
 * No library error may carry a secret's text out: Parameters' JSON transform fails with JSON.parse's message, which
 * quotes the first characters of its input (the secret). Such an error is replaced here by one that says only what
 * is wrong; a test pastes a bare secret into the secret and checks that no part of it comes out.
 */

import { TransformParameterError } from '@aws-lambda-powertools/parameters/errors';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SetupConfigurationError } from './errors.js';
import type { StreamCredentials } from './stream-app.js';

// Stryker disable next-line ObjectLiteral: 3 is also the SDK's default, and the function's environment sets no AWS_MAX_ATTEMPTS
const ssm = new SSMProvider({ awsSdkV3Client: new SSMClient({ maxAttempts: 3 }) });
// Stryker disable next-line ObjectLiteral: 3 is also the SDK's default, and the function's environment sets no AWS_MAX_ATTEMPTS
const secretsManager = new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({ maxAttempts: 3 }) });

/** Reads the Stream API key and secret from the two SSM parameters named. */
export async function streamCredentialsFromSsm(keyParameter: string, secretParameter: string): Promise<StreamCredentials> {
  const read = async (name: string) => {
    let value: unknown;
    try {
      value = await ssm.get(name, { decrypt: true, forceFetch: true });
    } catch (error) {
      throw new SetupConfigurationError(`cannot read the SSM parameter ${name} (${causeOf(error)}). ${putParameter(name)}`);
    }
    if (typeof value !== 'string' || value === '')
      throw new SetupConfigurationError(`cannot read the SSM parameter ${name} (it is empty). ${putParameter(name)}`);
    return value;
  };
  const [apiKey, apiSecret] = await Promise.all([read(keyParameter), read(secretParameter)]);
  return { apiKey, apiSecret };
}

/** Reads the SNS publisher's access key (keys auth) from the Secrets Manager secret the stack created. */
export async function snsKeysFromSecret(secretId: string): Promise<{ snsKey: string; snsSecret: string }> {
  const fail = (why: string) => new SetupConfigurationError(`cannot read the SNS publisher key from secret ${secretId} (${why})`);
  let secret: unknown;
  try {
    secret = await secretsManager.get(secretId, { transform: 'json', forceFetch: true });
  } catch (error) {
    // The transform's message quotes the secret's first characters: say only that it is not JSON.
    throw fail(error instanceof TransformParameterError ? 'it is not JSON' : causeOf(error));
  }
  const { sns_key: snsKey, sns_secret: snsSecret } = (typeof secret === 'object' && secret !== null ? secret : {}) as Record<
    string,
    unknown
  >;
  if (typeof snsKey !== 'string' || typeof snsSecret !== 'string' || !snsKey || !snsSecret) throw fail('it has no sns_key and sns_secret');
  return { snsKey, snsSecret };
}

/** The AWS error behind a Parameters error: its name and message (AWS's messages name the resource, not its value). */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const { name, message } = cause as Error;
  return message ? `${name}: ${message}` : name;
}

function putParameter(name: string): string {
  return `Create it with aws ssm put-parameter --type SecureString --name ${name} --value <value>`;
}
